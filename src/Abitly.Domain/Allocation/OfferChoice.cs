using Abitly.Domain.Ranking;

namespace Abitly.Domain.Allocation;

/// <summary>
/// An offer's choice among the applications in front of it (DESIGN.md §9, "One cut-off rule"): quota-1 applications
/// take the quota-1 places and quota-2 applications the quota-2 places, best first; the general seats are the budget
/// places minus the quota seats actually filled, so unfilled quota seats pass to the general competition; everyone not
/// on a quota seat (a quota applicant who missed one included) competes for the general seats; the rest are rejected.
/// </summary>
public static class OfferChoice
{
    /// <summary>
    /// Chooses among <paramref name="candidates"/> (any order) at <paramref name="offer"/> and writes each one's seat
    /// to the same position of <paramref name="seats"/>; returns how many got a seat.
    /// </summary>
    /// <exception cref="ArgumentException">Places are negative, the spans differ in length, a priority is not 1–5, or two candidates tie completely (the same person twice).</exception>
    public static int Choose(AllocationOffer offer, ReadOnlySpan<OfferCandidate> candidates, Span<AllocationSeat> seats)
    {
        if (seats.Length != candidates.Length)
        {
            throw new ArgumentException($"Expected {candidates.Length} seats, one per candidate, got {seats.Length}.", nameof(seats));
        }

        if (offer.BudgetPlaces < 0 || offer.Quota1Places < 0 || offer.Quota2Places < 0)
        {
            throw new ArgumentException($"Offer {offer.OfferId} has negative places.", nameof(offer));
        }

        var copy = candidates.ToArray();
        var order = new int[copy.Length];
        for (var i = 0; i < order.Length; i++)
        {
            if (copy[i].Priority is < 1 or > BudgetAllocation.MaxPriority)
            {
                throw new ArgumentException($"Candidate {i} has priority {copy[i].Priority}; budget priorities are 1–5.", nameof(candidates));
            }

            order[i] = i;
        }

        Array.Sort(order, (a, b) => AdmissionOrder.Compare(copy[a], copy[b]));
        var quotaInOrder = new QuotaKind[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            if (i > 0 && AdmissionOrder.Compare(copy[order[i - 1]], copy[order[i]]) == 0)
            {
                throw new ArgumentException($"Candidates {order[i - 1]} and {order[i]} tie completely (same score, priority and tie rank).", nameof(candidates));
            }

            quotaInOrder[i] = copy[order[i]].Quota;
        }

        var seatsInOrder = new AllocationSeat[order.Length];
        var admitted = ChooseInOrder(SeatsOf(offer), quotaInOrder, seatsInOrder);
        for (var i = 0; i < order.Length; i++)
        {
            seats[order[i]] = seatsInOrder[i];
        }

        return admitted;
    }

    /// <summary>
    /// The choice itself, over candidates already in <see cref="AdmissionOrder"/> (best first), given only their quota kinds.
    /// The allocation calls it for every offer in every round; <see cref="Choose"/> sorts and then calls it.
    /// </summary>
    internal static int ChooseInOrder(OfferSeats offer, ReadOnlySpan<QuotaKind> quotaInOrder, Span<AllocationSeat> seatsInOrder)
    {
        int quota1Applicants = 0, quota2Applicants = 0;
        foreach (var quota in quotaInOrder)
        {
            if (quota == QuotaKind.Quota1)
            {
                quota1Applicants++;
            }
            else if (quota == QuotaKind.Quota2)
            {
                quota2Applicants++;
            }
        }

        // Quota seats a quota has no applicants for pass to the general competition.
        var quota1Seats = Math.Min(offer.Quota1, quota1Applicants);
        var quota2Seats = Math.Min(offer.Quota2, quota2Applicants);
        var generalSeats = offer.Budget - quota1Seats - quota2Seats;
        int quota1Taken = 0, quota2Taken = 0, generalTaken = 0;
        for (var i = 0; i < quotaInOrder.Length; i++)
        {
            var quota = quotaInOrder[i];
            AllocationSeat seat;
            if (quota == QuotaKind.Quota1 && quota1Taken < quota1Seats)
            {
                seat = AllocationSeat.Quota1;
                quota1Taken++;
            }
            else if (quota == QuotaKind.Quota2 && quota2Taken < quota2Seats)
            {
                seat = AllocationSeat.Quota2;
                quota2Taken++;
            }
            else if (generalTaken < generalSeats)
            {
                // A quota applicant below the quota seats lands here too: they compete in the general pool.
                seat = AllocationSeat.General;
                generalTaken++;
            }
            else
            {
                seat = AllocationSeat.None;
            }

            seatsInOrder[i] = seat;
        }

        return quota1Taken + quota2Taken + generalTaken;
    }

    /// <summary>
    /// The places an offer can fill: quota places never exceed the budget places (quota 1 is carved out first, then
    /// quota 2 from what is left), so an offer with 0 budget places seats nobody, whatever its quotas say.
    /// </summary>
    internal static OfferSeats SeatsOf(AllocationOffer offer)
    {
        var quota1 = Math.Min(offer.Quota1Places, offer.BudgetPlaces);
        var quota2 = Math.Min(offer.Quota2Places, offer.BudgetPlaces - quota1);
        return new OfferSeats(offer.BudgetPlaces, quota1, quota2);
    }
}

/// <summary>An offer's places after <see cref="OfferChoice.SeatsOf"/>: quota places within the budget ones.</summary>
internal readonly record struct OfferSeats(int Budget, int Quota1, int Quota2);
