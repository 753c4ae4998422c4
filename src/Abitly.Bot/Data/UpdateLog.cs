using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Abitly.Bot.Data;

/// <summary>What <see cref="UpdateLog.TryBeginAsync"/> found.</summary>
public enum UpdateStart
{
    /// <summary>Recorded now: handle it in this transaction.</summary>
    Begun,

    /// <summary>Handled before: do nothing.</summary>
    HandledBefore,

    /// <summary>An older update of the same chat is still in the inbox: this one runs after it.</summary>
    BehindOlder,
}

/// <summary>What <see cref="UpdateLog.BeginAsync"/> found, and the sender's row when the update is to be handled.</summary>
public sealed record UpdateBegin(UpdateStart Start, TelegramUser? User);

/// <summary>A webhook delivery waiting in the inbox.</summary>
public sealed record InboxUpdate(long UpdateId, long ChatKey, string Payload);

/// <summary>
/// <c>updates</c>: the record that makes every update handled once, and the webhook inbox. The same SQL runs on both
/// providers (ON CONFLICT … DO UPDATE … WHERE).
/// </summary>
public sealed class UpdateLog(AbitlyDbContext db, TelegramUserStore users, TimeProvider time)
{
    /// <summary>
    /// Marks the update handled in the caller's transaction. <see cref="UpdateStart.HandledBefore"/> when it already was
    /// (a re-delivery after a crash, a webhook retry): the caller must not handle it again. With
    /// <paramref name="inChatOrder"/> (webhook mode, where one chat's deliveries may reach different instances),
    /// <see cref="UpdateStart.BehindOlder"/> when an older update of the chat is still in the inbox, or its replies are not
    /// out yet: this one waits for it.
    /// </summary>
    public async Task<UpdateStart> TryBeginAsync(long updateId, long chatKey, bool inChatOrder, CancellationToken ct) =>
        (await BeginAsync(updateId, chatKey, inChatOrder, null, false, ct)).Start;

    /// <summary>
    /// <see cref="TryBeginAsync"/>, and when the update is begun, the upsert of its <paramref name="sender"/> (tracked in this
    /// unit of work). On PostgreSQL both statements go in one round trip (a batch; on a re-delivery the upsert has run
    /// too, which only refreshes last_seen_at); SQLite runs them one after the other.
    /// </summary>
    public async Task<UpdateBegin> BeginAsync(long updateId, long chatKey, bool inChatOrder, TelegramAccount? sender, bool clearBlocked, CancellationToken ct)
    {
        if (inChatOrder
            && (await db.Updates.AnyAsync(u => u.ChatKey == chatKey && u.UpdateId < updateId && u.HandledAt == null && u.Payload != null, ct)
                // Handled, but its replies not out yet: this one's replies must not overtake them.
                || await db.Outbox.AnyAsync(m => m.Lane == OutboxLane.Reply && m.Status == OutboxStatus.Pending && m.ChatId == chatKey && m.UpdateId < updateId, ct)))
        {
            return new UpdateBegin(UpdateStart.BehindOlder, null);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var connection = await db.OpenConnectionAsync(ct);
        if (sender is not null && connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var record = batch.CreateBatchCommand();
            record.CommandText = RecordSql;
            record.AddParameter("update_id", updateId);
            record.AddParameter("chat_key", chatKey);
            record.AddParameter("now", now);
            batch.BatchCommands.Add(record);
            users.AddUpsert(batch, sender, clearBlocked);
            await using var reader = await batch.ExecuteReaderAsync(ct);
            // The record returns no rows: its result is its row count, known once the reader reaches the upsert's rows.
            var user = await users.ReadTrackedAsync(reader, ct);
            return record.RecordsAffected == 1 ? new UpdateBegin(UpdateStart.Begun, user) : new UpdateBegin(UpdateStart.HandledBefore, null);
        }

        // A second instance handling the same update waits here on the row lock until the first commits, then sees it handled.
        await using (var command = await db.CreateCommandAsync(RecordSql, ct))
        {
            command.AddParameter("update_id", updateId);
            command.AddParameter("chat_key", chatKey);
            command.AddParameter("now", now);
            if (await command.ExecuteNonQueryAsync(ct) != 1)
            {
                return new UpdateBegin(UpdateStart.HandledBefore, null);
            }
        }

        return new UpdateBegin(UpdateStart.Begun, sender is null ? null : await users.UpsertAsync(sender, clearBlocked, ct));
    }

    // A plain command: it runs on every update (EF's raw SQL path builds its command anew each time).
    private const string RecordSql = """
        INSERT INTO updates (update_id, chat_key, received_at, handled_at) VALUES (@update_id, @chat_key, @now, @now)
        ON CONFLICT (update_id) DO UPDATE SET handled_at = excluded.handled_at, payload = NULL WHERE updates.handled_at IS NULL
        """;

    /// <summary>Webhook: stores a delivery durably before the endpoint answers 200; a delivery already stored is fine.</summary>
    public Task AcceptAsync(long updateId, long chatKey, string payload, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO updates (update_id, chat_key, payload, received_at) VALUES ({updateId}, {chatKey}, {payload}, {now})
            ON CONFLICT (update_id) DO NOTHING
            """, ct);
    }

    /// <summary>
    /// The oldest unhandled update of each chat (at most <paramref name="max"/> chats, oldest first) whose chat has no update
    /// running here and whose delivery came before <paramref name="receivedBefore"/>: deliveries left behind by an instance
    /// that stopped or died, and updates that waited for an older one of their chat.
    /// </summary>
    public async Task<IReadOnlyList<InboxUpdate>> NextPerChatAsync(int max, IReadOnlySet<long> busyChats, DateTime receivedBefore, CancellationToken ct)
    {
        var rows = await db.Updates.AsNoTracking()
            .Where(u => u.HandledAt == null && u.Payload != null)
            .GroupBy(u => u.ChatKey)
            .Select(g => g.Min(u => u.UpdateId))
            .OrderBy(id => id)
            .Take(max + busyChats.Count)
            .ToListAsync(ct);
        var next = await db.Updates.AsNoTracking().Where(u => rows.Contains(u.UpdateId)).OrderBy(u => u.UpdateId).ToListAsync(ct);
        return [.. next.Where(u => !busyChats.Contains(u.ChatKey) && u.ReceivedAt < receivedBefore).Take(max).Select(u => new InboxUpdate(u.UpdateId, u.ChatKey, u.Payload!))];
    }

    /// <summary>The chat's oldest update still in the inbox, if any: what runs next after one of its updates finished.</summary>
    public async Task<InboxUpdate?> NextOfChatAsync(long chatKey, CancellationToken ct)
    {
        var row = await db.Updates.AsNoTracking()
            .Where(u => u.ChatKey == chatKey && u.HandledAt == null && u.Payload != null)
            .OrderBy(u => u.UpdateId)
            .FirstOrDefaultAsync(ct);
        return row is null ? null : new InboxUpdate(row.UpdateId, row.ChatKey, row.Payload!);
    }

    /// <summary>Unhandled inbox rows (for /readyz and metrics).</summary>
    public Task<int> InboxDepthAsync(CancellationToken ct) => db.Updates.CountAsync(u => u.HandledAt == null, ct);

    /// <summary>Forgets handled updates received before <paramref name="before"/>.</summary>
    public Task<int> PruneAsync(DateTime before, CancellationToken ct) =>
        db.Updates.Where(u => u.HandledAt != null && u.ReceivedAt < before).ExecuteDeleteAsync(ct);
}
