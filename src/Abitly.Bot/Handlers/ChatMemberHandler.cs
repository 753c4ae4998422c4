using Abitly.Bot.Telegram;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Abitly.Bot.Handlers;

/// <summary>Records that a user blocked the bot (or unblocked it), so fan-outs skip them.</summary>
public sealed class ChatMemberHandler(TimeProvider time) : IChatMemberHandler
{
    public Task HandleAsync(BotContext context, ChatMemberUpdated change, CancellationToken ct)
    {
        if (context.User is { } user)
        {
            user.BlockedAt = change.NewChatMember.Status is ChatMemberStatus.Kicked or ChatMemberStatus.Left
                ? time.GetUtcNow().UtcDateTime
                : null;
        }

        return Task.CompletedTask;
    }
}
