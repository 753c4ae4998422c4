using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Microsoft.Extensions.Logging;

namespace Abitly.Bot.FanOuts;

/// <summary>The tally of one daily run.</summary>
public sealed record DailyRunResult(int Due, int AlreadySent, SendBatchResult Send);

/// <summary>The 07:00 reminders (the Quartz job and /runDailyNow): find what is due, render it, send each once.</summary>
public sealed class DailyReminderRun(OpenDayReminderService reminders, NotificationFanOut fanOut, ILogger<DailyReminderRun> logger)
{
    public async Task<DailyRunResult> RunAsync(CancellationToken ct)
    {
        var (today, due) = await reminders.FindDueAsync(ct);
        var notifications = due.Select(r => new KeyedNotification(r.Key, OpenDayRenderer.Reminder(r), $"open-day {r.Day.Id} {r.LogKind}")).ToList();
        var result = await fanOut.SendOnceAsync("daily-open-days", today, notifications, ct);
        logger.LogInformation("Daily open-day reminders for {Today}: {Due} due, {New} not sent before", today, due.Count, due.Count - result.AlreadySent);
        return new DailyRunResult(due.Count, result.AlreadySent, result.Send);
    }
}
