using System.Collections.Concurrent;
using Abitly.Bot.Data;
using Abitly.Bot.Rendering;

namespace Abitly.Bot.Messaging;

/// <summary>A rendered notification and the notification_log key that makes it once-only.</summary>
public sealed record KeyedNotification(NotificationKey Key, RenderedMessage Message, string Tag);

/// <summary>The tally of a once-only fan-out: what was sent now, and what had been sent before today.</summary>
public sealed record NotificationFanOutResult(int AlreadySent, SendBatchResult Send);

/// <summary>
/// Sends notifications at most once per (user, kind, reference, day): claims their notification_log rows first, sends
/// only what it claimed through the one <see cref="MessageSender"/>, then releases the rows of messages that did not go
/// out, so a later run (a restart, /runDailyNow) may try them again.
/// </summary>
public sealed class NotificationFanOut(INotificationClaims claims, MessageSender sender)
{
    public async Task<NotificationFanOutResult> SendOnceAsync(string batch, DateOnly day, IReadOnlyList<KeyedNotification> notifications, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        var claimed = await claims.ClaimAsync([.. notifications.Select(n => n.Key)], day, ct);
        var toSend = notifications.Where(n => claimed.Contains(n.Key)).ToList();
        var notSent = new ConcurrentBag<NotificationKey>();
        var result = await sender.SendAsync(batch, toSend.Select(n => new OutgoingMessage(
            n.Key.TelegramUserId, n.Message.Html, n.Message.Keyboard, n.Tag,
            (_, outcome) =>
            {
                if (outcome != SendOutcome.Sent)
                {
                    notSent.Add(n.Key);
                }
            })), ct);

        await claims.ReleaseAsync(notSent, day, CancellationToken.None);
        return new NotificationFanOutResult(notifications.Count - toSend.Count, result);
    }
}
