using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;
using FsCheck;
using FsCheck.Fluent;

namespace Abitly.Domain.Tests.Allocation;

/// <summary>
/// Small random campaigns: 1–30 offers (some with 0 budget places, some whose quotas exceed them), 1–200 persons with
/// 1–5 applications each to different offers at different priorities (with gaps), scores on a coarse grid so ties are
/// common, about 10 % quota-1 and 10 % quota-2 persons, and tie ranks that are a shuffled, spread-out permutation.
/// </summary>
public static class CampaignGenerator
{
    public static Arbitrary<Campaign> Campaigns { get; } = Arb.From(Campaign());

    private static Gen<Campaign> Campaign() =>
        from offerCount in Gen.Choose(1, 30)
        from personCount in Gen.Choose(1, 200)
        from offers in Gen.ArrayOf(Offer(), offerCount)
        from persons in Gen.ArrayOf(Person(offerCount), personCount)
        from order in Gen.Shuffle(Enumerable.Range(0, personCount))
        select Build(offers, persons, order);

    private static Gen<AllocationOffer> Offer() =>
        from budget in Gen.Frequency((1, Gen.Constant(0)), (8, Gen.Choose(1, 8)), (1, Gen.Choose(9, 30)))
        from quota1 in Gen.Frequency((2, Gen.Constant(0)), (2, Gen.Choose(1, 2)), (1, Gen.Choose(3, 6)))
        from quota2 in Gen.Frequency((2, Gen.Constant(0)), (2, Gen.Choose(1, 2)), (1, Gen.Choose(3, 6)))
        from id in Gen.Choose(100_000, 9_999_999)
        select new AllocationOffer(id, budget, quota1, quota2);

    private static Gen<PersonDraft> Person(int offerCount) =>
        from count in Gen.Choose(1, 5)
        from offers in Gen.Shuffle(Enumerable.Range(0, offerCount))
        from priorities in Gen.Shuffle(Enumerable.Range(1, 5))
        from quota in Gen.Frequency((8, Gen.Constant(QuotaKind.None)), (1, Gen.Constant(QuotaKind.Quota1)), (1, Gen.Constant(QuotaKind.Quota2)))
        from scores in Gen.ArrayOf(Gen.Choose(0, 20).Select(step => 150_000 + (step * 2_500)), 5)
        from marked in Gen.ArrayOf(Gen.Choose(0, 4).Select(roll => roll > 0), 5)
        select new PersonDraft(offers.Take(Math.Min(count, offerCount)).ToArray(), priorities, quota, scores, marked);

    private static Campaign Build(AllocationOffer[] offers, PersonDraft[] persons, int[] order)
    {
        var applications = new List<AllocationApplication>();
        for (var p = 0; p < persons.Length; p++)
        {
            var person = persons[p];
            for (var i = 0; i < person.Offers.Length; i++)
            {
                // A quota person marks most, not all, of their applications with their quota.
                var quota = person.Marked[i] ? person.Quota : QuotaKind.None;
                applications.Add(new AllocationApplication(p, person.Offers[i], person.Priorities[i], person.Scores[i], quota));
            }
        }

        // Spread out and shifted below zero, so the engine cannot rely on tie ranks being 0..n-1.
        var tieRanks = order.Select(rank => (rank * 7) - 500).ToArray();
        return new Campaign(offers, [.. applications], tieRanks);
    }

    private sealed record PersonDraft(int[] Offers, int[] Priorities, QuotaKind Quota, int[] Scores, bool[] Marked);
}
