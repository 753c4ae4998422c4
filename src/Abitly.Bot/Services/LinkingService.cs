using Abitly.Bot.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Abitly.Bot.Services;

/// <summary>How a redeem ended.</summary>
public enum LinkOutcome
{
    Linked,
    /// <summary>The web user was linked to another Telegram account; the link moved here.</summary>
    Moved,
    Invalid,
    Unavailable,
}

/// <summary>The result of a redeem: outcome and the web user's display name when linked.</summary>
public sealed record LinkResult(LinkOutcome Outcome, string? DisplayName = null);

/// <summary>Redeems one-time link tokens and unlinks accounts; writes telegram_users.web_user_id in the update's transaction.</summary>
public sealed class LinkingService(AbitlyDbContext db, LinkTokenStore tokens, ILogger<LinkingService> logger)
{
    public async Task<LinkResult> RedeemAsync(string token, TelegramUser user, CancellationToken ct)
    {
        if (!LinkToken.IsWellFormed(token))
        {
            return new LinkResult(LinkOutcome.Invalid);   // never reaches Redis
        }

        string? value;
        try
        {
            value = await tokens.TakeAsync(token);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Link token {TokenId} not redeemed: Redis unavailable ({Error})", LinkToken.LogId(token), ex.Message);
            return new LinkResult(LinkOutcome.Unavailable);
        }

        var webUserId = LinkToken.ParseWebUserId(value);
        if (webUserId is null)
        {
            logger.LogInformation("Link token {TokenId} invalid: {Reason}", LinkToken.LogId(token), value is null ? "missing, expired or used" : "malformed value");
            return new LinkResult(LinkOutcome.Invalid);
        }

        var webUser = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == webUserId, ct);
        if (webUser is null)
        {
            logger.LogWarning("Link token {TokenId} names web user {WebUserId}, who does not exist", LinkToken.LogId(token), webUserId);
            return new LinkResult(LinkOutcome.Invalid);
        }

        // One web user ↔ one Telegram account: unlink any other account first (the unique index needs that order).
        var moved = await db.TelegramUsers
            .Where(u => u.WebUserId == webUserId && u.Id != user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.WebUserId, (long?)null), ct);
        user.WebUserId = webUserId;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Telegram user {TelegramUserId} linked to web user {WebUserId}{Moved}", user.Id, webUserId, moved > 0 ? " (moved from another account)" : "");
        return new LinkResult(moved > 0 ? LinkOutcome.Moved : LinkOutcome.Linked, webUser.DisplayName);
    }

    public static void Unlink(TelegramUser user) => user.WebUserId = null;

    /// <summary>Mints a token the same way the web backend does; returns the token.</summary>
    public static async Task<string> MintAsync(LinkTokenStore tokens, long webUserId, DateTimeOffset now, TimeSpan ttl)
    {
        var token = LinkToken.NewToken();
        await tokens.MintAsync(token, LinkToken.Payload(webUserId, now), ttl);
        return token;
    }
}
