namespace Abitly.Domain.Ranking;

/// <summary>A range of scores and how many applications fall in it.</summary>
/// <param name="From">Inclusive lower bound; null for the lowest bucket.</param>
/// <param name="To">Exclusive upper bound, except that the top bucket includes 200.</param>
/// <param name="Count">Applications whose score falls in the range.</param>
public sealed record ScoreBucket(decimal? From, decimal To, int Count);
