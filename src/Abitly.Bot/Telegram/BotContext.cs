using Abitly.Bot.Data;
using Abitly.Bot.Rendering;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Abitly.Bot.Telegram;

/// <summary>What a handler sees of one update: the update, who sent it, their row, and where its replies go.</summary>
public sealed class BotContext(Update update, TelegramUser? user, bool isAdmin, ReplySink replies)
{
    public Update Update { get; } = update;

    /// <summary>The sender's telegram_users row, tracked by the update's unit of work; null for updates without a person.</summary>
    public TelegramUser? User { get; } = user;

    public bool IsAdmin { get; } = isAdmin;

    /// <summary>The replies of this update, sent after its transaction commits.</summary>
    public ReplySink Replies { get; } = replies;

    public Message? Message => Update.Message;

    public CallbackQuery? Callback => Update.CallbackQuery;

    public long? ChatId => Update.Message?.Chat.Id ?? Update.CallbackQuery?.Message?.Chat.Id ?? Update.MyChatMember?.Chat.Id;

    public bool IsPrivateChat =>
        (Update.Message?.Chat.Type ?? Update.CallbackQuery?.Message?.Chat.Type ?? Update.MyChatMember?.Chat.Type) == ChatType.Private;

    /// <summary>The command name (lower case, without '/' and '@bot'), when the message is a command.</summary>
    public string? Command { get; init; }

    /// <summary>Text after the command, trimmed ("" when none).</summary>
    public string CommandArgs { get; init; } = "";

    /// <summary>The user's id; handlers reached by a person always have one.</summary>
    public long UserId => User?.Id ?? throw new InvalidOperationException("This update has no user.");

    /// <summary>A new message to this update's chat.</summary>
    public void Reply(RenderedMessage message) =>
        Replies.Add(new SendReply(ChatId ?? throw new InvalidOperationException("This update has no chat."), message));

    /// <summary>A picture to this update's chat, to upload; its file id is recorded under <paramref name="cacheKey"/> once sent.</summary>
    public void ReplyPhoto(ReadOnlyMemory<byte> png, RenderedMessage caption, string? cacheKey) =>
        Replies.Add(PhotoReply.Upload(ChatId ?? throw new InvalidOperationException("This update has no chat."), png, caption, cacheKey));

    /// <summary>A picture uploaded before, to this update's chat, by its file id.</summary>
    public void ReplyPhoto(string fileId, RenderedMessage caption, string? cacheKey) =>
        Replies.Add(PhotoReply.Resend(ChatId ?? throw new InvalidOperationException("This update has no chat."), fileId, caption, cacheKey));

    /// <summary>Turns the pressed message into <paramref name="message"/> and answers the press by whether it changed.</summary>
    public void EditOrKeep(RenderedMessage message, string? changedNotice = null, string? unchangedNotice = null)
    {
        var pressed = Callback?.Message ?? throw new InvalidOperationException("Only a button press can edit its message.");
        Replies.Add(new EditReply(pressed.Chat.Id, pressed.MessageId, message, Callback.Id, changedNotice, unchangedNotice ?? changedNotice));
    }

    /// <summary>Edits the pressed message without answering the press (another reply answers it).</summary>
    public void Edit(RenderedMessage message)
    {
        var pressed = Callback?.Message ?? throw new InvalidOperationException("Only a button press can edit its message.");
        Replies.Add(new EditReply(pressed.Chat.Id, pressed.MessageId, message, null, null, null));
    }

    /// <summary>Answers the button press with a toast, or an alert.</summary>
    public void Answer(string? text = null, bool alert = false) =>
        Replies.Add(new CallbackAnswerReply(Callback?.Id ?? throw new InvalidOperationException("Not a button press."), text, alert));
}
