using System.Text;
using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Abitly.Domain.Tests.Allocation;

/// <summary>Each application's simulated outcome and place, read off hand-built stable allocations.</summary>
public class ApplicationStandingsTests
{
    [Fact]
    public void A_chain_of_three_offers_gives_each_application_its_outcome_and_place()
    {
        // X, Y, Z have one seat each. Dan: X p1 200. Ann: X p1 190, Y p2 190. Bob: Y p1 180, Z p2 180. Cat: Z p1 170.
        // Stable: Dan at X, Ann at Y, Bob at Z, Cat nowhere (see BudgetAllocationTests for the rounds).
        // Places (1 + those ahead on the list who stay, i.e. are not placed at a higher priority elsewhere): Ann at X is
        // behind Dan → 2; Bob at Y behind Ann → 2; Cat at Z behind Bob → 2.
        var c = new CampaignBuilder();
        var (x, y, z) = (c.Offer(1), c.Offer(1), c.Offer(1));
        var (dan, ann, bob, cat) = (c.Person(), c.Person(), c.Person(), c.Person());
        var danAtX = c.Apply(dan, x, 1, 200m);
        var annAtX = c.Apply(ann, x, 1, 190m);
        var annAtY = c.Apply(ann, y, 2, 190m);
        var bobAtY = c.Apply(bob, y, 1, 180m);
        var bobAtZ = c.Apply(bob, z, 2, 180m);
        var catAtZ = c.Apply(cat, z, 1, 170m);
        var campaign = c.Build();

        var standings = ApplicationStandings.Of(campaign.Allocate(), campaign.Applications, campaign.TieRanks);

        Assert.Equal(new ApplicationStanding(SimulatedOutcome.RecommendedHere, AllocationSeat.General, 1, danAtX), standings[danAtX]);
        Assert.Equal(new ApplicationStanding(SimulatedOutcome.LowerPriorityElsewhere, AllocationSeat.None, 2, annAtY), standings[annAtX]);
        Assert.Equal(new ApplicationStanding(SimulatedOutcome.RecommendedHere, AllocationSeat.General, 1, annAtY), standings[annAtY]);
        Assert.Equal(new ApplicationStanding(SimulatedOutcome.LowerPriorityElsewhere, AllocationSeat.None, 2, bobAtZ), standings[bobAtY]);
        Assert.Equal(new ApplicationStanding(SimulatedOutcome.RecommendedHere, AllocationSeat.General, 1, bobAtZ), standings[bobAtZ]);
        Assert.Equal(new ApplicationStanding(SimulatedOutcome.NotRecommended, AllocationSeat.None, 2, -1), standings[catAtZ]);
    }

    [Fact]
    public void A_priority_1_winner_is_at_a_higher_priority_elsewhere_on_their_priority_2_list_and_ranks_there_by_score()
    {
        // A and B have two seats each. Ann: A p1 190, B p2 195. Bob: B p1 180. Cat: B p1 170, a quota-1 mark but B has no quota.
        // Ann holds A. B admits Bob and Cat (two seats, nobody else proposes). Ann's 195 ranks before both → her place at B is 1;
        // she leaves B's list, so Bob, behind her, is 1st and Cat 2nd.
        var c = new CampaignBuilder();
        var (a, b) = (c.Offer(2), c.Offer(2));
        var (ann, bob, cat) = (c.Person(), c.Person(), c.Person());
        var annAtA = c.Apply(ann, a, 1, 190m);
        var annAtB = c.Apply(ann, b, 2, 195m);
        var bobAtB = c.Apply(bob, b, 1, 180m);
        var catAtB = c.Apply(cat, b, 1, 170m, QuotaKind.Quota1);
        var campaign = c.Build();

        var standings = ApplicationStandings.Of(campaign.Allocate(), campaign.Applications, campaign.TieRanks);

        Assert.Equal(new ApplicationStanding(SimulatedOutcome.HigherPriorityElsewhere, AllocationSeat.None, 1, annAtA), standings[annAtB]);
        Assert.Equal((SimulatedOutcome.RecommendedHere, 1), (standings[bobAtB].Outcome, standings[bobAtB].Place));
        Assert.Equal(1, standings[annAtA].Place);
        Assert.Equal((SimulatedOutcome.RecommendedHere, AllocationSeat.General, 2), (standings[catAtB].Outcome, standings[catAtB].Seat, standings[catAtB].Place));
    }

    [Fact]
    public void A_full_tie_places_the_loser_behind_the_winner_by_tie_rank_and_quota_seats_count_in_the_order()
    {
        // One offer, 2 places of which 1 quota-1. Qa (quota 1) 150 takes the quota seat; Gx and Gy both 180 at priority 1
        // compete for the one general seat: Gy has the lower tie rank and wins. List order: Gy 180, Gx 180, Qa 150; nobody
        // leaves for a higher priority, so the places are 1, 2, 3 (Qa holds the quota seat from 3rd place).
        var c = new CampaignBuilder();
        var o = c.Offer(2, quota1Places: 1);
        var qa = c.Apply(c.Person(tieRank: 5), o, 1, 150m, QuotaKind.Quota1);
        var gx = c.Apply(c.Person(tieRank: 9), o, 1, 180m);
        var gy = c.Apply(c.Person(tieRank: 1), o, 1, 180m);
        var campaign = c.Build();

        var standings = ApplicationStandings.Of(campaign.Allocate(), campaign.Applications, campaign.TieRanks);

        Assert.Equal((SimulatedOutcome.RecommendedHere, AllocationSeat.General, 1), (standings[gy].Outcome, standings[gy].Seat, standings[gy].Place));
        Assert.Equal((SimulatedOutcome.RecommendedHere, AllocationSeat.Quota1, 3), (standings[qa].Outcome, standings[qa].Seat, standings[qa].Place));
        Assert.Equal((SimulatedOutcome.NotRecommended, AllocationSeat.None, 2), (standings[gx].Outcome, standings[gx].Seat, standings[gx].Place));
    }

    [Property(MaxTest = 200)]
    public Property Outcomes_follow_the_held_seats_places_count_those_who_stay_ahead_and_a_general_seat_s_place_is_its_place_among_the_admitted() =>
        Prop.ForAll(CampaignGenerator.Campaigns, campaign =>
        {
            var result = campaign.Allocate();
            var standings = ApplicationStandings.Of(result, campaign.Applications, campaign.TieRanks);
            for (var a = 0; a < campaign.Applications.Length; a++)
            {
                var application = campaign.Applications[a];
                var held = result.HeldApplication[application.Person];
                var expected = held == a ? SimulatedOutcome.RecommendedHere
                    : held < 0 ? SimulatedOutcome.NotRecommended
                    : campaign.Applications[held].Priority < application.Priority ? SimulatedOutcome.HigherPriorityElsewhere
                    : SimulatedOutcome.LowerPriorityElsewhere;
                if (standings[a].Outcome != expected || standings[a].HeldApplication != held || standings[a].Seat != result.Seats[a])
                {
                    return false;
                }

                // The place, counted naively: 1 + the offer's applications ranked before it whose persons stay on its list.
                var ahead = 0;
                for (var b = 0; b < campaign.Applications.Length; b++)
                {
                    var other = campaign.Applications[b];
                    var otherHeld = result.HeldApplication[other.Person];
                    var leaves = otherHeld >= 0 && otherHeld != b && campaign.Applications[otherHeld].Priority < other.Priority;
                    if (b != a && other.Offer == application.Offer && !leaves
                        && AdmissionOrder.Compare(other.Score, other.Priority, campaign.TieRanks[other.Person], application.Score, application.Priority, campaign.TieRanks[application.Person]) < 0)
                    {
                        ahead++;
                    }
                }

                if (standings[a].Place != ahead + 1)
                {
                    return false;
                }

                // Nobody who stays on the list ranks before a general seat holder without a seat here (stability), so
                // its place after departures is its place among the admitted.
                if (result.Seats[a] == AllocationSeat.General && standings[a].Place != result.AdmittedApplications(application.Offer).IndexOf(a) + 1)
                {
                    return false;
                }
            }

            return true;
        });

    [Fact]
    public void The_hash_is_fnv_1a_over_the_utf16_bytes_and_ranks_follow_it_with_ties_by_index()
    {
        // FNV-1a 64 computed here byte by byte over UTF-16LE, independently of the code's per-character loop.
        static ulong Reference(string text)
        {
            var hash = 14695981039346656037UL;
            foreach (var b in Encoding.Unicode.GetBytes(text))
            {
                hash = (hash ^ b) * 1099511628211UL;
            }

            return hash;
        }

        foreach (var text in new[] { "", "p-42", "Шевченко А. Б.|1402001", "Мар'яна" })
        {
            Assert.Equal(Reference(text), PersonTieRanks.Hash(text));
        }

        Assert.Equal([2, 0, 3, 1], PersonTieRanks.Rank([30UL, 10UL, 30UL, 20UL]));
    }

    [Theory]
    [InlineData(171.000, 170.500, 10, ScoreAgainstCutOff.Above)]
    [InlineData(170.500, 170.500, 10, ScoreAgainstCutOff.AtCutOff)]
    [InlineData(170.499, 170.500, 10, ScoreAgainstCutOff.Below)]
    [InlineData(120.000, null, 10, ScoreAgainstCutOff.FreeSeat)]
    [InlineData(199.000, null, 0, ScoreAgainstCutOff.NoGeneralSeats)]
    [InlineData(199.000, 150.000, 0, ScoreAgainstCutOff.NoGeneralSeats)]
    public void A_score_falls_above_at_or_below_the_simulated_cut_off(double score, double? cutOff, int generalPlaces, ScoreAgainstCutOff expected) =>
        Assert.Equal(expected, SimulatedCutOff.Place((decimal)score, cutOff is { } c ? (decimal)c : null, generalPlaces));
}
