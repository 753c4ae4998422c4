namespace Abitly.Domain.Ranking;

/// <summary>An estimate of an applicant's place among active budget applications; it ignores places freed by higher priorities elsewhere.</summary>
/// <param name="BestPlace">1 + active general-competition budget applications with a higher score.</param>
/// <param name="WorstPlace"><see cref="BestPlace"/> plus those with an equal score.</param>
/// <param name="ActiveBudgetApplications">Active applications with a budget priority (1–5) and a score, quota ones included.</param>
/// <param name="BudgetPlacesForGeneralCompetition">Budget places minus the quota seats filled (never below 0); null for a contract-only offer.</param>
/// <param name="Standing">Inside, on the edge of, or outside the budget places.</param>
/// <param name="GapToLastBudgetPlace">Applicant score minus the score now holding the last budget place (positive = ahead); null when the places are not all taken.</param>
public sealed record RankEstimate(
    int BestPlace,
    int WorstPlace,
    int ActiveBudgetApplications,
    int? BudgetPlacesForGeneralCompetition,
    Standing Standing,
    decimal? GapToLastBudgetPlace)
{
    /// <summary>Always true: the place is an estimate and replies must say so.</summary>
    public bool IsEstimate { get; } = true;

    /// <summary>True when ties make the place a range.</summary>
    public bool IsRange => WorstPlace != BestPlace;
}
