using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Data;

/// <summary>The Telegram account that sent an update, as the pipeline records it.</summary>
public sealed record TelegramAccount(long Id, string? Username, string? FirstName, string? LastName, string? LanguageCode);

/// <summary><c>telegram_users</c>: the per-update upsert, blocking, fan-out recipients and the link's uniqueness.</summary>
public sealed class TelegramUserStore(AbitlyDbContext db, TimeProvider time)
{
    /// <summary>
    /// Insert-or-refresh in one statement, so the hot path costs a single round trip; returns the row tracked by this unit
    /// of work. <paramref name="clearBlocked"/>: writing to the bot proves it is not blocked. A plain command rather than
    /// an EF query: it runs on every update, and EF's query pipeline and materializer cost more CPU than the round trip.
    /// </summary>
    public async Task<TelegramUser> UpsertAsync(TelegramAccount account, bool clearBlocked, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var command = await db.CreateCommandAsync(UpsertSql, ct);
        foreach (var (name, value) in UpsertParameters(account, clearBlocked))
        {
            command.AddParameter(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        return await ReadTrackedAsync(reader, ct);
    }

    /// <summary>The upsert as one command of a batch (the pipeline sends it with the update's record in one round trip).</summary>
    internal void AddUpsert(DbBatch batch, TelegramAccount account, bool clearBlocked)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = UpsertSql;
        foreach (var (name, value) in UpsertParameters(account, clearBlocked))
        {
            command.AddParameter(name, value);
        }

        batch.BatchCommands.Add(command);
    }

    /// <summary>Reads the upserted row and tracks it in this unit of work (a handler's change to it is saved with the update).</summary>
    internal async Task<TelegramUser> ReadTrackedAsync(DbDataReader reader, CancellationToken ct)
    {
        if (!await reader.ReadAsync(ct))
        {
            throw new InvalidOperationException("The telegram_users upsert returned no row.");
        }

        var user = new TelegramUser
        {
            Id = reader.GetInt64(0),
            Username = reader.IsDBNull(1) ? null : reader.GetString(1),
            FirstName = reader.IsDBNull(2) ? null : reader.GetString(2),
            LastName = reader.IsDBNull(3) ? null : reader.GetString(3),
            LanguageCode = reader.IsDBNull(4) ? null : reader.GetString(4),
            WebUserId = reader.IsDBNull(5) ? null : reader.GetInt64(5),
            BlockedAt = reader.IsDBNull(6) ? null : Utc(reader.GetDateTime(6)),
            CreatedAt = Utc(reader.GetDateTime(7)),
            UpdatedAt = Utc(reader.GetDateTime(8)),
            LastSeenAt = Utc(reader.GetDateTime(9)),
        };
        db.Attach(user);
        return user;
    }

    private (string Name, object? Value)[] UpsertParameters(TelegramAccount account, bool clearBlocked) =>
    [
        ("id", account.Id),
        ("username", account.Username),
        ("first_name", account.FirstName),
        ("last_name", account.LastName),
        ("language_code", account.LanguageCode),
        ("now", time.GetUtcNow().UtcDateTime),
        ("clear_blocked", clearBlocked),
    ];

    private const string UpsertSql = """
        INSERT INTO telegram_users (id, username, first_name, last_name, language_code, created_at, updated_at, last_seen_at)
        VALUES (@id, @username, @first_name, @last_name, @language_code, @now, @now, @now)
        ON CONFLICT (id) DO UPDATE SET
            username = excluded.username,
            first_name = excluded.first_name,
            last_name = excluded.last_name,
            language_code = excluded.language_code,
            last_seen_at = excluded.last_seen_at,
            updated_at = excluded.updated_at,
            blocked_at = CASE WHEN @clear_blocked THEN NULL ELSE telegram_users.blocked_at END
        RETURNING id, username, first_name, last_name, language_code, web_user_id, blocked_at, created_at, updated_at, last_seen_at
        """;

    // SQLite keeps timestamps as text without a kind; PostgreSQL's timestamptz already reads as UTC.
    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    /// <summary>Records that the user blocked the bot (or unblocked it); saved with the update.</summary>
    public void SetBlocked(TelegramUser user, bool blocked)
    {
        ArgumentNullException.ThrowIfNull(user);
        user.BlockedAt = blocked ? time.GetUtcNow().UtcDateTime : null;
    }

    /// <summary>Marks chats Telegram refused (403, chat not found) as blocked in one UPDATE; keeps the first refusal's time.</summary>
    public async Task MarkBlockedAsync(IReadOnlyCollection<long> chatIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(chatIds);
        if (chatIds.Count == 0)
        {
            return;
        }

        var ids = chatIds.Distinct().ToArray();
        var now = time.GetUtcNow().UtcDateTime;
        await db.TelegramUsers
            .Where(u => ids.Contains(u.Id) && u.BlockedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.BlockedAt, now).SetProperty(u => u.UpdatedAt, now), ct);
    }

    /// <summary>Users a broadcast goes to: everyone who has not blocked the bot.</summary>
    public Task<int> CountRecipientsAsync(CancellationToken ct) => db.TelegramUsers.CountAsync(u => u.BlockedAt == null, ct);

    /// <summary>The same users' ids, in id order.</summary>
    public Task<long[]> RecipientIdsAsync(CancellationToken ct) =>
        db.TelegramUsers.AsNoTracking().Where(u => u.BlockedAt == null).OrderBy(u => u.Id).Select(u => u.Id).ToArrayAsync(ct);

    /// <summary>
    /// Links <paramref name="user"/> to a web user, first unlinking any other account of that web user (one web user, one
    /// account: the unique index needs that order); returns whether the link moved from another account.
    /// </summary>
    public async Task<bool> LinkAsync(TelegramUser user, long webUserId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var moved = await db.TelegramUsers
            .Where(u => u.WebUserId == webUserId && u.Id != user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.WebUserId, (long?)null), ct);
        user.WebUserId = webUserId;
        await db.SaveChangesAsync(ct);
        return moved > 0;
    }

    /// <summary>Removes the link to a web profile; saved with the update.</summary>
    public static void Unlink(TelegramUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        user.WebUserId = null;
    }
}
