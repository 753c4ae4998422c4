using System.Collections.Concurrent;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Domain.OpenDays;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Abitly.Bot.Services;

/// <summary>One followed open day that may be due for a reminder: what the message needs, nothing more.</summary>
public sealed record MonitoredOpenDay(
    long TelegramUserId,
    int OpenDayId,
    string Title,
    string University,
    string? Speciality,
    DateTime StartsAtUtc,
    string? Location,
    string? Url);

/// <summary>A reminder to send: who, which open day, which kind, and the rendered text.</summary>
public sealed record OpenDayReminder(long TelegramUserId, int OpenDayId, ReminderKind Kind, string Html)
{
    public string LogKind => Kind == ReminderKind.ThreeDays ? "open_day_reminder_3d" : "open_day_reminder_1d";
}

/// <summary>The tally of one daily run.</summary>
public sealed record DailyRunResult(int Due, int AlreadySent, SendBatchResult Send);

/// <summary>Daily open-day reminders: the job's work, outside the update pipeline.</summary>
public sealed class NotificationService(
    AbitlyDbContext db,
    NotificationClaims claims,
    MessageSender sender,
    AbitlySettings settings,
    TimeProvider time,
    ILogger<NotificationService> logger)
{
    /// <summary>Reminders for open days exactly 1 or 3 local calendar days away; each (user, open day, kind, date) once.</summary>
    public async Task<DailyRunResult> SendDailyOpenDayNotificationsAsync(CancellationToken ct)
    {
        var zone = OpenDayZone.Resolve(settings.TimeZoneId);
        var today = OpenDayCalendar.LocalToday(time.GetUtcNow(), zone);
        // Only the two local days that can be due (today + 1 and today + 3), as UTC ranges; DST-safe by construction.
        var (oneFrom, oneTo) = Utc(OpenDayCalendar.LocalDayRangeUtc(today.AddDays(1), 1, zone));
        var (threeFrom, threeTo) = Utc(OpenDayCalendar.LocalDayRangeUtc(today.AddDays(3), 1, zone));

        // One query for the followed open days on those days, blocked users skipped.
        var rows = await db.Monitoring.AsNoTracking()
            .Join(db.OpenDays, m => m.OpenDayId, o => o.Id, (m, o) => new { m, o })
            .Join(db.TelegramUsers, x => x.m.TelegramUserId, u => u.Id, (x, u) => new { x.m, x.o, u })
            .Where(x => ((x.o.StartsAt >= oneFrom && x.o.StartsAt < oneTo) || (x.o.StartsAt >= threeFrom && x.o.StartsAt < threeTo)) && x.u.BlockedAt == null)
            .Select(x => new MonitoredOpenDay(
                x.m.TelegramUserId, x.o.Id, x.o.Title, x.o.University.ShortName,
                x.o.Speciality == null ? null : x.o.Speciality.Code + " " + x.o.Speciality.Name,
                x.o.StartsAt, x.o.Location, x.o.Url))
            .ToListAsync(ct);

        var due = BuildDailyNotifications(rows, today, zone);
        // Claimed in notification_log before sending: each (user, open day, kind, date) goes out once.
        var claimed = await ClaimAsync(due, today, ct);
        logger.LogInformation("Daily open-day reminders for {Today}: {Due} due, {Claimed} not sent before", today, due.Count, claimed.Count);

        var failed = new ConcurrentBag<OpenDayReminder>();
        var result = await sender.SendAsync("daily-open-days", claimed.Select(r => new OutgoingMessage(
            r.TelegramUserId, r.Html, Tag: $"open-day {r.OpenDayId} {r.LogKind}",
            OnOutcome: (_, outcome) =>
            {
                if (outcome is SendOutcome.Failed or SendOutcome.DroppedAfterRetries or SendOutcome.Unsent)
                {
                    failed.Add(r);
                }
            })), ct);

        // What did not go out is released, so a later run (restart, /runDailyNow) may try again.
        await ReleaseAsync(failed, today, CancellationToken.None);
        return new DailyRunResult(due.Count, due.Count - claimed.Count, result);
    }

    private static (DateTime From, DateTime To) Utc((DateTimeOffset From, DateTimeOffset To) range) => (range.From.UtcDateTime, range.To.UtcDateTime);

    /// <summary>Pure: keeps open days exactly 1 or 3 local days away and renders one message per (user, open day).</summary>
    public static IReadOnlyList<OpenDayReminder> BuildDailyNotifications(IEnumerable<MonitoredOpenDay> rows, DateOnly today, TimeZoneInfo zone)
    {
        var reminders = new List<OpenDayReminder>();
        var seen = new HashSet<(long, int)>();
        foreach (var row in rows)
        {
            var startsAt = new DateTimeOffset(DateTime.SpecifyKind(row.StartsAtUtc, DateTimeKind.Utc));
            if (OpenDayReminderSchedule.KindFor(OpenDayCalendar.DaysAway(startsAt, today, zone)) is { } kind && seen.Add((row.TelegramUserId, row.OpenDayId)))
            {
                reminders.Add(new OpenDayReminder(row.TelegramUserId, row.OpenDayId, kind, Texts.OpenDayReminder(row, kind, TimeZoneInfo.ConvertTime(startsAt, zone))));
            }
        }

        return reminders;
    }

    private async Task<IReadOnlyList<OpenDayReminder>> ClaimAsync(IReadOnlyList<OpenDayReminder> due, DateOnly today, CancellationToken ct)
    {
        var claimed = await claims.ClaimAsync([.. due.Select(Key)], today, ct);
        return [.. due.Where(d => claimed.Contains(Key(d)))];
    }

    private Task ReleaseAsync(IReadOnlyCollection<OpenDayReminder> failed, DateOnly today, CancellationToken ct) =>
        claims.ReleaseAsync([.. failed.Select(Key)], today, ct);

    private static NotificationKey Key(OpenDayReminder reminder) => new(reminder.TelegramUserId, reminder.LogKind, reminder.OpenDayId);
}
