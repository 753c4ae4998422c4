using Abitly.Bot.Data;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Microsoft.Extensions.Logging;

namespace Abitly.Bot.FanOuts;

/// <summary>What one daily run found and queued.</summary>
public sealed record DailyRunResult(int Due, FanOutEnqueued Queued);

/// <summary>
/// The 07:00 reminders (the Quartz job and /runDailyNow): find what is due, render it, and queue each (user, open day,
/// kind) once a day in the outbox; the sender workers deliver, and the admin who asked gets the summary when it is done.
/// </summary>
public sealed class DailyReminderRun(OpenDayReminderService reminders, NotificationFanOut fanOut, ILogger<DailyReminderRun> logger)
{
    public async Task<DailyRunResult> RunAsync(long? adminChatId, CancellationToken ct)
    {
        var (today, due) = await reminders.FindDueAsync(ct);
        var notifications = due.Select(r => new KeyedNotification(r.Key, OpenDayRenderer.Reminder(r), $"open-day {r.Day.Id} {r.LogKind}")).ToList();
        var origin = adminChatId is { } chat ? new FanOutOrigin(chat, AdminRenderer.DailyRunHeading) : null;
        var queued = await fanOut.EnqueueOnceAsync(FanOutKinds.OpenDayReminder, today, notifications, origin, ct);
        logger.LogInformation("Daily open-day reminders for {Today}: {Due} due, {Queued} queued, {Already} sent earlier today",
            today, due.Count, queued.Queued, queued.AlreadySent);
        return new DailyRunResult(due.Count, queued);
    }
}
