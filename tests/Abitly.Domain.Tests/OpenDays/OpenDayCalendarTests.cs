using Abitly.Domain.OpenDays;

namespace Abitly.Domain.Tests.OpenDays;

public class OpenDayCalendarTests
{
    private static readonly TimeZoneInfo Kyiv = OpenDayZone.Resolve(OpenDayZone.Kyiv);

    [Theory]
    [InlineData("2026-01-15T21:59:59Z", "2026-01-15")] // 23:59:59 at UTC+2
    [InlineData("2026-01-15T22:00:00Z", "2026-01-16")] // midnight at UTC+2
    [InlineData("2026-07-15T20:59:59Z", "2026-07-15")] // 23:59:59 at UTC+3
    [InlineData("2026-07-15T21:00:00Z", "2026-07-16")] // midnight at UTC+3
    [InlineData("2026-03-29T00:59:59Z", "2026-03-29")] // 02:59:59, just before the spring switch
    [InlineData("2026-03-29T01:00:00Z", "2026-03-29")] // 04:00 after it
    [InlineData("2026-10-25T00:30:00Z", "2026-10-25")] // 03:30 the first time
    [InlineData("2026-10-25T01:30:00Z", "2026-10-25")] // 03:30 the second time
    public void Local_today_is_the_Kyiv_calendar_date(string nowUtc, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), OpenDayCalendar.LocalToday(Utc(nowUtc), Kyiv));
    }

    [Theory]
    // Spring: 2026-03-29 03:00 → 04:00 (UTC+2 → UTC+3). Today is Friday 2026-03-27.
    [InlineData("2026-03-27", "2026-03-28T21:30:00Z", 1)] // 23:30 on the 28th (UTC+2)
    [InlineData("2026-03-27", "2026-03-28T22:30:00Z", 2)] // 00:30 on the 29th, the switch day (UTC+2)
    [InlineData("2026-03-27", "2026-03-29T20:30:00Z", 2)] // 23:30 on the 29th (UTC+3)
    [InlineData("2026-03-27", "2026-03-29T21:30:00Z", 3)] // 00:30 on the 30th (UTC+3): under 72 hours away, still 3 days
    [InlineData("2026-03-27", "2026-03-30T20:30:00Z", 3)] // 23:30 on the 30th
    [InlineData("2026-03-27", "2026-03-30T21:30:00Z", 4)] // 00:30 on the 31st
    // Autumn: 2026-10-25 04:00 → 03:00 (UTC+3 → UTC+2). Today is Saturday 2026-10-24.
    [InlineData("2026-10-24", "2026-10-24T20:30:00Z", 0)] // 23:30 today (UTC+3)
    [InlineData("2026-10-24", "2026-10-24T21:30:00Z", 1)] // 00:30 on the 25th, the switch day (UTC+3)
    [InlineData("2026-10-24", "2026-10-25T21:30:00Z", 1)] // 23:30 on the 25th (UTC+2)
    [InlineData("2026-10-24", "2026-10-25T22:30:00Z", 2)] // 00:30 on the 26th (UTC+2)
    [InlineData("2026-10-24", "2026-10-26T22:30:00Z", 3)] // 00:30 on the 27th: over 72 hours away, still 3 days
    [InlineData("2026-10-24", "2026-10-27T21:30:00Z", 3)] // 23:30 on the 27th
    [InlineData("2026-10-24", "2026-10-27T22:30:00Z", 4)] // 00:30 on the 28th
    [InlineData("2026-10-24", "2026-10-23T21:30:00Z", 0)] // 00:30 today (UTC+3)
    [InlineData("2026-10-24", "2026-10-22T21:30:00Z", -1)] // 00:30 yesterday
    public void Days_away_counts_Kyiv_calendar_dates_across_DST(string today, string startsAtUtc, int expected)
    {
        var days = OpenDayCalendar.DaysAway(Utc(startsAtUtc), Date(today), Kyiv);

        Assert.Equal(expected, days);
    }

    [Fact]
    public void The_daily_07_00_run_before_the_spring_switch_reminds_about_1_and_3_days_only()
    {
        // 07:00 Kyiv on 2026-03-27 = 05:00Z; open days at 00:30 local on the 28th … 31st.
        var today = OpenDayCalendar.LocalToday(Utc("2026-03-27T05:00:00Z"), Kyiv);
        string[] startsAtUtc = ["2026-03-27T22:30:00Z", "2026-03-28T22:30:00Z", "2026-03-29T21:30:00Z", "2026-03-30T21:30:00Z"];

        var due = startsAtUtc.Where(s => OpenDayReminderSchedule.IsDue(OpenDayCalendar.DaysAway(Utc(s), today, Kyiv))).ToList();

        Assert.Equal(["2026-03-27T22:30:00Z", "2026-03-29T21:30:00Z"], due);
    }

    [Fact]
    public void A_local_day_range_over_the_spring_switch_is_23_hours()
    {
        var (fromUtc, toUtc) = OpenDayCalendar.LocalDayRangeUtc(Date("2026-03-29"), 1, Kyiv);

        Assert.Equal(Utc("2026-03-28T22:00:00Z"), fromUtc); // midnight at UTC+2
        Assert.Equal(Utc("2026-03-29T21:00:00Z"), toUtc); // next midnight at UTC+3
        Assert.Equal(TimeSpan.FromHours(23), toUtc - fromUtc);
    }

    [Fact]
    public void A_local_day_range_over_the_autumn_switch_is_25_hours()
    {
        var (fromUtc, toUtc) = OpenDayCalendar.LocalDayRangeUtc(Date("2026-10-25"), 1, Kyiv);

        Assert.Equal(Utc("2026-10-24T21:00:00Z"), fromUtc); // midnight at UTC+3
        Assert.Equal(Utc("2026-10-25T22:00:00Z"), toUtc); // next midnight at UTC+2
        Assert.Equal(TimeSpan.FromHours(25), toUtc - fromUtc);
    }

    [Fact]
    public void A_range_of_several_days_spans_whole_local_days()
    {
        // 27th 00:00 (UTC+2) up to the 31st 00:00 (UTC+3)
        var (fromUtc, toUtc) = OpenDayCalendar.LocalDayRangeUtc(Date("2026-03-27"), 4, Kyiv);

        Assert.Equal(Utc("2026-03-26T22:00:00Z"), fromUtc);
        Assert.Equal(Utc("2026-03-30T21:00:00Z"), toUtc);
        Assert.Equal(DateTimeKind.Utc, fromUtc.UtcDateTime.Kind);
        Assert.Equal(TimeSpan.Zero, toUtc.Offset);
    }

    [Fact]
    public void A_day_whose_midnight_is_skipped_starts_when_the_gap_ends()
    {
        // A zone (UTC+2) that springs forward at 00:00 → 01:00 on the last Sunday of March: 2026-03-29 starts at 01:00 UTC+3.
        var zone = MidnightSwitchingZone();

        Assert.Equal(Utc("2026-03-28T22:00:00Z"), OpenDayCalendar.StartOfDayUtc(Date("2026-03-29"), zone));
    }

    [Fact]
    public void A_day_whose_midnight_happens_twice_starts_at_the_first()
    {
        // The same zone falls back at 01:00 → 00:00 on 2026-10-25, so 00:00 happens at UTC+3 and again at UTC+2.
        var zone = MidnightSwitchingZone();

        Assert.Equal(Utc("2026-10-24T21:00:00Z"), OpenDayCalendar.StartOfDayUtc(Date("2026-10-25"), zone));
    }

    private static TimeZoneInfo MidnightSwitchingZone()
    {
        var start = TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 0, 0, 0), 3, 5, DayOfWeek.Sunday);
        var end = TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 1, 0, 0), 10, 5, DayOfWeek.Sunday);
        var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(new DateTime(2000, 1, 1), DateTime.MaxValue.Date, TimeSpan.FromHours(1), start, end);
        return TimeZoneInfo.CreateCustomTimeZone("Test/MidnightSwitch", TimeSpan.FromHours(2), "Midnight switch", "MST", "MDT", [rule]);
    }

    private static DateTimeOffset Utc(string value) =>
        DateTimeOffset.Parse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);

    private static DateOnly Date(string value) => DateOnly.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
}
