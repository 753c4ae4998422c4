namespace Abitly.Domain.Ranking;

/// <summary>One offer's cut-off as one import run left it.</summary>
public sealed record CutOffPoint(DateTimeOffset TakenAt, decimal? CutOff);

/// <summary>How an offer's budget cut-off moved: by <see cref="Delta"/> since <see cref="Since"/> (a day before, when the history reaches that far back).</summary>
public sealed record CutOffTrend(decimal Delta, DateTimeOffset Since, bool OverADay)
{
    /// <summary>How far back "over a day" looks.</summary>
    public static readonly TimeSpan Day = TimeSpan.FromHours(24);

    /// <summary>
    /// Compares the newest point with the newest one taken at least a day earlier, or — when the history is shorter than a
    /// day — with the oldest one; null without two points that both have a cut-off.
    /// </summary>
    public static CutOffTrend? From(IReadOnlyList<CutOffPoint> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count < 2)
        {
            return null;
        }

        var ordered = history.OrderByDescending(p => p.TakenAt).ToList();
        var latest = ordered[0];
        var dayBefore = ordered.Skip(1).FirstOrDefault(p => p.TakenAt <= latest.TakenAt - Day);
        var baseline = dayBefore ?? ordered[^1];
        return latest.CutOff is { } now && baseline.CutOff is { } then
            ? new CutOffTrend(now - then, baseline.TakenAt, dayBefore is not null)
            : null;
    }
}
