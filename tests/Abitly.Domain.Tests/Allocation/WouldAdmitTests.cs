using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;

namespace Abitly.Domain.Tests.Allocation;

/// <summary>"Would you be recommended here": one extra applicant against an offer's stable outcome.</summary>
public class WouldAdmitTests
{
    private static int K(decimal score) => CampaignBuilder.Thousandths(score);

    // Offer 0: 2 budget places, 1 of them quota 1, nobody with quota 1, so both are general:
    // admitted A 190 (priority 1) and B 180 (priority 2); C 170 is out. Cut-off 180.
    private static (AllocationResult Result, int Offer) FullOffer()
    {
        var c = new CampaignBuilder();
        var o = c.Offer(2, quota1Places: 1);
        c.Apply(c.Person(), o, 1, 190m);
        c.Apply(c.Person(), o, 2, 180m);
        c.Apply(c.Person(), o, 1, 170m);
        return (c.Build().Allocate(), o);
    }

    [Fact]
    public void A_score_between_the_admitted_takes_the_second_place_and_is_kept()
    {
        var (result, o) = FullOffer();

        // 185 ranks after 190 and before 180: place 2 of 3; two general seats → kept.
        Assert.Equal(new HypotheticalAdmission(AllocationSeat.General, 2, 2), result.WouldAdmit(o, K(185m), 3, QuotaKind.None));
    }

    [Fact]
    public void A_score_below_the_cut_off_is_not_kept()
    {
        var (result, o) = FullOffer();

        var answer = result.WouldAdmit(o, K(175m), 1, QuotaKind.None);

        Assert.False(answer.Admitted);
        Assert.Equal(3, answer.Place);
    }

    [Fact]
    public void At_the_cut_off_score_the_priority_decides()
    {
        var (result, o) = FullOffer();

        // B holds 180 at priority 2: a newcomer with 180 at priority 1 ranks before B and is kept;
        // at priority 2 it is a full tie on score and priority, and the default tie rank loses it.
        Assert.True(result.WouldAdmit(o, K(180m), 1, QuotaKind.None).Admitted);
        Assert.False(result.WouldAdmit(o, K(180m), 2, QuotaKind.None).Admitted);
        Assert.True(result.WouldAdmit(o, K(180m), 2, QuotaKind.None, tieRank: -1).Admitted);
        Assert.False(result.WouldAdmit(o, K(180m), 2, QuotaKind.None, tieRank: 1).Admitted); // B's own tie rank: B keeps the seat
    }

    [Fact]
    public void A_quota_newcomer_takes_the_unfilled_quota_seat_below_the_cut_off()
    {
        var (result, o) = FullOffer();

        // With a quota-1 applicant the quota seat is no longer passed on: 150 takes it, place 3 of 3
        // (B would lose the second general seat; cascades are not followed).
        Assert.Equal(new HypotheticalAdmission(AllocationSeat.Quota1, 3, 2), result.WouldAdmit(o, K(150m), 1, QuotaKind.Quota1));
        Assert.False(result.WouldAdmit(o, K(150m), 1, QuotaKind.Quota2).Admitted);
    }

    [Fact]
    public void An_offer_without_budget_places_never_admits()
    {
        var c = new CampaignBuilder();
        var o = c.Offer(0);
        var result = c.Build().Allocate();

        Assert.Equal(new HypotheticalAdmission(AllocationSeat.None, 1, 0), result.WouldAdmit(o, K(200m), 1, QuotaKind.None));
    }

    [Fact]
    public void Out_of_range_arguments_are_refused()
    {
        var (result, o) = FullOffer();

        Assert.Throws<ArgumentOutOfRangeException>(() => result.WouldAdmit(o + 1, K(180m), 1, QuotaKind.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => result.WouldAdmit(o, K(180m), 6, QuotaKind.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => result.WouldAdmit(o, K(180m), 1, (QuotaKind)7));
    }
}
