namespace Abitly.Domain.Tracking;

/// <summary>When alerts may go out: quiet hours in local time and a daily limit per user.</summary>
/// <param name="QuietFrom">Local time from which nothing is sent (22:00).</param>
/// <param name="QuietUntil">Local time from which sending resumes (08:00); quiet hours may span midnight.</param>
/// <param name="DailyLimit">Alert messages per user per local day (3).</param>
public sealed record AlertWindow(TimeOnly QuietFrom, TimeOnly QuietUntil, int DailyLimit)
{
    /// <summary>22:00–08:00, three a day (the rules).</summary>
    public static AlertWindow Default { get; } = new(new TimeOnly(22, 0), new TimeOnly(8, 0), 3);

    /// <summary>No quiet hours and no limit (the sandbox, where a person wants to see the alert at once).</summary>
    public static AlertWindow Always { get; } = new(TimeOnly.MinValue, TimeOnly.MinValue, int.MaxValue);

    /// <summary>Whether <paramref name="local"/> falls in the quiet hours.</summary>
    public bool IsQuiet(TimeOnly local) =>
        QuietFrom == QuietUntil ? false
        : QuietFrom < QuietUntil ? local >= QuietFrom && local < QuietUntil
        : local >= QuietFrom || local < QuietUntil;
}

/// <summary>
/// Decides whether a user's alert goes out now or waits. Pure: the instant and the zone come in, a UTC instant comes out.
/// What waits is merged, at the time it falls due, with anything newer (the caller diffs against the told state then).
/// </summary>
public static class AlertSchedule
{
    /// <summary>
    /// Null when a message may go now; otherwise the UTC instant it falls due: the end of the quiet hours, or — beyond the
    /// daily limit — the end of the next day's quiet hours (the next day's first message).
    /// </summary>
    public static DateTimeOffset? HoldUntil(DateTimeOffset now, int sentToday, AlertWindow window, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var today = DateOnly.FromDateTime(local.DateTime);
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (window.IsQuiet(time))
        {
            // Before midnight the quiet hours end tomorrow; after it, today.
            var endsOn = window.QuietFrom > window.QuietUntil && time >= window.QuietFrom ? today.AddDays(1) : today;
            return LocalToUtc(endsOn, window.QuietUntil, zone);
        }

        if (sentToday >= window.DailyLimit)
        {
            return LocalToUtc(today.AddDays(1), window.QuietUntil, zone);
        }

        return null;
    }

    /// <summary>The local calendar day of <paramref name="now"/>: the day the daily limit counts.</summary>
    public static DateOnly LocalDay(DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
    }

    /// <summary>A local wall-clock time as a UTC instant; a time skipped by a DST change moves to the first valid one after it.</summary>
    public static DateTimeOffset LocalToUtc(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var wall = day.ToDateTime(time, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(wall))
        {
            wall = wall.AddMinutes(30);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(wall, zone), TimeSpan.Zero);
    }
}
