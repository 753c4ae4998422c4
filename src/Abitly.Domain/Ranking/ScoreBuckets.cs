namespace Abitly.Domain.Ranking;

/// <summary>Groups scores into 10-point buckets from 200 down to 140, plus one for everything below.</summary>
public static class ScoreBuckets
{
    /// <summary>Lower bounds of the buckets, highest first; the last bucket holds everything below the last bound.</summary>
    // An array, not the interface, in the per-score loop (declared first: LowerBounds is initialised from it).
    private static readonly decimal[] Bounds = [190m, 180m, 170m, 160m, 150m, 140m];

    public static IReadOnlyList<decimal> LowerBounds { get; } = Array.AsReadOnly(Bounds);

    /// <summary>Counts scores per bucket (null scores skipped); always returns every bucket, highest first.</summary>
    public static IReadOnlyList<ScoreBucket> Build(IEnumerable<decimal?> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);

        var counts = new int[Bounds.Length + 1];
        foreach (var score in scores)
        {
            if (score is not { } value)
            {
                continue;
            }

            var index = 0;
            while (index < Bounds.Length && value < Bounds[index])
            {
                index++;
            }

            counts[index]++;
        }

        var buckets = new List<ScoreBucket>(counts.Length);
        for (var i = 0; i < LowerBounds.Count; i++)
        {
            buckets.Add(new ScoreBucket(LowerBounds[i], i == 0 ? CompetitiveScoreCeiling : LowerBounds[i - 1], counts[i]));
        }

        buckets.Add(new ScoreBucket(null, LowerBounds[^1], counts[^1]));
        return buckets;
    }

    private const decimal CompetitiveScoreCeiling = 200m;
}
