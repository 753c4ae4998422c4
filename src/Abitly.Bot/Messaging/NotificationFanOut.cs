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
public sealed class NotificationFanOut(AbitlyDbContext db, INotificationClaims claims, IOutboxStore outbox, FanOutBatchStore batches, OutboxSignal signal, TimeProvider time)
{
    /// <summary>Claims and queues <paramref name="notifications"/> as one batch of <paramref name="kind"/> for <paramref name="day"/>.</summary>
    public async Task<FanOutEnqueued> EnqueueOnceAsync(string kind, DateOnly day, IReadOnlyList<KeyedNotification> notifications, FanOutOrigin? origin, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            var claimed = await claims.ClaimAsync([.. notifications.Select(n => n.Key)], day, ct);
            var toQueue = notifications.Where(n => claimed.Contains(n.Key)).ToList();
            long? batchId = null;
            if (toQueue.Count > 0 || origin is not null)
            {
                var now = time.GetUtcNow().UtcDateTime;
                var batch = new FanOutBatch
                {
                    Kind = kind,
                    AdminChatId = origin?.AdminChatId,
                    ProgressMessageId = origin?.ProgressMessageId,
                    Heading = origin?.Heading(toQueue.Count, notifications.Count - toQueue.Count),
                    Recipients = toQueue.Select(n => n.Key.TelegramUserId).Distinct().Count(),
                    Messages = toQueue.Count,
                    Status = toQueue.Count == 0 ? FanOutStatus.Finished : FanOutStatus.Running,
                    CreatedAt = now,
                    FinishedAt = toQueue.Count == 0 ? now : null,
                };
                // One INSERT … RETURNING rather than SaveChanges: a job's first run in a process would otherwise pay for
                // building EF's update pipeline (a few hundred milliseconds cold) to write this one row.
                batchId = await batches.TryCreateAsync(batch, ct) ?? throw new InvalidOperationException("A fan-out batch without a key was refused.");
                await outbox.AddFanOutAsync(Rows(batchId.Value, kind, day, now, toQueue), ct);
            }

            if (own is not null)
            {
                await own.CommitAsync(ct);
                signal.Nudge();
            }

            return new FanOutEnqueued(batchId, toQueue.Count, notifications.Count - toQueue.Count);
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
    /// The rows to queue, each message serialized once however many chats get it (the day's reminders share one text per
    /// open day, an open-day update one per day): the rows refer to their message's payload template by number.
    /// </summary>
    private static FanOutRows Rows(long batchId, string kind, DateOnly day, DateTime now, List<KeyedNotification> toQueue)
    {
        var payloads = new List<OutboxPayloadTemplate>();
        var numbers = new Dictionary<RenderedMessage, int>(ReferenceEqualityComparer.Instance);
        var rows = new FanOutRow[toQueue.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var notification = toQueue[i];
            if (!numbers.TryGetValue(notification.Message, out var number))
            {
                number = payloads.Count;
                payloads.Add(OutboxPayload.MessageTemplate(notification.Message));
                numbers.Add(notification.Message, number);
            }

            rows[i] = new FanOutRow(notification.Key, number);
        }

        return new FanOutRows(batchId, kind, day, now, payloads, rows);
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
