using Abitly.Bot.Data;
using Abitly.Bot.Telegram;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Abitly.Bot.Handlers;

/// <summary>Records that a user blocked the bot (or unblocked it), so fan-outs skip them.</summary>
public sealed class ChatMemberHandler(TelegramUserStore users) : IChatMemberHandler
{
    public Task HandleAsync(BotContext context, ChatMemberUpdated change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(change);
        if (context.User is { } user)
        {
            users.SetBlocked(user, change.NewChatMember.Status is ChatMemberStatus.Kicked or ChatMemberStatus.Left);
        }

        return Task.CompletedTask;
    }
}
