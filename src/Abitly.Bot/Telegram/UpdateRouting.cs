using Telegram.Bot.Types;

namespace Abitly.Bot.Telegram;

/// <summary>A handler of slash commands (e.g. "start"); names are lower case without '/'.</summary>
public interface ICommandHandler
{
    IReadOnlyCollection<string> Commands { get; }
    /// <summary>Admin commands are answered only for ADMIN_IDS; anyone else gets the unknown-command hint.</summary>
    bool AdminOnly => false;
    Task HandleAsync(BotContext context, CancellationToken ct);
}

/// <summary>A handler of inline-button presses whose callback data starts with <see cref="Prefix"/>.</summary>
public interface ICallbackHandler
{
    string Prefix { get; }
    Task HandleAsync(BotContext context, string data, CancellationToken ct);
}

/// <summary>A handler of plain private-chat text (not a command). The first that accepts the text wins.</summary>
public interface ITextHandler
{
    /// <summary>Lower runs first: dialogs waiting for input come before pattern handlers.</summary>
    int Order { get; }
    Task<bool> TryHandleAsync(BotContext context, string text, CancellationToken ct);
}

/// <summary>Reacts to the bot being blocked or unblocked in a private chat.</summary>
public interface IChatMemberHandler
{
    Task HandleAsync(BotContext context, ChatMemberUpdated change, CancellationToken ct);
}
