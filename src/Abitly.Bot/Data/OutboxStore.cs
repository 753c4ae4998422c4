using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Data;

/// <summary>An outbox row leased for sending.</summary>
public sealed record LeasedMessage(long Id, OutboxLane Lane, string Kind, long? BatchId, long ChatId, string Payload, int Attempts);

/// <summary>
/// The outcome of a leased row. <see cref="OutboxStatus.Pending"/> with <paramref name="RetryAt"/> puts it back for a later
/// try (after a 429's retry_after); every other status is final.
/// </summary>
public readonly record struct OutboxOutcome(long Id, OutboxStatus Status, int Attempts, string? Error, DateTime? RetryAt = null);

/// <summary>Pending rows per lane, for /metrics and /readyz.</summary>
public sealed record OutboxDepth(int Replies, int FanOut, DateTime? OldestDue);

/// <summary>
/// The outbox (<c>outbox</c>): rows are written in the transaction that decides to send them, leased by whichever sender is
/// alive, and finished with their outcome. Leasing differs per provider (PostgreSQL skips rows others hold); the rest is shared.
/// </summary>
public interface IOutboxStore
{
    /// <summary>Adds rows in the context's current transaction (bulk on PostgreSQL).</summary>
    Task AddAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct);

    /// <summary>Leases up to <paramref name="max"/> due rows of a lane (pending, and unleased or with a lapsed lease) for <paramref name="leaseFor"/>, oldest first.</summary>
    Task<IReadOnlyList<LeasedMessage>> LeaseAsync(string owner, OutboxLane lane, int max, TimeSpan leaseFor, CancellationToken ct);

    /// <summary>
    /// Records outcomes in one transaction: rows that did not go out release the notification_log claim they carried, so a
    /// later run may send them; chats that refused (blocked) are marked in telegram_users so later fan-outs skip them.
    /// </summary>
    Task CompleteAsync(IReadOnlyCollection<OutboxOutcome> outcomes, CancellationToken ct);

    /// <summary>
    /// Leases the pending replies of one update from whoever holds them (polling mode, when Telegram delivers an update
    /// again: the poller that handled it is gone, so its replies need not wait for their lease to lapse).
    /// </summary>
    Task<IReadOnlyList<LeasedMessage>> TakeOverRepliesAsync(long updateId, string owner, TimeSpan leaseFor, CancellationToken ct);

    /// <summary>Extends the leases this owner still holds on <paramref name="ids"/> (rows still waiting to be sent).</summary>
    Task RenewAsync(string owner, IReadOnlyCollection<long> ids, TimeSpan leaseFor, CancellationToken ct);

    /// <summary>Gives back leases this owner holds and will not use (a stopping worker), so others take the rows at once.</summary>
    Task ReleaseAsync(string owner, IReadOnlyCollection<long> ids, CancellationToken ct);

    /// <summary>Cancels the rows of a batch that no sender holds.</summary>
    Task<int> CancelBatchAsync(long batchId, CancellationToken ct);

    /// <summary>Rows of a batch by status.</summary>
    Task<IReadOnlyDictionary<OutboxStatus, int>> CountBatchAsync(long batchId, CancellationToken ct);

    Task<OutboxDepth> DepthAsync(CancellationToken ct);

    /// <summary>Deletes rows finished before <paramref name="before"/> (at most <paramref name="max"/>).</summary>
    Task<int> PruneAsync(DateTime before, int max, CancellationToken ct);
}

/// <summary>What both providers share.</summary>
public abstract class OutboxStore(AbitlyDbContext db, TimeProvider time) : IOutboxStore
{
    protected AbitlyDbContext Db { get; } = db;

    protected TimeProvider Time { get; } = time;

    public virtual async Task AddAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(messages);
        Db.Outbox.AddRange(messages);
        await Db.SaveChangesAsync(ct);
        foreach (var message in messages)
        {
            Db.Entry(message).State = EntityState.Detached;
        }
    }

    /// <summary>How the lease's inner SELECT locks its rows (the only difference between the providers' leases).</summary>
    protected abstract string RowLock { get; }

    public async Task<IReadOnlyList<LeasedMessage>> LeaseAsync(string owner, OutboxLane lane, int max, TimeSpan leaseFor, CancellationToken ct)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        await using var command = await Db.CreateCommandAsync(
            $"""
            UPDATE outbox SET lease_until = @until, lease_owner = @owner
            WHERE id IN (
                SELECT id FROM outbox
                WHERE status = 0 AND lane = @lane AND not_before <= @now AND (lease_until IS NULL OR lease_until < @now)
                ORDER BY lane, not_before, id
                LIMIT @max
                {RowLock})
            {Returning}
            """, ct);
        command.AddParameter("until", now + leaseFor);
        command.AddParameter("owner", owner);
        command.AddParameter("now", now);
        command.AddParameter("max", max);
        command.AddParameter("lane", (short)lane);
        return await ReadLeasedAsync(command, ct);
    }

    public Task RenewAsync(string owner, IReadOnlyCollection<long> ids, TimeSpan leaseFor, CancellationToken ct)
    {
        var until = Time.GetUtcNow().UtcDateTime + leaseFor;
        return Db.Outbox.Where(m => ids.Contains(m.Id) && m.LeaseOwner == owner && m.Status == OutboxStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseUntil, until), ct);
    }

    public async Task<IReadOnlyList<LeasedMessage>> TakeOverRepliesAsync(long updateId, string owner, TimeSpan leaseFor, CancellationToken ct)
    {
        await using var command = await Db.CreateCommandAsync(
            $"""
            UPDATE outbox SET lease_until = @until, lease_owner = @owner
            WHERE update_id = @update AND lane = @lane AND status = 0 AND (lease_owner IS NULL OR lease_owner <> @owner)
            {Returning}
            """, ct);
        command.AddParameter("until", Time.GetUtcNow().UtcDateTime + leaseFor);
        command.AddParameter("owner", owner);
        command.AddParameter("update", updateId);
        command.AddParameter("lane", (short)OutboxLane.Reply);
        var rows = await ReadLeasedAsync(command, ct);
        return [.. rows.OrderBy(r => r.Id)];
    }

    public async Task CompleteAsync(IReadOnlyCollection<OutboxOutcome> outcomes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return;
        }

        var now = Time.GetUtcNow().UtcDateTime;
        await using var transaction = await Db.Database.BeginTransactionAsync(ct);
        foreach (var group in outcomes.GroupBy(o => (o.Status, o.Attempts, o.Error, o.RetryAt)))
        {
            var ids = group.Select(o => o.Id).ToArray();
            var (status, attempts, error, retryAt) = group.Key;
            if (status == OutboxStatus.Pending)
            {
                var due = retryAt ?? now;
                await Db.Outbox.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Attempts, attempts)
                    .SetProperty(m => m.Error, error)
                    .SetProperty(m => m.NotBefore, due)
                    .SetProperty(m => m.LeaseUntil, (DateTime?)null)
                    .SetProperty(m => m.LeaseOwner, (string?)null), ct);
                continue;
            }

            await Db.Outbox.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, status)
                .SetProperty(m => m.Attempts, attempts)
                .SetProperty(m => m.Error, error)
                .SetProperty(m => m.FinishedAt, now)
                .SetProperty(m => m.LeaseUntil, (DateTime?)null), ct);
        }

        var unsent = outcomes.Where(o => o.Status is not (OutboxStatus.Sent or OutboxStatus.Pending)).Select(o => o.Id).ToArray();
        if (unsent.Length > 0)
        {
            await using var release = await Db.CreateCommandAsync(ReleaseClaimsSql(unsent.Length), ct);
            AddIds(release, unsent);
            await release.ExecuteNonQueryAsync(ct);
        }

        var blocked = outcomes.Where(o => o.Status == OutboxStatus.Blocked).Select(o => o.Id).ToArray();
        if (blocked.Length > 0)
        {
            await using var mark = await Db.CreateCommandAsync(
                $"UPDATE telegram_users SET blocked_at = @now WHERE blocked_at IS NULL AND id IN (SELECT chat_id FROM outbox WHERE id IN ({IdList(blocked.Length)}))", ct);
            AddIds(mark, blocked);
            mark.AddParameter("now", now);
            await mark.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    public async Task ReleaseAsync(string owner, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return;
        }

        var array = ids.ToArray();
        await Db.Outbox.Where(m => array.Contains(m.Id) && m.LeaseOwner == owner && m.Status == OutboxStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseUntil, (DateTime?)null).SetProperty(m => m.LeaseOwner, (string?)null), ct);
    }

    public Task<int> CancelBatchAsync(long batchId, CancellationToken ct)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        return Db.Outbox
            .Where(m => m.BatchId == batchId && m.Status == OutboxStatus.Pending && (m.LeaseUntil == null || m.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Cancelled).SetProperty(m => m.FinishedAt, now), ct);
    }

    public async Task<IReadOnlyDictionary<OutboxStatus, int>> CountBatchAsync(long batchId, CancellationToken ct) =>
        await Db.Outbox.AsNoTracking().Where(m => m.BatchId == batchId)
            .GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);

    public async Task<OutboxDepth> DepthAsync(CancellationToken ct)
    {
        var pending = await Db.Outbox.AsNoTracking().Where(m => m.Status == OutboxStatus.Pending)
            .GroupBy(m => m.Lane).Select(g => new { g.Key, Count = g.Count(), Oldest = g.Min(m => m.NotBefore) })
            .ToListAsync(ct);
        return new OutboxDepth(
            pending.FirstOrDefault(p => p.Key == OutboxLane.Reply)?.Count ?? 0,
            pending.FirstOrDefault(p => p.Key == OutboxLane.FanOut)?.Count ?? 0,
            pending.Count == 0 ? null : pending.Min(p => p.Oldest));
    }

    public async Task<int> PruneAsync(DateTime before, int max, CancellationToken ct)
    {
        var ids = await Db.Outbox.AsNoTracking().Where(m => m.FinishedAt != null && m.FinishedAt < before).OrderBy(m => m.Id).Take(max).Select(m => m.Id).ToListAsync(ct);
        return ids.Count == 0 ? 0 : await Db.Outbox.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(ct);
    }

    /// <summary>Deletes the notification_log rows claimed by the given outbox rows (by id parameters @id0…).</summary>
    private static string ReleaseClaimsSql(int count) =>
        $"""
        DELETE FROM notification_log WHERE EXISTS (
            SELECT 1 FROM outbox o WHERE o.id IN ({IdList(count)})
              AND o.claim_kind IS NOT NULL AND o.chat_id = notification_log.telegram_user_id AND o.claim_kind = notification_log.kind
              AND o.claim_ref = notification_log.ref_id AND o.claim_date = notification_log.for_date)
        """;

    private static string IdList(int count) =>
        string.Join(", ", Enumerable.Range(0, count).Select(i => "@id" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static void AddIds(DbCommand command, long[] ids)
    {
        for (var i = 0; i < ids.Length; i++)
        {
            command.AddParameter("id" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), ids[i]);
        }
    }

    /// <summary>Reads leased rows back from a RETURNING clause.</summary>
    protected static async Task<IReadOnlyList<LeasedMessage>> ReadLeasedAsync(DbCommand command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        var leased = new List<LeasedMessage>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            leased.Add(new LeasedMessage(
                reader.GetInt64(0), (OutboxLane)reader.GetInt16(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.GetInt64(4), reader.GetString(5), reader.GetInt32(6)));
        }

        return [.. leased.OrderBy(m => m.Id)];
    }

    protected const string Returning = "RETURNING id, lane, kind, batch_id, chat_id, payload, attempts";
}

/// <summary>PostgreSQL: rows another sender holds are skipped, never waited for; bulk adds go through binary COPY.</summary>
public sealed class PostgresOutboxStore(AbitlyDbContext db, TimeProvider time) : OutboxStore(db, time)
{
    public override async Task AddAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count < 50)
        {
            await base.AddAsync(messages, ct);
            return;
        }

        // Thousands of rows in the caller's transaction: COPY joins it (it runs on the same connection).
        var connection = (Npgsql.NpgsqlConnection)Db.Database.GetDbConnection();
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY outbox (lane, kind, batch_id, chat_id, payload, status, attempts, not_before, update_id, claim_kind, claim_ref, claim_date, created_at) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var m in messages)
        {
            copy.StartRow();
            copy.Write((short)m.Lane, NpgsqlTypes.NpgsqlDbType.Smallint);
            copy.Write(m.Kind, NpgsqlTypes.NpgsqlDbType.Varchar);
            Nullable(copy, m.BatchId, NpgsqlTypes.NpgsqlDbType.Bigint);
            copy.Write(m.ChatId, NpgsqlTypes.NpgsqlDbType.Bigint);
            copy.Write(m.Payload, NpgsqlTypes.NpgsqlDbType.Text);
            copy.Write((short)m.Status, NpgsqlTypes.NpgsqlDbType.Smallint);
            copy.Write(m.Attempts, NpgsqlTypes.NpgsqlDbType.Integer);
            copy.Write(m.NotBefore, NpgsqlTypes.NpgsqlDbType.TimestampTz);
            Nullable(copy, m.UpdateId, NpgsqlTypes.NpgsqlDbType.Bigint);
            if (m.ClaimKind is { } kind)
            {
                copy.Write(kind, NpgsqlTypes.NpgsqlDbType.Varchar);
            }
            else
            {
                copy.WriteNull();
            }

            Nullable(copy, m.ClaimRef, NpgsqlTypes.NpgsqlDbType.Bigint);
            Nullable(copy, m.ClaimDate, NpgsqlTypes.NpgsqlDbType.Date);
            copy.Write(m.CreatedAt, NpgsqlTypes.NpgsqlDbType.TimestampTz);
        }

        await copy.CompleteAsync(ct);
    }

    // Rows another worker is leasing right now are skipped, not waited for.
    protected override string RowLock => "FOR UPDATE SKIP LOCKED";

    private static void Nullable<T>(Npgsql.NpgsqlBinaryImporter copy, T? value, NpgsqlTypes.NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v)
        {
            copy.Write(v, type);
        }
        else
        {
            copy.WriteNull();
        }
    }
}

/// <summary>SQLite (the sandbox): one writer at a time, so the lease is a plain UPDATE … RETURNING.</summary>
public sealed class SqliteOutboxStore(AbitlyDbContext db, TimeProvider time) : OutboxStore(db, time)
{
    // One writer at a time: a plain UPDATE … RETURNING.
    protected override string RowLock => "";
}
