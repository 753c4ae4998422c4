using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Data;

/// <summary>A webhook delivery waiting in the inbox.</summary>
public sealed record InboxUpdate(long UpdateId, long ChatKey, string Payload);

/// <summary>
/// <c>updates</c>: the record that makes every update handled once, and the webhook inbox. The same SQL runs on both
/// providers (ON CONFLICT … DO UPDATE … WHERE).
/// </summary>
public sealed class UpdateLog(AbitlyDbContext db, TimeProvider time)
{
    /// <summary>
    /// Marks the update handled in the caller's transaction; false when it already was (a re-delivery after a crash, a
    /// webhook retry), in which case the caller must not handle it again.
    /// </summary>
    public async Task<bool> TryBeginAsync(long updateId, long chatKey, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var changed = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO updates (update_id, chat_key, received_at, handled_at) VALUES ({updateId}, {chatKey}, {now}, {now})
            ON CONFLICT (update_id) DO UPDATE SET handled_at = excluded.handled_at, payload = NULL WHERE updates.handled_at IS NULL
            """, ct);
        return changed == 1;
    }

    /// <summary>Webhook: stores a delivery durably before the endpoint answers 200; a delivery already stored is fine.</summary>
    public Task AcceptAsync(long updateId, long chatKey, string payload, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO updates (update_id, chat_key, payload, received_at) VALUES ({updateId}, {chatKey}, {payload}, {now})
            ON CONFLICT (update_id) DO NOTHING
            """, ct);
    }

    /// <summary>The oldest unhandled update of each chat (at most <paramref name="max"/> chats), oldest chats first.</summary>
    public async Task<IReadOnlyList<InboxUpdate>> NextPerChatAsync(int max, IReadOnlySet<long> busyChats, CancellationToken ct)
    {
        var rows = await db.Updates.AsNoTracking()
            .Where(u => u.HandledAt == null && u.Payload != null)
            .GroupBy(u => u.ChatKey)
            .Select(g => g.Min(u => u.UpdateId))
            .OrderBy(id => id)
            .Take(max + busyChats.Count)
            .ToListAsync(ct);
        var next = await db.Updates.AsNoTracking().Where(u => rows.Contains(u.UpdateId)).OrderBy(u => u.UpdateId).ToListAsync(ct);
        return [.. next.Where(u => !busyChats.Contains(u.ChatKey)).Take(max).Select(u => new InboxUpdate(u.UpdateId, u.ChatKey, u.Payload!))];
    }

    /// <summary>Unhandled inbox rows (for /readyz and metrics).</summary>
    public Task<int> InboxDepthAsync(CancellationToken ct) => db.Updates.CountAsync(u => u.HandledAt == null, ct);

    /// <summary>Forgets handled updates received before <paramref name="before"/>.</summary>
    public Task<int> PruneAsync(DateTime before, CancellationToken ct) =>
        db.Updates.Where(u => u.HandledAt != null && u.ReceivedAt < before).ExecuteDeleteAsync(ct);
}
