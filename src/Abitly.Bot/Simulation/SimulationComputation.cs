using System.Diagnostics;
using Abitly.Domain.Allocation;

namespace Abitly.Bot.Simulation;

/// <summary>One offer's simulated competition, as stored.</summary>
public readonly record struct SimulatedOfferRow(
    long OfferId, int? BudgetPlaces, int GeneralPlaces, int Quota1Seated, int Quota2Seated, int GeneralSeated, decimal? CutOff, int Competing);

/// <summary>One application's simulated outcome, as stored (keyed by offer and list position).</summary>
public readonly record struct SimulatedApplicationRow(
    long OfferId, int Position, short Priority, SimulatedOutcome Outcome, AllocationSeat Seat, int Place, long? HeldOfferId, short? HeldPriority);

/// <summary>Persons found across the lists, in the input's (offer, position) order.</summary>
public sealed record SimulationMatch(PersonMatchResult Persons, int[] Order);

/// <summary>The allocation's results and its figures.</summary>
public sealed record SimulationResults(
    SimulatedOfferRow[] Offers,
    SimulatedApplicationRow[] Applications,
    int Persons,
    int Rounds,
    int Placed,
    int PlacedFirstPriority,
    int SplitApplications)
{
    /// <summary>The time of <see cref="BudgetAllocation.Allocate"/> alone, inside the whole step (the engine's own figure).</summary>
    public TimeSpan Engine { get; init; }
}

/// <summary>
/// The simulation's pure part (docs/allocation.md, "When it runs"): persons matched across the lists, then the allocation
/// over the active budget applications with a score — the applications the one cut-off rule (<c>BudgetCompetition</c>)
/// counts — and every application's standing.
/// </summary>
public static class SimulationComputation
{
    /// <summary>
    /// Matches persons over every budget application, in the order of (offer id, list position) so that the result
    /// depends on the data, not on the order the database returned it in.
    /// </summary>
    public static SimulationMatch Match(SimulationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = SortedOrder(input);
        var offers = input.MatchingOffers.ToArray();
        var applications = new MatchingApplication[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            var a = order[i];
            var name = input.Name(a);
            applications[i] = new MatchingApplication(
                input.OfferIndex(input.ApplicationOffer(a)), string.IsNullOrWhiteSpace(name) ? "—" : name, input.Score(a), input.Priority(a), input.Quota(a), input.PersonKey(a));
        }

        return new SimulationMatch(PersonMatching.Match(offers, applications), order);
    }

    /// <summary>Allocates the budget seats to the matched persons and reads off each application's standing.</summary>
    public static SimulationResults Allocate(SimulationInput input, SimulationMatch match)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(match);
        var order = match.Order;
        var persons = match.Persons;

        // Who each person is, for the tie rank: their key, else their name and the offer of their best priority.
        var identity = new int[persons.PersonCount];
        Array.Fill(identity, -1);
        for (var i = 0; i < order.Length; i++)
        {
            var p = persons.Person[i];
            var best = identity[p];
            if (best < 0 || input.Priority(order[i]) < input.Priority(order[best]))
            {
                identity[p] = i;
            }
        }

        // The allocation's applications: active and scored, with the matched persons; a person with two of one priority
        // or offer (a key reused, a list error) keeps the first and the rest become persons of their own (split, never merge).
        var competing = new List<int>(order.Length);
        for (var i = 0; i < order.Length; i++)
        {
            var a = order[i];
            if (input.Active(a) && input.Score(a) != AdmissionOrder.Unscored)
            {
                competing.Add(i);
            }
        }

        var offers = input.Offers.ToArray();
        var hashes = new List<ulong>(persons.PersonCount);
        for (var p = 0; p < persons.PersonCount; p++)
        {
            hashes.Add(IdentityHash(input, order[identity[p]]));
        }

        var person = new int[competing.Count];
        for (var j = 0; j < competing.Count; j++)
        {
            person[j] = persons.Person[competing[j]];
        }

        var splits = SplitConflicts(input, order, competing, person, hashes);
        var applications = new AllocationApplication[competing.Count];
        for (var j = 0; j < competing.Count; j++)
        {
            var a = order[competing[j]];
            applications[j] = new AllocationApplication(person[j], input.OfferIndex(input.ApplicationOffer(a)), input.Priority(a), input.Score(a), input.Quota(a));
        }

        var tieRanks = PersonTieRanks.Rank(hashes.ToArray());
        var engine = Stopwatch.StartNew();
        var result = BudgetAllocation.Allocate(offers, applications, tieRanks);
        var engineTime = engine.Elapsed;
        var standings = ApplicationStandings.Of(result, applications, tieRanks);

        var competingAt = new int[offers.Length];
        var rows = new SimulatedApplicationRow[applications.Length];
        for (var j = 0; j < applications.Length; j++)
        {
            var a = order[competing[j]];
            var standing = standings[j];
            competingAt[applications[j].Offer]++;
            var elsewhere = standing.HeldApplication >= 0 && standing.Outcome != SimulatedOutcome.RecommendedHere;
            rows[j] = new SimulatedApplicationRow(
                input.ApplicationOffer(a), input.Position(a), (short)input.Priority(a), standing.Outcome, standing.Seat, standing.Place,
                elsewhere ? offers[applications[standing.HeldApplication].Offer].OfferId : null,
                elsewhere ? (short)applications[standing.HeldApplication].Priority : null);
        }

        var offerRows = new SimulatedOfferRow[offers.Length];
        for (var o = 0; o < offers.Length; o++)
        {
            var outcome = result.Offers[o];
            offerRows[o] = new SimulatedOfferRow(
                offers[o].OfferId, offers[o].BudgetPlaces, outcome.GeneralPlaces, outcome.Quota1Seated, outcome.Quota2Seated, outcome.GeneralSeated,
                outcome.GeneralCutOff is { } cutOff ? cutOff / 1000m : null, competingAt[o]);
        }

        return new SimulationResults(offerRows, rows, tieRanks.Length, result.Rounds, result.PlacedPersons, result.PlacedByPriority[0], splits) { Engine = engineTime };
    }

    /// <summary>The applications' indices sorted by (offer id, position): one packed key each.</summary>
    private static int[] SortedOrder(SimulationInput input)
    {
        var keys = new long[input.ApplicationCount];
        var order = new int[input.ApplicationCount];
        for (var a = 0; a < keys.Length; a++)
        {
            // Offer indices follow the order offers were added; positions are ≥ 1 and far below 2^31.
            keys[a] = ((long)input.OfferIndex(input.ApplicationOffer(a)) << 31) | (uint)input.Position(a);
            order[a] = a;
        }

        Array.Sort(keys, order);
        return order;
    }

    private static ulong IdentityHash(SimulationInput input, int a) => input.PersonKey(a) is { } key
        ? PersonTieRanks.Hash(key)
        : PersonTieRanks.Hash($"{input.Name(a)}|{input.ApplicationOffer(a)}");

    /// <summary>
    /// A person may hold one application per priority and per offer. The person's applications are visited in (offer,
    /// position) order; one that repeats a priority or an offer already seen becomes a person of its own.
    /// </summary>
    private static int SplitConflicts(SimulationInput input, int[] order, List<int> competing, int[] person, List<ulong> hashes)
    {
        var persons = hashes.Count;
        var start = new int[persons + 1];
        foreach (var p in person)
        {
            start[p + 1]++;
        }

        for (var p = 0; p < persons; p++)
        {
            start[p + 1] += start[p];
        }

        var byPerson = new int[person.Length];
        var next = start[..^1];
        for (var j = 0; j < person.Length; j++)
        {
            byPerson[next[person[j]]++] = j;
        }

        var splits = 0;
        for (var p = 0; p < persons; p++)
        {
            var priorities = 0;
            for (var k = start[p]; k < start[p + 1]; k++)
            {
                var j = byPerson[k];
                var a = order[competing[j]];
                var bit = 1 << (input.Priority(a) - 1);
                var offerSeen = false;
                for (var e = start[p]; e < k && !offerSeen; e++)
                {
                    var earlier = byPerson[e];
                    offerSeen = person[earlier] == p && input.ApplicationOffer(order[competing[earlier]]) == input.ApplicationOffer(a);
                }

                if ((priorities & bit) != 0 || offerSeen)
                {
                    person[j] = hashes.Count;
                    hashes.Add(PersonTieRanks.Hash($"{input.ApplicationOffer(a)}:{input.Position(a)}") ^ hashes[p]);
                    splits++;
                }
                else
                {
                    priorities |= bit;
                }
            }
        }

        return splits;
    }
}
