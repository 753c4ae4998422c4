namespace Abitly.Domain.OpenDays;

/// <summary>Calendar arithmetic for open days by local date, so DST changes never shift a day.</summary>
public static class OpenDayCalendar
{
    /// <summary>The local calendar date of an instant in a zone.</summary>
    public static DateOnly LocalToday(DateTimeOffset nowUtc, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(nowUtc, zone).DateTime);
    }

    /// <summary>Calendar days from <paramref name="todayLocal"/> to the local date the open day starts on (0 = today, negative = past).</summary>
    public static int DaysAway(DateTimeOffset startsAtUtc, DateOnly todayLocal, TimeZoneInfo zone) =>
        LocalToday(startsAtUtc, zone).DayNumber - todayLocal.DayNumber;

    /// <summary>The UTC instants bounding <paramref name="days"/> local days starting at <paramref name="from"/>: [fromUtc, toUtcExclusive).</summary>
    public static (DateTimeOffset FromUtc, DateTimeOffset ToUtcExclusive) LocalDayRangeUtc(DateOnly from, int days, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        return (StartOfDayUtc(from, zone), StartOfDayUtc(from.AddDays(days), zone));
    }

    /// <summary>The UTC instant a local date begins in a zone.</summary>
    public static DateTimeOffset StartOfDayUtc(DateOnly date, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);

        // Kyiv switches at 03:00/04:00, but some zones skip midnight itself: the day then starts when the gap ends.
        // Gaps are whole minutes and never longer than a day, so this loop is bounded.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        // An ambiguous midnight happens twice; the day starts at the first one, which has the larger offset.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
