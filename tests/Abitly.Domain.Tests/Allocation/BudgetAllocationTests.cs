using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;

namespace Abitly.Domain.Tests.Allocation;

/// <summary>Hand-built campaigns whose stable outcome is worked out in the comments.</summary>
public class BudgetAllocationTests
{
    private static int K(decimal score) => CampaignBuilder.Thousandths(score);

    [Fact]
    public void A_priority_1_winner_leaves_their_priority_2_list_and_frees_the_seat_there()
    {
        // A and B have one seat each. Ann ranks first on both lists (190 at A, 195 at B), Bob is second at B (180).
        // A published list at B puts Ann on its only seat, but Ann takes A, her priority 1, so B's seat goes to Bob.
        // Round 1: Ann → A (alone, kept), Bob → B (alone, kept). Nobody is rejected: stable after one round.
        var c = new CampaignBuilder();
        var a = c.Offer(1);
        var b = c.Offer(1);
        var ann = c.Person();
        var bob = c.Person();
        var annAtA = c.Apply(ann, a, 1, 190m);
        var annAtB = c.Apply(ann, b, 2, 195m);
        var bobAtB = c.Apply(bob, b, 1, 180m);

        var result = c.Build().Allocate();

        Assert.Equal(annAtA, result.HeldApplication[ann]);
        Assert.Equal(bobAtB, result.HeldApplication[bob]);
        Assert.Equal(AllocationSeat.None, result.Seats[annAtB]);
        Assert.Equal(K(180m), result.Offers[b].GeneralCutOff);
        Assert.Equal(1, result.Rounds);
        Assert.Equal([2, 0, 0, 0, 0], result.PlacedByPriority);
    }

    [Fact]
    public void One_departure_cascades_along_a_chain_of_three_offers()
    {
        // X, Y, Z have one seat each.
        // Dan: X p1 200. Ann: X p1 190, Y p2 190. Bob: Y p1 180, Z p2 180. Cat: Z p1 170 and nothing else.
        // Round 1: Dan and Ann → X: X keeps Dan (200 > 190), rejects Ann. Bob → Y kept. Cat → Z kept.
        // Round 2: Ann → Y: Y holds Bob 180, Ann 190 wins; Bob is rejected.
        // Round 3: Bob → Z: Z holds Cat 170, Bob 180 wins; Cat is rejected.
        // Round 4: Cat has no application left, nobody proposes. Three rounds; Cat is left without a seat.
        var c = new CampaignBuilder();
        var x = c.Offer(1);
        var y = c.Offer(1);
        var z = c.Offer(1);
        var (dan, ann, bob, cat) = (c.Person(), c.Person(), c.Person(), c.Person());
        var danAtX = c.Apply(dan, x, 1, 200m);
        c.Apply(ann, x, 1, 190m);
        var annAtY = c.Apply(ann, y, 2, 190m);
        c.Apply(bob, y, 1, 180m);
        var bobAtZ = c.Apply(bob, z, 2, 180m);
        var catAtZ = c.Apply(cat, z, 1, 170m);

        var result = c.Build().Allocate();

        Assert.Equal([danAtX, annAtY, bobAtZ, -1], result.HeldApplication);
        Assert.Equal(AllocationSeat.None, result.Seats[catAtZ]);
        Assert.Equal(3, result.Rounds);
        Assert.Equal(3, result.PlacedPersons);
        Assert.Equal([1, 2, 0, 0, 0], result.PlacedByPriority);
        Assert.Equal([K(200m), K(190m), K(180m)], result.Offers.Select(o => o.GeneralCutOff));
    }

    [Fact]
    public void Quota_seats_go_to_the_best_quota_applicants_and_the_rest_compete_in_general()
    {
        // 3 budget places, 1 of them quota 1. Quota-1 applicants Qa 150 and Qb 140; general Ga 190, Gb 180, Gc 170.
        // Quota 1 has applicants, so its seat is filled: Qa (the better of the two).
        // General seats: 3 − 1 = 2, among Ga, Gb, Gc and Qb (who missed the quota seat): Ga and Gb.
        var c = new CampaignBuilder();
        var o = c.Offer(3, quota1Places: 1);
        var qa = c.Apply(c.Person(), o, 1, 150m, QuotaKind.Quota1);
        var qb = c.Apply(c.Person(), o, 1, 140m, QuotaKind.Quota1);
        var ga = c.Apply(c.Person(), o, 1, 190m);
        var gb = c.Apply(c.Person(), o, 1, 180m);
        var gc = c.Apply(c.Person(), o, 1, 170m);

        var result = c.Build().Allocate();

        Assert.Equal(
            [AllocationSeat.Quota1, AllocationSeat.None, AllocationSeat.General, AllocationSeat.General, AllocationSeat.None],
            new[] { qa, qb, ga, gb, gc }.Select(a => result.Seats[a]));
        var outcome = result.Offers[o];
        Assert.Equal((1, 0, 2, 2), (outcome.Quota1Seated, outcome.Quota2Seated, outcome.GeneralSeated, outcome.GeneralPlaces));
        Assert.Equal(K(150m), outcome.LowestQuota1Score);
        Assert.Null(outcome.LowestQuota2Score);
        Assert.Equal(K(180m), outcome.GeneralCutOff);
    }

    [Fact]
    public void Unfilled_quota_seats_pass_to_the_general_competition()
    {
        // 3 budget places: 1 quota 1, 1 quota 2. One quota-1 applicant Q 150; no quota-2 applicant; general Ga 190, Gb 180, Gc 170.
        // Q fills the quota-1 seat. The quota-2 seat has nobody, so it passes on: general seats = 3 − 1 − 0 = 2 → Ga, Gb.
        // (Were it kept empty, only Ga would be in.) Gc is rejected; the cut-off is Gb's 180.
        var c = new CampaignBuilder();
        var o = c.Offer(3, quota1Places: 1, quota2Places: 1);
        var q = c.Apply(c.Person(), o, 1, 150m, QuotaKind.Quota1);
        var ga = c.Apply(c.Person(), o, 1, 190m);
        var gb = c.Apply(c.Person(), o, 1, 180m);
        var gc = c.Apply(c.Person(), o, 1, 170m);

        var result = c.Build().Allocate();

        Assert.Equal(
            [AllocationSeat.Quota1, AllocationSeat.General, AllocationSeat.General, AllocationSeat.None],
            new[] { q, ga, gb, gc }.Select(a => result.Seats[a]));
        Assert.Equal(2, result.Offers[o].GeneralPlaces);
        Assert.Equal(K(180m), result.Offers[o].GeneralCutOff);
    }

    [Fact]
    public void A_quota_applicant_who_misses_the_quota_seat_can_win_a_general_seat()
    {
        // 3 budget places, 1 quota 1. Quota-1 applicants Qa 195 and Qb 185 overflow the one quota seat; general Ga 190, Gb 150.
        // Qa takes the quota seat. General seats: 3 − 1 = 2, among Ga 190, Qb 185, Gb 150 → Ga and Qb.
        // So Qb, a quota applicant, holds a general seat, and Gb (general) is out.
        var c = new CampaignBuilder();
        var o = c.Offer(3, quota1Places: 1);
        var qa = c.Apply(c.Person(), o, 1, 195m, QuotaKind.Quota1);
        var qb = c.Apply(c.Person(), o, 1, 185m, QuotaKind.Quota1);
        var ga = c.Apply(c.Person(), o, 1, 190m);
        var gb = c.Apply(c.Person(), o, 1, 150m);

        var result = c.Build().Allocate();

        Assert.Equal(
            [AllocationSeat.Quota1, AllocationSeat.General, AllocationSeat.General, AllocationSeat.None],
            new[] { qa, qb, ga, gb }.Select(a => result.Seats[a]));
        Assert.Equal(K(185m), result.Offers[o].GeneralCutOff);
        Assert.Equal(K(195m), result.Offers[o].LowestQuota1Score);
    }

    [Fact]
    public void Quota_seats_are_only_for_applications_marked_with_that_quota()
    {
        // 2 budget places, 1 quota 1, and only a quota-2 applicant Q 199 among general Ga 190, Gb 180.
        // Q cannot use the quota-1 seat; with no quota-1 applicant it passes on: 2 general seats → Q 199 and Ga 190.
        var c = new CampaignBuilder();
        var o = c.Offer(2, quota1Places: 1);
        var q = c.Apply(c.Person(), o, 1, 199m, QuotaKind.Quota2);
        var ga = c.Apply(c.Person(), o, 1, 190m);
        var gb = c.Apply(c.Person(), o, 1, 180m);

        var result = c.Build().Allocate();

        Assert.Equal(
            [AllocationSeat.General, AllocationSeat.General, AllocationSeat.None],
            new[] { q, ga, gb }.Select(a => result.Seats[a]));
        Assert.Equal(0, result.Offers[o].Quota1Seated);
    }

    [Fact]
    public void A_full_tie_goes_to_the_lower_tie_rank_whatever_the_order_of_the_input()
    {
        // One seat; Ann and Bob both 180.000 at priority 1. Ann's tie rank is 9, Bob's 4: Bob wins the tie,
        // though Ann comes first as a person and as an application. Reversing the applications changes nothing.
        var c = new CampaignBuilder();
        var o = c.Offer(1);
        var ann = c.Person(tieRank: 9);
        var bob = c.Person(tieRank: 4);
        var annApplication = c.Apply(ann, o, 1, 180m);
        var bobApplication = c.Apply(bob, o, 1, 180m);
        var campaign = c.Build();

        var result = campaign.Allocate();
        var reversed = (campaign with { Applications = [.. campaign.Applications.Reverse()] }).Allocate();

        Assert.Equal(AllocationSeat.General, result.Seats[bobApplication]);
        Assert.Equal(AllocationSeat.None, result.Seats[annApplication]);
        Assert.Equal(-1, reversed.HeldApplication[ann]);
        Assert.Equal(0, reversed.HeldApplication[bob]); // Bob's application is index 0 once reversed.
    }

    [Fact]
    public void On_equal_scores_the_lower_priority_number_wins_before_the_tie_rank()
    {
        // One seat at O; Ann (tie rank 0) has O as priority 2, Bob (tie rank 1) as priority 1, both 180.
        // Ann's priority 1 is P with no budget places, so she comes to O in round 2.
        // Score ties, priority decides: Bob (1) before Ann (2), although Ann's tie rank is better.
        var c = new CampaignBuilder();
        var o = c.Offer(1);
        var p = c.Offer(0);
        var ann = c.Person();
        var bob = c.Person();
        c.Apply(ann, p, 1, 180m);
        c.Apply(ann, o, 2, 180m);
        var bobAtO = c.Apply(bob, o, 1, 180m);

        var result = c.Build().Allocate();

        Assert.Equal(bobAtO, result.HeldApplication[bob]);
        Assert.Equal(-1, result.HeldApplication[ann]);
    }

    [Fact]
    public void An_offer_with_zero_budget_places_seats_nobody_even_with_quotas()
    {
        // Z has 0 budget places (a contract-only offer) but says 1 quota-1 place: quotas are carved out of the
        // budget places, so it has none. Ann (quota 1, 200 at Z, priority 1) moves on to Y (1 seat) at priority 2.
        var c = new CampaignBuilder();
        var z = c.Offer(0, quota1Places: 1);
        var y = c.Offer(1);
        var ann = c.Person();
        var annAtZ = c.Apply(ann, z, 1, 200m, QuotaKind.Quota1);
        var annAtY = c.Apply(ann, y, 2, 150m, QuotaKind.Quota1);

        var result = c.Build().Allocate();

        Assert.Equal(AllocationSeat.None, result.Seats[annAtZ]);
        Assert.Equal(annAtY, result.HeldApplication[ann]);
        var zero = result.Offers[z];
        Assert.Equal((0, 0, null, false), (zero.Admitted, zero.GeneralPlaces, zero.GeneralCutOff, zero.HasFreeGeneralSeat));
        Assert.Equal(2, result.Rounds);
        Assert.Equal([0, 1, 0, 0, 0], result.PlacedByPriority);
    }

    [Fact]
    public void A_person_rejected_everywhere_holds_nothing_and_offers_with_room_have_no_cut_off()
    {
        // X and Y have one seat each; W (150) applies to both, X p1 and Y p2, but Sa (200) takes X and Sb (200) takes Y.
        // W ends with no seat. Z has 2 seats and only one applicant (Sc 130): a seat is left, so no cut-off.
        var c = new CampaignBuilder();
        var x = c.Offer(1);
        var y = c.Offer(1);
        var z = c.Offer(2);
        c.Apply(c.Person(), x, 1, 200m);
        c.Apply(c.Person(), y, 1, 200m);
        var w = c.Person();
        var wAtX = c.Apply(w, x, 1, 150m);
        var wAtY = c.Apply(w, y, 2, 150m);
        c.Apply(c.Person(), z, 1, 130m);

        var result = c.Build().Allocate();

        Assert.Equal(-1, result.HeldApplication[w]);
        Assert.Equal((AllocationSeat.None, AllocationSeat.None), (result.Seats[wAtX], result.Seats[wAtY]));
        Assert.Equal(3, result.PlacedPersons);
        Assert.Null(result.Offers[z].GeneralCutOff);
        Assert.True(result.Offers[z].HasFreeGeneralSeat);
        Assert.Equal(K(130m), result.Offers[z].LowestGeneralScore);
    }

    [Fact]
    public void Admitted_applications_are_listed_best_first()
    {
        var c = new CampaignBuilder();
        var o = c.Offer(3, quota1Places: 1);
        var low = c.Apply(c.Person(), o, 1, 140m, QuotaKind.Quota1);
        var high = c.Apply(c.Person(), o, 1, 190m);
        var middle = c.Apply(c.Person(), o, 2, 170m);

        var result = c.Build().Allocate();

        Assert.Equal([high, middle, low], result.AdmittedApplications(o).ToArray());
    }
}
