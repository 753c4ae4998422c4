using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;

namespace Abitly.Domain.Tests.Allocation;

public class OfferChoiceTests
{
    private static AllocationSeat[] Choose(AllocationOffer offer, params OfferCandidate[] candidates)
    {
        var seats = new AllocationSeat[candidates.Length];
        OfferChoice.Choose(offer, candidates, seats);
        return seats;
    }

    [Fact]
    public void Seats_are_written_at_the_candidates_own_positions_whatever_their_order()
    {
        // 2 places, 1 quota 2. Candidates listed worst first: general 150, quota-2 160, general 170.
        // Quota 2: the quota-2 160. General seats 2 − 1 = 1: 170 beats 150.
        var seats = Choose(
            new AllocationOffer(1, 2, 0, 1),
            new OfferCandidate(150_000, 1, 0, QuotaKind.None),
            new OfferCandidate(160_000, 1, 1, QuotaKind.Quota2),
            new OfferCandidate(170_000, 1, 2, QuotaKind.None));

        Assert.Equal([AllocationSeat.None, AllocationSeat.Quota2, AllocationSeat.General], seats);
    }

    [Fact]
    public void Quota_places_beyond_the_budget_are_cut_to_it()
    {
        // 1 budget place but 3 quota-1 and 3 quota-2 places: quota 1 gets the one place, quota 2 none.
        // Two quota-1 applicants: the better takes the quota seat; no general seat is left for the other, nor for the quota-2 one.
        var seats = Choose(
            new AllocationOffer(1, 1, 3, 3),
            new OfferCandidate(150_000, 1, 0, QuotaKind.Quota1),
            new OfferCandidate(190_000, 1, 1, QuotaKind.Quota2),
            new OfferCandidate(160_000, 1, 2, QuotaKind.Quota1));

        Assert.Equal([AllocationSeat.None, AllocationSeat.None, AllocationSeat.Quota1], seats);
    }

    [Fact]
    public void Ties_are_broken_by_priority_then_tie_rank()
    {
        // One place, three candidates with 180: priority 2 loses to priority 1; between the two at priority 1, tie rank 3 beats 8.
        var seats = Choose(
            new AllocationOffer(1, 1, 0, 0),
            new OfferCandidate(180_000, 1, 8, QuotaKind.None),
            new OfferCandidate(180_000, 2, 0, QuotaKind.None),
            new OfferCandidate(180_000, 1, 3, QuotaKind.None));

        Assert.Equal([AllocationSeat.None, AllocationSeat.None, AllocationSeat.General], seats);
    }

    [Fact]
    public void An_unscored_application_ranks_after_every_scored_one()
    {
        var seats = Choose(
            new AllocationOffer(1, 1, 0, 0),
            new OfferCandidate(AdmissionOrder.Unscored, 1, 0, QuotaKind.None),
            new OfferCandidate(100_000, 5, 1, QuotaKind.None));

        Assert.Equal([AllocationSeat.None, AllocationSeat.General], seats);
    }

    [Fact]
    public void The_same_person_twice_is_refused()
    {
        var offer = new AllocationOffer(1, 1, 0, 0);
        var twice = new[] { new OfferCandidate(180_000, 1, 4, QuotaKind.None), new OfferCandidate(180_000, 1, 4, QuotaKind.None) };

        var error = Assert.Throws<ArgumentException>(() => OfferChoice.Choose(offer, twice, new AllocationSeat[2]));
        Assert.Contains("tie completely", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Admission_order_compares_score_then_priority_then_tie_rank()
    {
        Assert.True(AdmissionOrder.Compare(180_001, 5, 9, 180_000, 1, 0) < 0);
        Assert.True(AdmissionOrder.Compare(180_000, 1, 9, 180_000, 2, 0) < 0);
        Assert.True(AdmissionOrder.Compare(180_000, 2, 0, 180_000, 2, 1) < 0);
        Assert.Equal(0, AdmissionOrder.Compare(180_000, 2, 1, 180_000, 2, 1));
        Assert.True(AdmissionOrder.Compare(AdmissionOrder.Unscored, 1, 0, int.MinValue + 1, 5, 9) > 0);
    }
}
