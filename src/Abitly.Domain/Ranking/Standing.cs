namespace Abitly.Domain.Ranking;

/// <summary>Where an applicant's score puts them against the budget places.</summary>
public enum Standing
{
    /// <summary>Inside the budget places by a margin of more than <see cref="RankEstimator.EdgeMargin"/>.</summary>
    Inside,

    /// <summary>Ties straddle the last budget place, or the score is within <see cref="RankEstimator.EdgeMargin"/> of it either way.</summary>
    Edge,

    /// <summary>Outside the budget places by more than <see cref="RankEstimator.EdgeMargin"/>.</summary>
    Outside,

    /// <summary>The offer has no budget places for the general competition.</summary>
    NoBudget,
}
