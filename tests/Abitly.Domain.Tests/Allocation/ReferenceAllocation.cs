using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;

namespace Abitly.Domain.Tests.Allocation;

/// <summary>
/// The allocation written the obvious way, to check the fast one against: one proposal at a time from a queue of free
/// persons, and each offer's choice redone from scratch with LINQ straight from the rule's wording. Shares no code with
/// the engine (not even the tie-break) beyond the input and output types.
/// </summary>
public static class ReferenceAllocation
{
    public static AllocationSeat[] Seats(Campaign campaign)
    {
        var applicationsByPerson = Enumerable.Range(0, campaign.Persons)
            .Select(p => Enumerable.Range(0, campaign.Applications.Length)
                .Where(a => campaign.Applications[a].Person == p)
                .OrderBy(a => campaign.Applications[a].Priority)
                .ToList())
            .ToList();
        var nextChoice = new int[campaign.Persons];
        var held = campaign.Offers.Select(_ => new Dictionary<int, AllocationSeat>()).ToList();
        var free = new Queue<int>(Enumerable.Range(0, campaign.Persons));
        while (free.Count > 0)
        {
            var person = free.Dequeue();
            if (nextChoice[person] == applicationsByPerson[person].Count)
            {
                continue;
            }

            var application = applicationsByPerson[person][nextChoice[person]++];
            var offer = campaign.Applications[application].Offer;
            var candidates = held[offer].Keys.Append(application).ToList();
            held[offer] = Choose(campaign, offer, candidates);
            foreach (var loser in candidates.Where(a => !held[offer].ContainsKey(a)))
            {
                free.Enqueue(campaign.Applications[loser].Person);
            }
        }

        var seats = new AllocationSeat[campaign.Applications.Length];
        foreach (var offerSeats in held)
        {
            foreach (var (application, seat) in offerSeats)
            {
                seats[application] = seat;
            }
        }

        return seats;
    }

    /// <summary>Quota 1 by score up to its places, quota 2 likewise, then everyone else for the budget places the quotas did not fill.</summary>
    private static Dictionary<int, AllocationSeat> Choose(Campaign campaign, int offer, List<int> candidates)
    {
        var places = campaign.Offers[offer];
        var budget = places.BudgetPlaces;
        var quota1Places = Math.Min(places.Quota1Places, budget);
        var quota2Places = Math.Min(places.Quota2Places, budget - quota1Places);
        var ranked = candidates
            .OrderByDescending(a => campaign.Applications[a].Score)
            .ThenBy(a => campaign.Applications[a].Priority)
            .ThenBy(a => campaign.TieRanks[campaign.Applications[a].Person])
            .ToList();
        var quota1 = ranked.Where(a => campaign.Applications[a].Quota == QuotaKind.Quota1).Take(quota1Places).ToList();
        var quota2 = ranked.Where(a => campaign.Applications[a].Quota == QuotaKind.Quota2).Take(quota2Places).ToList();
        var general = ranked.Except(quota1).Except(quota2).Take(budget - quota1.Count - quota2.Count).ToList();
        return quota1.Select(a => (a, AllocationSeat.Quota1))
            .Concat(quota2.Select(a => (a, AllocationSeat.Quota2)))
            .Concat(general.Select(a => (a, AllocationSeat.General)))
            .ToDictionary(x => x.a, x => x.Item2);
    }
}
