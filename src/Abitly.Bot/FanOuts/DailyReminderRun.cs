using Abitly.Bot.Data;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Domain.OpenDays;
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
        var notifications = Notifications(due);
        var origin = adminChatId is { } chat ? new FanOutOrigin(chat, AdminRenderer.DailyRunHeading) : null;
        var queued = await fanOut.EnqueueOnceAsync(FanOutKinds.OpenDayReminder, today, notifications, origin, ct);
        logger.LogInformation("Daily open-day reminders for {Today}: {Due} due, {Queued} queued, {Already} sent earlier today",
            today, due.Count, queued.Queued, queued.AlreadySent);
        return new DailyRunResult(due.Count, queued);
    }

    /// <summary>
    /// Each reminder keyed for the claim. The reminders of one open day share its card and differ only in the chat, so the
    /// text is rendered once per card, and the fan-out writes that one message for all of them.
    /// </summary>
    private static List<KeyedNotification> Notifications(IReadOnlyList<OpenDayReminder> due)
    {
        var notifications = new List<KeyedNotification>(due.Count);
        var rendered = new Dictionary<(OpenDayCard, ReminderKind), (RenderedMessage Message, string Tag)>(SameCard.Instance);
        foreach (var reminder in due)
        {
            if (!rendered.TryGetValue((reminder.Day, reminder.Kind), out var text))
            {
                text = (OpenDayRenderer.Reminder(reminder), $"open-day {reminder.Day.Id} {reminder.LogKind}");
                rendered.Add((reminder.Day, reminder.Kind), text);
            }

            notifications.Add(new KeyedNotification(reminder.Key, text.Message, text.Tag));
        }

        return notifications;
    }

    /// <summary>The same card instance and kind (value equality would hash every text of the card for each reminder).</summary>
    private sealed class SameCard : IEqualityComparer<(OpenDayCard Card, ReminderKind Kind)>
    {
        public static readonly SameCard Instance = new();

        public bool Equals((OpenDayCard Card, ReminderKind Kind) x, (OpenDayCard Card, ReminderKind Kind) y) =>
            ReferenceEquals(x.Card, y.Card) && x.Kind == y.Kind;

        public int GetHashCode((OpenDayCard Card, ReminderKind Kind) obj) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Card), obj.Kind);
    }
}
