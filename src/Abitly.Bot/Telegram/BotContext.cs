using Abitly.Bot.Data;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Abitly.Bot.Telegram;

/// <summary>What a handler sees of one update: the update, who sent it, their row, and the bot client.</summary>
public sealed class BotContext(Update update, ITelegramBotClient bot, TelegramUser? user, bool isAdmin)
{
    public Update Update { get; } = update;
    public ITelegramBotClient Bot { get; } = bot;
    /// <summary>The sender's telegram_users row, tracked by the update's DbContext; null for updates without a person.</summary>
    public TelegramUser? User { get; } = user;
    public bool IsAdmin { get; } = isAdmin;

    public Message? Message => Update.Message;
    public CallbackQuery? Callback => Update.CallbackQuery;
    public long? ChatId => Update.Message?.Chat.Id ?? Update.CallbackQuery?.Message?.Chat.Id ?? Update.MyChatMember?.Chat.Id;
    public bool IsPrivateChat =>
        (Update.Message?.Chat.Type ?? Update.CallbackQuery?.Message?.Chat.Type ?? Update.MyChatMember?.Chat.Type) == ChatType.Private;

    /// <summary>The command name (lower case, without '/' and '@bot'), when the message is a command.</summary>
    public string? Command { get; init; }
    /// <summary>Text after the command, trimmed ("" when none).</summary>
    public string CommandArgs { get; init; } = "";
}
