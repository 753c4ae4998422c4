using Abitly.Bot.Configuration;
using Abitly.Domain.OpenDays;

namespace Abitly.Bot.Services;

/// <summary>
/// The one clock-and-zone of the bot (TIMEZONE, Kyiv by default): today's local date, local day ranges in UTC, and the
/// one UTC→local conversion. Calendar days, not 24-hour spans, so DST changes never shift a day.
/// </summary>
public sealed class LocalCalendar(AbitlySettings settings, TimeProvider time)
{
    public TimeZoneInfo Zone { get; } = OpenDayZone.Resolve(settings.TimeZoneId);

    public DateTimeOffset Now => time.GetUtcNow();

    public DateOnly Today() => OpenDayCalendar.LocalToday(time.GetUtcNow(), Zone);

    /// <summary>The UTC instants bounding <paramref name="days"/> local days from <paramref name="from"/>: [from, to).</summary>
    public (DateTime FromUtc, DateTime ToUtc) DayRangeUtc(DateOnly from, int days = 1)
    {
        var (start, end) = OpenDayCalendar.LocalDayRangeUtc(from, days, Zone);
        return (start.UtcDateTime, end.UtcDateTime);
    }

    public DateTime StartOfTodayUtc() => OpenDayCalendar.StartOfDayUtc(Today(), Zone).UtcDateTime;

    /// <summary>A stored UTC timestamp in local time.</summary>
    public DateTimeOffset ToLocal(DateTime utc) =>
        TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), Zone);

    /// <summary>Local calendar days from today to the day <paramref name="utc"/> falls on (0 = today).</summary>
    public int DaysAway(DateTime utc, DateOnly today) =>
        OpenDayCalendar.DaysAway(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), today, Zone);
}
