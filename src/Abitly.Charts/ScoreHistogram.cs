using Abitly.Domain.Ranking;

namespace Abitly.Charts;

/// <summary>The chart's bins: a fixed 100–200 score axis cut into equal bins whose width suits the list.</summary>
public static class ScoreHistogram
{
    /// <summary>Lowest score on the axis (the NMT scale starts at 100).</summary>
    public const decimal AxisMinimum = 100m;

    /// <summary>Highest score on the axis (competitive scores are capped at 200).</summary>
    public const decimal AxisMaximum = 200m;

    /// <summary>Bin widths the chart uses, narrowest first; each divides the 100-point axis, so bins start at round scores.</summary>
    public static IReadOnlyList<int> AllowedWidths { get; } = [1, 2, 5];

    /// <summary>
    /// The square-root rule snapped down to a round width: the ideal width is the scores' spread (highest − lowest)
    /// divided by √count, and the chart takes the widest of 1, 2 or 5 points that does not exceed it (1 when even 1 does).
    /// So a long list is drawn point by point, and a short or widely spread one in fewer, fuller bins.
    /// </summary>
    /// <param name="count">Applications on the list (at least one).</param>
    /// <param name="lowest">Lowest score on the list.</param>
    /// <param name="highest">Highest score on the list.</param>
    public static int ChooseBinWidth(int count, decimal lowest, decimal highest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(highest, lowest);

        var ideal = (double)(highest - lowest) / Math.Sqrt(count);
        var width = AllowedWidths[0];
        foreach (var candidate in AllowedWidths)
        {
            if (candidate <= ideal)
            {
                width = candidate;
            }
        }

        return width;
    }

    /// <summary>Counts applications per bin of <paramref name="width"/> points over 100–200, each bin split by quota kind.</summary>
    /// <remarks>A bin holds [from, from + width); 200 falls into the last bin. Scores must lie within 100–200.</remarks>
    public static IReadOnlyList<ScoreBin> Build(IReadOnlyList<ChartApplication> applications, int width)
    {
        ArgumentNullException.ThrowIfNull(applications);
        if (!AllowedWidths.Contains(width))
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, "A bin is 1, 2 or 5 points wide.");
        }

        var binCount = (int)((AxisMaximum - AxisMinimum) / width);
        var general = new int[binCount];
        var quota1 = new int[binCount];
        var quota2 = new int[binCount];
        foreach (var application in applications)
        {
            var index = Math.Min(binCount - 1, (int)((application.Score - AxisMinimum) / width));
            var counts = application.Quota switch
            {
                QuotaKind.Quota1 => quota1,
                QuotaKind.Quota2 => quota2,
                _ => general,
            };
            counts[index]++;
        }

        var bins = new ScoreBin[binCount];
        for (var i = 0; i < binCount; i++)
        {
            bins[i] = new ScoreBin(AxisMinimum + (i * width), AxisMinimum + ((i + 1) * width), general[i], quota1[i], quota2[i]);
        }

        return bins;
    }
}

/// <summary>One bar of the chart: a score range and how many applications of each quota kind fall in it.</summary>
/// <param name="From">Inclusive lower score.</param>
/// <param name="To">Exclusive upper score (the last bin also holds 200).</param>
/// <param name="General">Applications without a quota.</param>
/// <param name="Quota1">Quota-1 applications.</param>
/// <param name="Quota2">Quota-2 applications.</param>
public readonly record struct ScoreBin(decimal From, decimal To, int General, int Quota1, int Quota2)
{
    /// <summary>All applications in the bin.</summary>
    public int Total => General + Quota1 + Quota2;
}
