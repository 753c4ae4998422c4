using Abitly.Bot.Data;

namespace Abitly.Bot.Messaging;

/// <summary>Where the sender records recipients Telegram refuses (403, chat not found), so later fan-outs skip them.</summary>
public interface IRecipientBlocklist
{
    /// <summary>Marks the given chats blocked, all in one go.</summary>
    Task MarkBlockedAsync(IReadOnlyCollection<long> chatIds, CancellationToken ct);
}

/// <summary>Sets <c>telegram_users.blocked_at</c> with a single UPDATE per batch, in a scope of its own.</summary>
public sealed class DbRecipientBlocklist(IServiceScopeFactory scopes) : IRecipientBlocklist
{
    public async Task MarkBlockedAsync(IReadOnlyCollection<long> chatIds, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TelegramUserStore>().MarkBlockedAsync(chatIds, ct);
    }
}

/// <summary>A blocklist that remembers nothing (benchmarks, sender tests without a database).</summary>
public sealed class NoOpRecipientBlocklist : IRecipientBlocklist
{
    public Task MarkBlockedAsync(IReadOnlyCollection<long> chatIds, CancellationToken ct) => Task.CompletedTask;
}
