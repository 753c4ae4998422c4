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

        // The place of each admitted application is its position in its offer's admission order.
        var admittedPlace = new int[applications.Length];
        for (var o = 0; o < result.Offers.Count; o++)
        {
            var admitted = result.AdmittedApplications(o);
            for (var i = 0; i < admitted.Length; i++)
            {
                admittedPlace[admitted[i]] = i + 1;
            }
        }

        var standings = new ApplicationStanding[applications.Length];
        for (var a = 0; a < applications.Length; a++)
        {
            var application = applications[a];
            var held = result.HeldApplication[application.Person];
            var outcome = held == a ? SimulatedOutcome.RecommendedHere
                : held < 0 ? SimulatedOutcome.NotRecommended
                : applications[held].Priority < application.Priority ? SimulatedOutcome.HigherPriorityElsewhere
                : SimulatedOutcome.LowerPriorityElsewhere;
            var place = held == a
                ? admittedPlace[a]
                : 1 + RankedBefore(result.AdmittedApplications(application.Offer), applications, personTieRanks, application, personTieRanks[application.Person]);
            standings[a] = new ApplicationStanding(outcome, result.Seats[a], place, held);
        }

        return standings;
    }

    /// <summary>How many of an offer's admitted applications (in admission order) rank before the given one: a binary search.</summary>
    private static int RankedBefore(ReadOnlySpan<int> admitted, ReadOnlySpan<AllocationApplication> applications, ReadOnlySpan<int> tieRanks, AllocationApplication application, int tieRank)
    {
        int low = 0, high = admitted.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            var other = applications[admitted[middle]];
            if (AdmissionOrder.Compare(other.Score, other.Priority, tieRanks[other.Person], application.Score, application.Priority, tieRank) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
