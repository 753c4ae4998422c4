using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Data;

/// <summary>A fan-out's tally, counted from its outbox rows.</summary>
public sealed record FanOutTally(int Pending, int Sent, int Blocked, int Failed, int Cancelled)
{
    public int Total => Pending + Sent + Blocked + Failed + Cancelled;

    public static FanOutTally From(IReadOnlyDictionary<OutboxStatus, int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int Count(OutboxStatus status) => counts.TryGetValue(status, out var n) ? n : 0;
        return new(Count(OutboxStatus.Pending), Count(OutboxStatus.Sent), Count(OutboxStatus.Blocked),
            Count(OutboxStatus.Failed) + Count(OutboxStatus.Dropped), Count(OutboxStatus.Cancelled));
    }
}

/// <summary><c>fan_out_batches</c>: creating a fan-out once, writing a broadcast's rows, and the monitor's lease and finish.</summary>
public sealed class FanOutBatchStore(AbitlyDbContext db, TimeProvider time)
{
    /// <summary>Adds <paramref name="batch"/> in the current transaction; null when a batch with its <see cref="FanOutBatch.Key"/> exists (started before).</summary>
    public async Task<long?> TryCreateAsync(FanOutBatch batch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await using var command = await db.CreateCommandAsync(
            """
            INSERT INTO fan_out_batches (kind, key, heading, admin_chat_id, progress_message_id, recipients, messages, status, created_at, finished_at)
            VALUES (@kind, @key, @heading, @admin, @progress, @recipients, @messages, @status, @created, @finished)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, ct);
        command.AddParameter("kind", batch.Kind);
        command.AddParameter("key", batch.Key);
        command.AddParameter("heading", batch.Heading);
        command.AddParameter("admin", batch.AdminChatId);
        command.AddParameter("progress", batch.ProgressMessageId);
        command.AddParameter("recipients", batch.Recipients);
        command.AddParameter("messages", batch.Messages);
        command.AddParameter("status", (short)batch.Status);
        command.AddParameter("created", batch.CreatedAt);
        command.AddParameter("finished", batch.FinishedAt);
        var id = await command.ExecuteScalarAsync(ct);
        return id is null or DBNull ? null : Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Queues <paramref name="payloads"/> (the parts of one text) to every user who has not blocked the bot, in one
    /// INSERT … SELECT per part, and records the counts on the batch; returns the number of recipients.
    /// </summary>
    public async Task<int> QueueToAllUsersAsync(long batchId, string kind, IReadOnlyList<string> payloads, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        var now = time.GetUtcNow().UtcDateTime;
        var recipients = 0;
        foreach (var payload in payloads)
        {
            await using var command = await db.CreateCommandAsync(
                """
                INSERT INTO outbox (lane, kind, batch_id, chat_id, payload, status, attempts, not_before, created_at)
                SELECT 1, @kind, @batch, id, @payload, 0, 0, @now, @now FROM telegram_users WHERE blocked_at IS NULL ORDER BY id
                """, ct);
            command.AddParameter("kind", kind);
            command.AddParameter("batch", batchId);
            command.AddParameter("payload", payload);
            command.AddParameter("now", now);
            recipients = await command.ExecuteNonQueryAsync(ct);
        }

        await db.FanOutBatches.Where(b => b.Id == batchId).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.Recipients, recipients)
            .SetProperty(b => b.Messages, recipients * payloads.Count), ct);
        return recipients;
    }

    public Task<FanOutBatch?> FindAsync(long id, CancellationToken ct) =>
        db.FanOutBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, ct);

    /// <summary>Running batches whose monitor lease is free or lapsed (or already <paramref name="owner"/>'s): leases them for <paramref name="leaseFor"/>.</summary>
    public async Task<IReadOnlyList<FanOutBatch>> LeaseRunningAsync(string owner, TimeSpan leaseFor, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var ids = await db.FanOutBatches.AsNoTracking()
            .Where(b => b.Status == FanOutStatus.Running && (b.MonitorOwner == owner || b.MonitorLeaseUntil == null || b.MonitorLeaseUntil < now))
            .OrderBy(b => b.Id).Select(b => b.Id).Take(50).ToListAsync(ct);
        var leased = new List<FanOutBatch>();
        foreach (var id in ids)
        {
            // Conditional, so two monitors racing for one batch end with one owner.
            var won = await db.FanOutBatches
                .Where(b => b.Id == id && b.Status == FanOutStatus.Running && (b.MonitorOwner == owner || b.MonitorLeaseUntil == null || b.MonitorLeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.MonitorOwner, owner).SetProperty(b => b.MonitorLeaseUntil, now + leaseFor), ct);
            if (won == 1 && await FindAsync(id, ct) is { } batch)
            {
                leased.Add(batch);
            }
        }

        return leased;
    }

    /// <summary>Ends a running batch; false when it had ended already (so its summary is written once).</summary>
    public async Task<bool> TryEndAsync(long id, FanOutStatus status, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.FanOutBatches.Where(b => b.Id == id && b.Status == FanOutStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, status).SetProperty(b => b.FinishedAt, now).SetProperty(b => b.MonitorLeaseUntil, (DateTime?)null), ct) == 1;
    }
}

/// <summary>The kinds of fan-out (<see cref="FanOutBatch.Kind"/> and the outbox rows' kind).</summary>
public static class FanOutKinds
{
    public const string Broadcast = "broadcast";
    public const string OpenDayReminder = "open_day_reminder";
    public const string OpenDayUpdate = "open_day_update";
    public const string TrackedAlert = "tracked_alert";
}
