namespace Abitly.Domain.Ranking;

/// <summary>Estimates an applicant's place in an offer's budget competition from its published list (the one cut-off rule of <see cref="BudgetCompetition"/>).</summary>
/// <remarks>
/// The applicant competes in the general competition. Their own application, if it is on the list, should be left out
/// by the caller.
/// </remarks>
public static class RankEstimator
{
    /// <summary>Points either side of the last budget place that count as the edge.</summary>
    public const decimal EdgeMargin = 1.0m;

    /// <summary>The highest budget priority; 6+ or null means contract only.</summary>
    public const int MaxBudgetPriority = 5;

    /// <summary>Places an applicant with <paramref name="applicantScore"/> among the active budget applications.</summary>
    public static RankEstimate Estimate(IEnumerable<RankedApplication> applications, decimal applicantScore, BudgetSeats seats) =>
        Estimate(BudgetCompetition.From(applications, seats), applicantScore);

    /// <summary>The same, over a list already reduced to its budget competition (cheap: a binary search).</summary>
    public static RankEstimate Estimate(BudgetCompetition competition, decimal applicantScore)
    {
        ArgumentNullException.ThrowIfNull(competition);
        var higher = competition.CountAbove(applicantScore);
        var equal = competition.CountAtLeast(applicantScore) - higher;
        var bestPlace = 1 + higher;
        var worstPlace = bestPlace + equal;
        var places = competition.GeneralSeats;
        if (places is null or 0)
        {
            return new RankEstimate(bestPlace, worstPlace, competition.ActiveBudgetApplications, places, Standing.NoBudget, null);
        }

        // The score now on the last budget place decides it: above it is in, equal is a tie, below is out.
        decimal? gap = competition.CutOff is { } cutOff ? applicantScore - cutOff : null;
        var standing = gap switch
        {
            null => Standing.Inside,
            var g when Math.Abs(g.Value) <= EdgeMargin => Standing.Edge,
            var g when g.Value > 0m => Standing.Inside,
            _ => Standing.Outside,
        };

        return new RankEstimate(bestPlace, worstPlace, competition.ActiveBudgetApplications, places, standing, gap);
    }
}
