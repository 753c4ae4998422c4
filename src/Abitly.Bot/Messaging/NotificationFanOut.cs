using Abitly.Bot.Data;
using Abitly.Bot.Rendering;

namespace Abitly.Bot.Messaging;

/// <summary>A rendered notification and the notification_log key that makes it once-only.</summary>
public sealed record KeyedNotification(NotificationKey Key, RenderedMessage Message, string Tag);

/// <summary>A fan-out written to the outbox: its batch (null when every key had been claimed before), rows queued, keys already claimed.</summary>
public sealed record FanOutEnqueued(long? BatchId, int Queued, int AlreadySent);

/// <summary>
/// The admin who started a fan-out and gets its summary; <paramref name="Heading"/> writes the summary's first lines from
/// the messages queued and those sent earlier.
/// </summary>
public sealed record FanOutOrigin(long AdminChatId, Func<int, int, string> Heading, int? ProgressMessageId = null);

/// <summary>
/// Sends notifications at most once per (user, kind, reference, day). <see cref="EnqueueOnceAsync"/> claims the
/// notification_log rows and writes an outbox row for each key it claimed, under a new fan-out batch, in one transaction
/// (the caller's when one is open): a crash before the commit leaves nothing claimed, after it the sender workers send
/// the rows, and a row that does not go out releases its claim so a later run may try again.
/// </summary>
public sealed class NotificationFanOut(AbitlyDbContext db, IFanOutWrites writes, OutboxSignal signal, TimeProvider time)
{
    /// <summary>Claims and queues <paramref name="notifications"/> as one batch of <paramref name="kind"/> for <paramref name="day"/>.</summary>
    public async Task<FanOutEnqueued> EnqueueOnceAsync(string kind, DateOnly day, IReadOnlyList<KeyedNotification> notifications, FanOutOrigin? origin, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            var written = await writes.WriteAsync(Draft(kind, day, time.GetUtcNow().UtcDateTime, notifications, origin), ct);
            if (own is not null)
            {
                await own.CommitAsync(ct);
                signal.Nudge();
            }

            return new FanOutEnqueued(written.BatchId, written.Queued, notifications.Count - written.Queued);
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The fan-out to write, each message serialized once however many chats get it (the day's reminders share one text
    /// per open day, an open-day update one per day): the rows refer to their message's payload template by number.
    /// </summary>
    private static FanOutDraft Draft(string kind, DateOnly day, DateTime now, IReadOnlyList<KeyedNotification> notifications, FanOutOrigin? origin)
    {
        var payloads = new List<OutboxPayloadTemplate>();
        var numbers = new Dictionary<RenderedMessage, int>(ReferenceEqualityComparer.Instance);
        var rows = new FanOutRow[notifications.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var notification = notifications[i];
            if (!numbers.TryGetValue(notification.Message, out var number))
            {
                number = payloads.Count;
                payloads.Add(OutboxPayload.MessageTemplate(notification.Message));
                numbers.Add(notification.Message, number);
            }

            rows[i] = new FanOutRow(notification.Key, number);
        }

        return new FanOutDraft(kind, day, now, payloads, rows, origin?.AdminChatId, origin?.ProgressMessageId, origin?.Heading);
    }
}

/// <summary>Wakes this instance's outbox workers at once when rows were just committed (others find them on their next poll).</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    /// <summary>Rows are due now.</summary>
    public void Nudge()
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already nudged and not yet seen: one wake-up covers both.
        }
    }

    /// <summary>Waits for a nudge or <paramref name="timeout"/>, whichever comes first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _pending.WaitAsync(timeout, ct);

    public void Dispose() => _pending.Dispose();
}
