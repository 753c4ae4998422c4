using Abitly.Bot.Data;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Messaging;

/// <summary>Where the sender records recipients Telegram refuses (403, chat not found), so later fan-outs skip them.</summary>
public interface IRecipientBlocklist
{
    /// <summary>Marks the given chats blocked, all in one go.</summary>
    Task MarkBlockedAsync(IReadOnlyCollection<long> chatIds, CancellationToken ct);
}

/// <summary>Sets <c>telegram_users.blocked_at</c> with a single UPDATE per batch.</summary>
public sealed class DbRecipientBlocklist(IServiceScopeFactory scopes, TimeProvider time) : IRecipientBlocklist
{
    public async Task MarkBlockedAsync(IReadOnlyCollection<long> chatIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(chatIds);
        if (chatIds.Count == 0)
        {
            return;
        }

        var ids = chatIds.Distinct().ToArray();
        var now = time.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbitlyDbContext>();
        // UPDATE telegram_users SET blocked_at = now WHERE id = ANY(@ids) AND blocked_at IS NULL: keeps the first refusal's time.
        await db.TelegramUsers
            .Where(u => ids.Contains(u.Id) && u.BlockedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.BlockedAt, now).SetProperty(u => u.UpdatedAt, now), ct);
    }
}

/// <summary>A blocklist that remembers nothing (benchmarks, sandbox without a database).</summary>
public sealed class NoOpRecipientBlocklist : IRecipientBlocklist
{
    public Task MarkBlockedAsync(IReadOnlyCollection<long> chatIds, CancellationToken ct) => Task.CompletedTask;
}
