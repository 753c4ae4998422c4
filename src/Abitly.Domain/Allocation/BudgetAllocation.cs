using Abitly.Domain.Ranking;

namespace Abitly.Domain.Allocation;

/// <summary>
/// Allocates budget seats across every person's priorities: applicant-proposing deferred acceptance over the budget
/// applications, with <see cref="OfferChoice"/> as each offer's choice (DESIGN.md §7.5, docs/allocation.md).
/// </summary>
/// <remarks>
/// Each round, every person without a seat who has applications left proposes to their best remaining priority; each
/// offer that received proposals keeps its choice among what it held and what it received, and rejects the rest; the
/// rejected propose again next round. It stops when nobody is left to propose. The choice is substitutable, so the
/// outcome is the applicant-optimal stable allocation whatever the order of proposals.
/// Built for the national size (~300,000 persons, ~1,000,000 applications, ~10,000 offers): arrays of structs and int
/// indices, one packed sort key per application, no per-application objects.
/// </remarks>
public static class BudgetAllocation
{
    /// <summary>The lowest budget priority (2025: five budget applications, priorities 1–5).</summary>
    public const int MaxPriority = 5;

    /// <summary>Runs the allocation to its stable outcome.</summary>
    /// <param name="offers">The offers; an application's <see cref="AllocationApplication.Offer"/> indexes them.</param>
    /// <param name="applications">The budget applications, in any order.</param>
    /// <param name="personTieRanks">One tie rank per person, all different (lower wins a full tie); its length is the number of persons.</param>
    /// <exception cref="ArgumentException">An index is out of range, a priority is not 1–5, places are negative, two persons share a tie rank, or a person has two applications with the same priority or to the same offer.</exception>
    public static AllocationResult Allocate(
        ReadOnlySpan<AllocationOffer> offers,
        ReadOnlySpan<AllocationApplication> applications,
        ReadOnlySpan<int> personTieRanks)
    {
        if (personTieRanks.Length >= AdmissionOrder.MaxPersons)
        {
            throw new ArgumentException($"At most {AdmissionOrder.MaxPersons - 1} persons are supported, got {personTieRanks.Length}.", nameof(personTieRanks));
        }

        var offerSeats = new OfferSeats[offers.Length];
        for (var o = 0; o < offers.Length; o++)
        {
            var offer = offers[o];
            if (offer.BudgetPlaces < 0 || offer.Quota1Places < 0 || offer.Quota2Places < 0)
            {
                throw new ArgumentException($"Offer {o} (id {offer.OfferId}) has negative places.", nameof(offers));
            }

            offerSeats[o] = OfferChoice.SeatsOf(offer);
        }

        var denseTieRanks = DenseTieRanks(personTieRanks);
        var campaign = new DeferredAcceptance(offerSeats, applications, denseTieRanks);
        var rounds = campaign.Run();
        return Collect(offers, offerSeats, applications, personTieRanks, campaign, rounds);
    }

    /// <summary>Each person's place among the sorted tie ranks, so the packed key needs 29 bits whatever the ranks are.</summary>
    private static int[] DenseTieRanks(ReadOnlySpan<int> personTieRanks)
    {
        var packed = new long[personTieRanks.Length];
        for (var p = 0; p < packed.Length; p++)
        {
            packed[p] = ((long)personTieRanks[p] << 32) | (uint)p;
        }

        Array.Sort(packed);
        var dense = new int[packed.Length];
        for (var i = 0; i < packed.Length; i++)
        {
            var person = (int)(uint)packed[i];
            if (i > 0 && (packed[i] >> 32) == (packed[i - 1] >> 32))
            {
                throw new ArgumentException($"Persons {(int)(uint)packed[i - 1]} and {person} share tie rank {packed[i] >> 32}; tie ranks must differ.", nameof(personTieRanks));
            }

            dense[person] = i;
        }

        return dense;
    }

    /// <summary>Seats per application, held application per person, and each offer's outcome from the stable state.</summary>
    private static AllocationResult Collect(
        ReadOnlySpan<AllocationOffer> offers,
        OfferSeats[] offerSeats,
        ReadOnlySpan<AllocationApplication> applications,
        ReadOnlySpan<int> personTieRanks,
        DeferredAcceptance campaign,
        int rounds)
    {
        var seats = new AllocationSeat[applications.Length];
        var admittedStart = new int[offers.Length + 1];
        for (var o = 0; o < offers.Length; o++)
        {
            admittedStart[o + 1] = admittedStart[o] + campaign.HeldCount[o];
        }

        var total = admittedStart[offers.Length];
        var admitted = new AdmittedApplications(total);
        var outcomes = new OfferOutcome[offers.Length];
        var quotaInOrder = new QuotaKind[campaign.MaxHeld];
        var seatsInOrder = new AllocationSeat[campaign.MaxHeld];
        for (var o = 0; o < offers.Length; o++)
        {
            var count = campaign.HeldCount[o];
            var held = campaign.HeldApplications.AsSpan(campaign.HeldStart[o], count);
            for (var i = 0; i < count; i++)
            {
                quotaInOrder[i] = applications[held[i]].Quota;
            }

            // The held set is the offer's own choice, so choosing again keeps it whole and tells each one's seat kind.
            OfferChoice.ChooseInOrder(offerSeats[o], quotaInOrder.AsSpan(0, count), seatsInOrder.AsSpan(0, count));
            int quota1 = 0, quota2 = 0, general = 0;
            int? lowestQuota1 = null, lowestQuota2 = null, lowestGeneral = null;
            for (var i = 0; i < count; i++)
            {
                var a = held[i];
                var application = applications[a];
                var seat = seatsInOrder[i];
                seats[a] = seat;
                admitted.Set(admittedStart[o] + i, a, application, personTieRanks[application.Person]);
                switch (seat)
                {
                    case AllocationSeat.Quota1:
                        quota1++;
                        lowestQuota1 = application.Score;
                        break;
                    case AllocationSeat.Quota2:
                        quota2++;
                        lowestQuota2 = application.Score;
                        break;
                    case AllocationSeat.General:
                        general++;
                        lowestGeneral = application.Score;
                        break;
                    default:
                        throw new InvalidOperationException($"Offer {o} holds application {a} without a seat; its held set must be its own choice.");
                }
            }

            var generalPlaces = offerSeats[o].Budget - quota1 - quota2;
            int? cutOff = generalPlaces > 0 && general == generalPlaces ? lowestGeneral : null;
            outcomes[o] = new OfferOutcome(
                offers[o].OfferId, offers[o].BudgetPlaces, quota1, quota2, general, generalPlaces,
                lowestQuota1, lowestQuota2, lowestGeneral, cutOff);
        }

        var placedByPriority = new int[MaxPriority];
        foreach (var a in campaign.Holding)
        {
            if (a >= 0)
            {
                placedByPriority[applications[a].Priority - 1]++;
            }
        }

        return new AllocationResult(seats, campaign.Holding, outcomes, offerSeats, admittedStart, admitted, placedByPriority, rounds);
    }
}
