namespace Abitly.Domain.Allocation;

/// <summary>Reads every application's <see cref="ApplicationStanding"/> off a stable allocation: what a list's reader wants to know.</summary>
public static class ApplicationStandings
{
    /// <summary>One standing per application, in the order of <paramref name="applications"/>.</summary>
    /// <param name="result">The outcome of <see cref="BudgetAllocation.Allocate"/> over the same input.</param>
    /// <param name="applications">The applications given to the allocation.</param>
    /// <param name="personTieRanks">The tie ranks given to the allocation.</param>
    public static ApplicationStanding[] Of(AllocationResult result, ReadOnlySpan<AllocationApplication> applications, ReadOnlySpan<int> personTieRanks)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Seats.Count != applications.Length)
        {
            throw new ArgumentException($"The result has {result.Seats.Count} applications, the input {applications.Length}.", nameof(applications));
        }

        var outcomes = new SimulatedOutcome[applications.Length];
        for (var a = 0; a < applications.Length; a++)
        {
            var application = applications[a];
            var held = result.HeldApplication[application.Person];
            outcomes[a] = held == a ? SimulatedOutcome.RecommendedHere
                : held < 0 ? SimulatedOutcome.NotRecommended
                : applications[held].Priority < application.Priority ? SimulatedOutcome.HigherPriorityElsewhere
                : SimulatedOutcome.LowerPriorityElsewhere;
        }

        var places = Places(result.Offers.Count, applications, personTieRanks, outcomes);
        var standings = new ApplicationStanding[applications.Length];
        for (var a = 0; a < applications.Length; a++)
        {
            standings[a] = new ApplicationStanding(outcomes[a], result.Seats[a], places[a], result.HeldApplication[applications[a].Person]);
        }

        return standings;
    }

    /// <summary>
    /// Each offer's applications in admission order (one packed key each, sorted per offer), counting as it goes those
    /// whose persons stay: everyone but the ones placed at a higher priority elsewhere.
    /// </summary>
    private static int[] Places(int offers, ReadOnlySpan<AllocationApplication> applications, ReadOnlySpan<int> personTieRanks, SimulatedOutcome[] outcomes)
    {
        var dense = DenseRanks(personTieRanks);
        var start = new int[offers + 1];
        foreach (var application in applications)
        {
            start[application.Offer + 1]++;
        }

        for (var o = 0; o < offers; o++)
        {
            start[o + 1] += start[o];
        }

        var keys = new ulong[applications.Length];
        var order = new int[applications.Length];
        var next = start[..^1];
        for (var a = 0; a < applications.Length; a++)
        {
            var application = applications[a];
            var i = next[application.Offer]++;
            keys[i] = AdmissionOrder.Key(application.Score, application.Priority, dense[application.Person]);
            order[i] = a;
        }

        var places = new int[applications.Length];
        for (var o = 0; o < offers; o++)
        {
            var length = start[o + 1] - start[o];
            keys.AsSpan(start[o], length).Sort(order.AsSpan(start[o], length));
            var staying = 0;
            for (var i = start[o]; i < start[o + 1]; i++)
            {
                var a = order[i];
                places[a] = staying + 1;
                if (outcomes[a] != SimulatedOutcome.HigherPriorityElsewhere)
                {
                    staying++;
                }
            }
        }

        return places;
    }

    /// <summary>Each person's place among the sorted tie ranks, so the packed key has room for it.</summary>
    private static int[] DenseRanks(ReadOnlySpan<int> tieRanks)
    {
        var sorted = tieRanks.ToArray();
        var persons = new int[sorted.Length];
        for (var p = 0; p < persons.Length; p++)
        {
            persons[p] = p;
        }

        Array.Sort(sorted, persons);
        var dense = new int[sorted.Length];
        for (var i = 0; i < persons.Length; i++)
        {
            dense[persons[i]] = i;
        }

        return dense;
    }
}
