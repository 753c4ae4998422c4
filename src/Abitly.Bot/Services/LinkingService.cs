using Abitly.Bot.Data;
using Abitly.Bot.State;
using Microsoft.Extensions.Logging;

namespace Abitly.Bot.Services;

/// <summary>How a redeem ended.</summary>
public enum LinkOutcome
{
    Linked,

    /// <summary>The web user was linked to another Telegram account; the link moved here.</summary>
    Moved,
    Invalid,
}

/// <summary>The result of a redeem: outcome and the web user's display name when linked.</summary>
public sealed record LinkResult(LinkOutcome Outcome, string? DisplayName = null);

/// <summary>
/// Redeems one-time link tokens (GETDEL abitly:link:&lt;token&gt;); writes telegram_users.web_user_id in the update's
/// transaction. A store outage surfaces as <see cref="StateStoreUnavailableException"/> for the pipeline to answer.
/// </summary>
public sealed class LinkingService(WebUserQueries webUsers, TelegramUserStore telegramUsers, LinkTokenStore tokens, ILogger<LinkingService> logger)
{
    public async Task<LinkResult> RedeemAsync(string token, TelegramUser user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!LinkToken.IsWellFormed(token))
        {
            return new LinkResult(LinkOutcome.Invalid);   // never reaches the store
        }

        var value = await tokens.TakeAsync(token);
        var webUserId = LinkToken.ParseWebUserId(value);
        if (webUserId is null)
        {
            logger.LogInformation("Link token {TokenId} invalid: {Reason}", LinkToken.LogId(token), value is null ? "missing, expired or used" : "malformed value");
            return new LinkResult(LinkOutcome.Invalid);
        }

        var webUser = await webUsers.GetAsync(webUserId.Value, ct);
        if (webUser is null)
        {
            logger.LogWarning("Link token {TokenId} names web user {WebUserId}, who does not exist", LinkToken.LogId(token), webUserId);
            return new LinkResult(LinkOutcome.Invalid);
        }

        var moved = await telegramUsers.LinkAsync(user, webUser.Id, ct);
        logger.LogInformation("Telegram user {TelegramUserId} linked to web user {WebUserId}{Moved}", user.Id, webUser.Id, moved ? " (moved from another account)" : "");
        return new LinkResult(moved ? LinkOutcome.Moved : LinkOutcome.Linked, webUser.DisplayName);
    }

    /// <summary>Mints a token the same way the web backend does; returns the token.</summary>
    public static async Task<string> MintAsync(LinkTokenStore tokens, long webUserId, DateTimeOffset now, TimeSpan ttl)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var token = LinkToken.NewToken();
        await tokens.MintAsync(token, LinkToken.Payload(webUserId, now), ttl);
        return token;
    }
}
