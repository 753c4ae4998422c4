using System.Collections.ObjectModel;
using Abitly.Domain.Ranking;

namespace Abitly.Domain.Allocation;

/// <summary>The stable outcome of <see cref="BudgetAllocation.Allocate"/>: who holds which seat, and each offer's competition.</summary>
public sealed class AllocationResult
{
    private readonly OfferSeats[] _offerSeats;
    private readonly int[] _admittedStart;
    private readonly AdmittedApplications _admitted;

    internal AllocationResult(
        AllocationSeat[] seats,
        int[] heldApplication,
        OfferOutcome[] offers,
        OfferSeats[] offerSeats,
        int[] admittedStart,
        AdmittedApplications admitted,
        int[] placedByPriority,
        int rounds)
    {
        Seats = Array.AsReadOnly(seats);
        HeldApplication = Array.AsReadOnly(heldApplication);
        Offers = Array.AsReadOnly(offers);
        PlacedByPriority = Array.AsReadOnly(placedByPriority);
        _offerSeats = offerSeats;
        _admittedStart = admittedStart;
        _admitted = admitted;
        Rounds = rounds;
        PlacedPersons = placedByPriority.Sum();
    }

    /// <summary>Per application (same index as the input), the seat it holds.</summary>
    public ReadOnlyCollection<AllocationSeat> Seats { get; }

    /// <summary>Per person, the index of the application whose seat they hold, or -1.</summary>
    public ReadOnlyCollection<int> HeldApplication { get; }

    /// <summary>Per offer (same index as the input), its competition once stable.</summary>
    public ReadOnlyCollection<OfferOutcome> Offers { get; }

    /// <summary>Rounds in which someone proposed.</summary>
    public int Rounds { get; }

    /// <summary>Persons holding a seat.</summary>
    public int PlacedPersons { get; }

    /// <summary>Persons placed at priority 1, 2, …, 5 (index 0 is priority 1).</summary>
    public ReadOnlyCollection<int> PlacedByPriority { get; }

    /// <summary>The applications holding a seat at <paramref name="offer"/>, in admission order (best first).</summary>
    public ReadOnlySpan<int> AdmittedApplications(int offer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(offer, Offers.Count);
        return _admitted.Application.AsSpan(_admittedStart[offer], _admittedStart[offer + 1] - _admittedStart[offer]);
    }

    /// <summary>
    /// Whether <paramref name="offer"/>'s choice would keep one extra applicant next to the applications it admitted,
    /// and their place among them: "would you be recommended here". Cascades are ignored: whoever the newcomer would
    /// displace does not move on, and the newcomer's other applications are not considered.
    /// </summary>
    /// <param name="offer">The offer's index.</param>
    /// <param name="score">The newcomer's score at this offer, in thousandths.</param>
    /// <param name="priority">The priority of the newcomer's application here, 1–5.</param>
    /// <param name="quota">The quota the newcomer's application would be marked with.</param>
    /// <param name="tieRank">The newcomer's tie rank; the default loses every full tie, and so does an equal tie rank.</param>
    public HypotheticalAdmission WouldAdmit(int offer, int score, int priority, QuotaKind quota, int tieRank = int.MaxValue)
    {
        var admitted = AdmittedApplications(offer);
        ArgumentOutOfRangeException.ThrowIfLessThan(priority, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(priority, BudgetAllocation.MaxPriority);
        if (quota is not (QuotaKind.None or QuotaKind.Quota1 or QuotaKind.Quota2))
        {
            throw new ArgumentOutOfRangeException(nameof(quota), quota, "Unknown quota kind.");
        }

        // Binary search for the first admitted application the newcomer ranks before (a full tie goes to the admitted one).
        var start = _admittedStart[offer];
        int low = 0, high = admitted.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            var i = start + middle;
            var newcomerFirst = AdmissionOrder.Compare(
                score, priority, tieRank, _admitted.Score[i], _admitted.Priority[i], _admitted.TieRank[i]) < 0;
            if (newcomerFirst)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        var position = low;
        var quotaInOrder = new QuotaKind[admitted.Length + 1];
        _admitted.Quota.AsSpan(start, position).CopyTo(quotaInOrder);
        quotaInOrder[position] = quota;
        _admitted.Quota.AsSpan(start + position, admitted.Length - position).CopyTo(quotaInOrder.AsSpan(position + 1));
        var seatsInOrder = new AllocationSeat[quotaInOrder.Length];
        OfferChoice.ChooseInOrder(_offerSeats[offer], quotaInOrder, seatsInOrder);
        return new HypotheticalAdmission(seatsInOrder[position], position + 1, admitted.Length);
    }
}
