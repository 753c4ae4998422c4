using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Data;

/// <summary>The Telegram account that sent an update, as the pipeline records it.</summary>
public sealed record TelegramAccount(long Id, string? Username, string? FirstName, string? LastName, string? LanguageCode);

/// <summary><c>telegram_users</c>: the per-update upsert, blocking, fan-out recipients and the link's uniqueness.</summary>
public sealed class TelegramUserStore(AbitlyDbContext db, TimeProvider time)
{
    /// <summary>
    /// Insert-or-refresh in one statement, so the hot path costs a single round trip; returns the row tracked by this unit
    /// of work. <paramref name="clearBlocked"/>: writing to the bot proves it is not blocked.
    /// </summary>
    public async Task<TelegramUser> UpsertAsync(TelegramAccount account, bool clearBlocked, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(account);
        var now = time.GetUtcNow().UtcDateTime;
        var rows = await db.TelegramUsers.FromSql($"""
            INSERT INTO telegram_users (id, username, first_name, last_name, language_code, created_at, updated_at, last_seen_at)
            VALUES ({account.Id}, {account.Username}, {account.FirstName}, {account.LastName}, {account.LanguageCode}, {now}, {now}, {now})
            ON CONFLICT (id) DO UPDATE SET
                username = excluded.username,
                first_name = excluded.first_name,
                last_name = excluded.last_name,
                language_code = excluded.language_code,
                last_seen_at = excluded.last_seen_at,
                updated_at = excluded.updated_at,
                blocked_at = CASE WHEN {clearBlocked} THEN NULL ELSE telegram_users.blocked_at END
            RETURNING *
            """).AsNoTracking().ToListAsync(ct);
        var user = rows[0];
        db.Attach(user);
        return user;
    }

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
