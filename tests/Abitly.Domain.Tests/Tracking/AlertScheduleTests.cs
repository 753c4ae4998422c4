using Abitly.Domain.OpenDays;
using Abitly.Domain.Tracking;
using FsCheck.Xunit;

namespace Abitly.Domain.Tests.Tracking;

public class AlertScheduleTests
{
    private static readonly TimeZoneInfo Kyiv = OpenDayZone.Resolve("Europe/Kyiv");

    // Kyiv is UTC+3 in summer (EEST) and UTC+2 in winter (EET).
    public static TheoryData<string, string, int, string?> Cases => new()
    {
        { "afternoon, nothing sent yet", "2026-07-20T14:00:00+03:00", 0, null },
        { "afternoon, two sent", "2026-07-20T14:00:00+03:00", 2, null },
        { "afternoon, three sent: tomorrow 08:00", "2026-07-20T14:00:00+03:00", 3, "2026-07-21T05:00:00Z" },
        { "21:59 is not quiet yet", "2026-07-20T21:59:59+03:00", 0, null },
        { "22:00 is quiet: tomorrow 08:00", "2026-07-20T22:00:00+03:00", 0, "2026-07-21T05:00:00Z" },
        { "23:30: tomorrow 08:00", "2026-07-20T23:30:00+03:00", 0, "2026-07-21T05:00:00Z" },
        { "00:30 after midnight: today 08:00", "2026-07-21T00:30:00+03:00", 0, "2026-07-21T05:00:00Z" },
        { "07:59: today 08:00", "2026-07-21T07:59:00+03:00", 5, "2026-07-21T05:00:00Z" },
        { "08:00 sends", "2026-07-21T08:00:00+03:00", 0, null },
        { "last day of the year at 23:00", "2026-12-31T23:00:00+02:00", 0, "2027-01-01T06:00:00Z" },
        { "winter afternoon over the limit", "2026-11-02T15:00:00+02:00", 3, "2026-11-03T06:00:00Z" },
        // The night DST starts (29 March 2026, 03:00 → 04:00): 08:00 is 05:00Z, not 06:00Z.
        { "spring-forward night", "2026-03-29T01:30:00+02:00", 0, "2026-03-29T05:00:00Z" },
        // The night DST ends (25 October 2026, 04:00 → 03:00): 08:00 is 06:00Z.
        { "fall-back night", "2026-10-25T02:30:00+03:00", 0, "2026-10-25T06:00:00Z" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Quiet_hours_and_the_daily_limit(string why, string now, int sentToday, string? expected)
    {
        var hold = AlertSchedule.HoldUntil(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), sentToday, AlertWindow.Default, Kyiv);
        Assert.True(Equals(expected is null ? (DateTimeOffset?)null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), hold), $"{why}: {hold:O}");
    }

    [Fact]
    public void The_always_window_never_holds()
    {
        Assert.Null(AlertSchedule.HoldUntil(new DateTimeOffset(2026, 7, 20, 23, 30, 0, TimeSpan.FromHours(3)), 50, AlertWindow.Always, Kyiv));
    }

    [Fact]
    public void A_window_within_one_day_ends_the_same_day()
    {
        var window = new AlertWindow(new TimeOnly(1, 0), new TimeOnly(6, 0), 3);
        Assert.Equal(new DateTimeOffset(2026, 7, 20, 3, 0, 0, TimeSpan.Zero),
            AlertSchedule.HoldUntil(new DateTimeOffset(2026, 7, 20, 2, 0, 0, TimeSpan.FromHours(3)), 0, window, Kyiv));
        Assert.Null(AlertSchedule.HoldUntil(new DateTimeOffset(2026, 7, 20, 23, 0, 0, TimeSpan.FromHours(3)), 0, window, Kyiv));
    }

    [Fact]
    public void The_local_day_turns_at_local_midnight()
    {
        Assert.Equal(new DateOnly(2026, 7, 20), AlertSchedule.LocalDay(new DateTimeOffset(2026, 7, 20, 20, 59, 0, TimeSpan.Zero), Kyiv));
        Assert.Equal(new DateOnly(2026, 7, 21), AlertSchedule.LocalDay(new DateTimeOffset(2026, 7, 20, 21, 0, 0, TimeSpan.Zero), Kyiv));
    }

    [Property]
    public bool A_held_alert_falls_due_at_08_00_local_after_now_and_within_two_days(int minutes, byte sent)
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(Math.Abs(minutes % (366 * 24 * 60)));
        var hold = AlertSchedule.HoldUntil(now, sent % 5, AlertWindow.Default, Kyiv);
        var local = TimeZoneInfo.ConvertTime(now, Kyiv);
        var quiet = local.Hour >= 22 || local.Hour < 8;
        if (hold is not { } due)
        {
            return !quiet && sent % 5 < 3;
        }

        var dueLocal = TimeZoneInfo.ConvertTime(due, Kyiv);
        return due > now && due - now <= TimeSpan.FromHours(34) && dueLocal.Hour == 8 && dueLocal.Minute == 0
            && (quiet || sent % 5 >= 3)
            // Never skips a day: it is today's 08:00 or tomorrow's.
            && (DateOnly.FromDateTime(dueLocal.DateTime).DayNumber - DateOnly.FromDateTime(local.DateTime).DayNumber) is 0 or 1;
    }
}
