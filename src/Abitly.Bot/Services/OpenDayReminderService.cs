using Abitly.Bot.Data;
using Abitly.Domain.OpenDays;

namespace Abitly.Bot.Services;

/// <summary>A reminder due today: who, which open day, which kind.</summary>
public sealed record OpenDayReminder(long TelegramUserId, OpenDayCard Day, ReminderKind Kind)
{
    /// <summary>notification_log kinds of the two reminders; ref_id is the open day id, for_date today's local date.</summary>
    public string LogKind => Kind == ReminderKind.ThreeDays ? "open_day_reminder_3d" : "open_day_reminder_1d";

    public NotificationKey Key => new(TelegramUserId, LogKind, Day.Id);
}

/// <summary>The reminders due today, found for the daily job (07:00 local) and /runDailyNow.</summary>
public sealed class OpenDayReminderService(OpenDayStore store, LocalCalendar calendar)
{
    /// <summary>Reminders for open days exactly 1 or 3 local calendar days away, for users who have not blocked the bot.</summary>
    public async Task<(DateOnly Today, IReadOnlyList<OpenDayReminder> Due)> FindDueAsync(CancellationToken ct)
    {
        var today = calendar.Today();
        // Only the two local days that can be due (today + 1 and today + 3), as UTC ranges; DST-safe by construction.
        var rows = await store.FollowedStartingWithinAsync(calendar.DayRangeUtc(today.AddDays(1)), calendar.DayRangeUtc(today.AddDays(3)), ct);
        return (today, BuildDue(rows, today, calendar.Zone));
    }

    /// <summary>Pure: keeps open days exactly 1 or 3 local days away, one reminder per (user, open day).</summary>
    public static IReadOnlyList<OpenDayReminder> BuildDue(IEnumerable<FollowedOpenDay> rows, DateOnly today, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var reminders = new List<OpenDayReminder>(rows.TryGetNonEnumeratedCount(out var count) ? count : 0);
        var seen = new HashSet<(long, int)>(reminders.Capacity);
        // The store hands every follower of a day the same record: its kind and card are worked out once per day, and all
        // its reminders share that card (the renderer then renders it once per day, not once per follower).
        var days = new Dictionary<OpenDayRecord, (ReminderKind Kind, OpenDayCard Card)?>(ReferenceEqualityComparer.Instance);
        foreach (var row in rows)
        {
            if (!days.TryGetValue(row.Day, out var due))
            {
                due = Due(row.Day, today, zone);
                days.Add(row.Day, due);
            }

            if (due is { } d && seen.Add((row.TelegramUserId, row.Day.Id)))
            {
                reminders.Add(new OpenDayReminder(row.TelegramUserId, d.Card, d.Kind));
            }
        }

        return reminders;
    }

    private static (ReminderKind Kind, OpenDayCard Card)? Due(OpenDayRecord day, DateOnly today, TimeZoneInfo zone)
    {
        var startsAt = new DateTimeOffset(DateTime.SpecifyKind(day.StartsAtUtc, DateTimeKind.Utc));
        return OpenDayReminderSchedule.KindFor(OpenDayCalendar.DaysAway(startsAt, today, zone)) is { } kind
            ? (kind, new OpenDayCard(day.Id, day.Title, day.Description, day.University, day.SpecialityCode, day.SpecialityName,
                TimeZoneInfo.ConvertTime(startsAt, zone), day.Location, day.Url))
            : null;
    }
}
