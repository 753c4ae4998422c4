using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Abitly.Domain.Tests.Allocation;

/// <summary>Properties of the allocation on generated campaigns (<see cref="CampaignGenerator"/>).</summary>
public class BudgetAllocationProperties
{
    private static Property ForAllCampaigns(Func<Campaign, bool> property) =>
        Prop.ForAll(CampaignGenerator.Campaigns, property);

    [Property(MaxTest = 200)]
    public Property No_person_and_offer_would_both_rather_have_each_other() => ForAllCampaigns(campaign =>
    {
        var result = campaign.Allocate();
        for (var a = 0; a < campaign.Applications.Length; a++)
        {
            var application = campaign.Applications[a];
            var held = result.HeldApplication[application.Person];
            if (held == a || (held >= 0 && campaign.Applications[held].Priority < application.Priority))
            {
                continue; // the person holds this seat, or one they ranked higher
            }

            // The person would rather have this offer: its choice over what it admitted plus them must still reject them.
            var admitted = result.AdmittedApplications(application.Offer).ToArray();
            var candidates = admitted.Append(a).Select(i => Candidate(campaign, i)).ToArray();
            var seats = new AllocationSeat[candidates.Length];
            OfferChoice.Choose(campaign.Offers[application.Offer], candidates, seats);
            if (seats[^1] != AllocationSeat.None)
            {
                return false;
            }
        }

        return true;
    });

    [Property(MaxTest = 100)]
    public Property Each_offer_would_choose_exactly_what_it_holds() => ForAllCampaigns(campaign =>
    {
        var result = campaign.Allocate();
        for (var o = 0; o < campaign.Offers.Length; o++)
        {
            var admitted = result.AdmittedApplications(o).ToArray();
            var candidates = admitted.Select(i => Candidate(campaign, i)).ToArray();
            var seats = new AllocationSeat[candidates.Length];
            OfferChoice.Choose(campaign.Offers[o], candidates, seats);
            if (!seats.SequenceEqual(admitted.Select(i => result.Seats[i])) || seats.Contains(AllocationSeat.None))
            {
                return false;
            }
        }

        return true;
    });

    [Property(MaxTest = 100)]
    public Property No_offer_fills_more_seats_of_a_kind_than_it_has() => ForAllCampaigns(campaign =>
    {
        var result = campaign.Allocate();
        var seatsByOffer = Enumerable.Range(0, campaign.Applications.Length)
            .Where(a => result.Seats[a] != AllocationSeat.None)
            .ToLookup(a => campaign.Applications[a].Offer, a => result.Seats[a]);
        return campaign.Offers.Select((offer, o) =>
        {
            // Quota places are carved out of the budget ones: quota 1 first, then quota 2.
            var quota1Places = Math.Min(offer.Quota1Places, offer.BudgetPlaces);
            var quota2Places = Math.Min(offer.Quota2Places, offer.BudgetPlaces - quota1Places);
            var seats = seatsByOffer[o].ToList();
            var quota1 = seats.Count(s => s == AllocationSeat.Quota1);
            var quota2 = seats.Count(s => s == AllocationSeat.Quota2);
            var general = seats.Count(s => s == AllocationSeat.General);
            var outcome = result.Offers[o];
            return quota1 <= quota1Places && quota2 <= quota2Places && seats.Count <= offer.BudgetPlaces
                && (outcome.Quota1Seated, outcome.Quota2Seated, outcome.GeneralSeated) == (quota1, quota2, general)
                && outcome.GeneralPlaces == offer.BudgetPlaces - quota1 - quota2;
        }).All(ok => ok);
    });

    [Property(MaxTest = 100)]
    public Property Each_person_holds_at_most_one_seat_and_it_is_the_one_reported() => ForAllCampaigns(campaign =>
    {
        var result = campaign.Allocate();
        var seatedByPerson = Enumerable.Range(0, campaign.Applications.Length)
            .Where(a => result.Seats[a] != AllocationSeat.None)
            .ToLookup(a => campaign.Applications[a].Person);
        var placedByPriority = new int[5];
        for (var p = 0; p < campaign.Persons; p++)
        {
            var seated = seatedByPerson[p].ToList();
            if (seated.Count > 1 || result.HeldApplication[p] != (seated.Count == 1 ? seated[0] : -1))
            {
                return false;
            }

            if (seated.Count == 1)
            {
                placedByPriority[campaign.Applications[seated[0]].Priority - 1]++;
            }
        }

        return result.PlacedByPriority.SequenceEqual(placedByPriority) && result.PlacedPersons == placedByPriority.Sum();
    });

    [Property(MaxTest = 100)]
    public Property Quota_seats_go_only_to_applications_marked_with_that_quota() => ForAllCampaigns(campaign =>
    {
        var result = campaign.Allocate();
        return Enumerable.Range(0, campaign.Applications.Length).All(a => result.Seats[a] switch
        {
            AllocationSeat.Quota1 => campaign.Applications[a].Quota == QuotaKind.Quota1,
            AllocationSeat.Quota2 => campaign.Applications[a].Quota == QuotaKind.Quota2,
            _ => true,
        });
    });

    [Property(MaxTest = 100)]
    public Property The_lowest_scores_and_the_cut_off_follow_from_the_seats() => ForAllCampaigns(campaign =>
    {
        var result = campaign.Allocate();
        var seatedByOffer = Enumerable.Range(0, campaign.Applications.Length)
            .Where(a => result.Seats[a] != AllocationSeat.None)
            .ToLookup(a => campaign.Applications[a].Offer);
        return campaign.Offers.Select((offer, o) =>
        {
            int? Lowest(AllocationSeat kind)
            {
                var scores = seatedByOffer[o]
                    .Where(a => result.Seats[a] == kind)
                    .Select(a => campaign.Applications[a].Score)
                    .ToList();
                return scores.Count == 0 ? null : scores.Min();
            }

            var outcome = result.Offers[o];
            var generalFull = outcome.GeneralPlaces > 0 && outcome.GeneralSeated == outcome.GeneralPlaces;
            return outcome.OfferId == offer.OfferId
                && outcome.LowestQuota1Score == Lowest(AllocationSeat.Quota1)
                && outcome.LowestQuota2Score == Lowest(AllocationSeat.Quota2)
                && outcome.LowestGeneralScore == Lowest(AllocationSeat.General)
                && outcome.GeneralCutOff == (generalFull ? Lowest(AllocationSeat.General) : null);
        }).All(ok => ok);
    });

    [Property(MaxTest = 200)]
    public Property Matches_the_one_proposal_at_a_time_reference() => ForAllCampaigns(campaign =>
        campaign.Allocate().Seats.SequenceEqual(ReferenceAllocation.Seats(campaign)));

    [Property(MaxTest = 200)]
    public Property Renumbering_persons_offers_and_applications_changes_nothing() =>
        Prop.ForAll(Arb.From(Renumberings()), renumbering =>
        {
            var (campaign, applicationAt, personAt, offerAt) = renumbering;
            var permuted = new Campaign(
                Permute(campaign.Offers, offerAt),
                Permute(campaign.Applications.Select(a => a with { Person = personAt[a.Person], Offer = offerAt[a.Offer] }).ToArray(), applicationAt),
                Permute(campaign.TieRanks, personAt));

            var before = campaign.Allocate();
            var after = permuted.Allocate();

            return Enumerable.Range(0, campaign.Applications.Length).All(a => after.Seats[applicationAt[a]] == before.Seats[a])
                && Enumerable.Range(0, campaign.Persons).All(p =>
                    after.HeldApplication[personAt[p]] == (before.HeldApplication[p] < 0 ? -1 : applicationAt[before.HeldApplication[p]]))
                && Enumerable.Range(0, campaign.Offers.Length).All(o => after.Offers[offerAt[o]] == before.Offers[o])
                && after.Rounds == before.Rounds;
        });

    [Property(MaxTest = 200)]
    public Property Would_admit_agrees_with_the_choice_over_the_admitted_plus_the_newcomer() =>
        Prop.ForAll(Arb.From(Newcomers()), probe =>
        {
            var (campaign, offer, newcomer) = probe;
            var result = campaign.Allocate();
            var answer = result.WouldAdmit(offer, newcomer.Score, newcomer.Priority, newcomer.Quota, newcomer.TieRank);

            var admitted = result.AdmittedApplications(offer).ToArray().Select(i => Candidate(campaign, i)).ToList();
            var seats = new AllocationSeat[admitted.Count + 1];
            OfferChoice.Choose(campaign.Offers[offer], [.. admitted, newcomer], seats);
            var place = 1 + admitted.Count(c => AdmissionOrder.Compare(c, newcomer) < 0);
            return answer == new HypotheticalAdmission(seats[^1], place, admitted.Count);
        });

    private static OfferCandidate Candidate(Campaign campaign, int application)
    {
        var a = campaign.Applications[application];
        return new OfferCandidate(a.Score, a.Priority, campaign.TieRanks[a.Person], a.Quota);
    }

    /// <summary><paramref name="items"/>[i] moves to position <paramref name="newIndex"/>[i].</summary>
    private static T[] Permute<T>(T[] items, int[] newIndex)
    {
        var permuted = new T[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            permuted[newIndex[i]] = items[i];
        }

        return permuted;
    }

    private static Gen<(Campaign, int[], int[], int[])> Renumberings() =>
        from campaign in CampaignGenerator.Campaigns.Generator
        from applicationAt in Gen.Shuffle(Enumerable.Range(0, campaign.Applications.Length))
        from personAt in Gen.Shuffle(Enumerable.Range(0, campaign.Persons))
        from offerAt in Gen.Shuffle(Enumerable.Range(0, campaign.Offers.Length))
        select (campaign, applicationAt, personAt, offerAt);

    // Newcomers often tie an admitted score (the same grid); their tie ranks fall between the persons' (7k − 500), never on one.
    private static Gen<(Campaign, int, OfferCandidate)> Newcomers() =>
        from campaign in CampaignGenerator.Campaigns.Generator
        from offer in Gen.Choose(0, campaign.Offers.Length - 1)
        from step in Gen.Choose(0, 20)
        from priority in Gen.Choose(1, 5)
        from quota in Gen.Elements(QuotaKind.None, QuotaKind.Quota1, QuotaKind.Quota2)
        from tieRank in Gen.Frequency((1, Gen.Constant(int.MaxValue)), (1, Gen.Choose(-2, 202).Select(r => (r * 7) - 497)))
        select (campaign, offer, new OfferCandidate(150_000 + (step * 2_500), priority, tieRank, quota));
}
