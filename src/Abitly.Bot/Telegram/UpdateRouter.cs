using Abitly.Bot.Rendering;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;

namespace Abitly.Bot.Telegram;

/// <summary>Matches an update to one handler: commands, /start payloads, callback-data prefixes, then text patterns.</summary>
public sealed class UpdateRouter(
    IEnumerable<ICommandHandler> commands,
    IEnumerable<ICallbackHandler> callbacks,
    IEnumerable<ITextHandler> texts,
    IEnumerable<IChatMemberHandler> chatMembers,
    BotIdentity identity,
    ILogger<UpdateRouter> logger)
{
    private readonly ITextHandler[] _texts = [.. texts.OrderBy(t => t.Order)];

    /// <summary>Splits "/cmd@Bot args" into ("cmd", "args"); null when the text is not a command for this bot.</summary>
    public static (string Name, string Args)? ParseCommand(string text, string botUsername)
    {
        if (text.Length < 2 || text[0] != '/')
        {
            return null;
        }

        var end = 1;
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }

        var token = text[1..end];
        var at = token.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            // "/start@OtherBot" in a group is addressed to another bot.
            if (!token[(at + 1)..].Equals(botUsername, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            token = token[..at];
        }

        if (token.Length == 0 || token.Length > 32 || !token.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            return null;
        }

        return (token.ToLowerInvariant(), text[end..].Trim());
    }

    public async Task RouteAsync(BotContext context, CancellationToken ct)
    {
        var update = context.Update;
        switch (update.Type)
        {
            case UpdateType.CallbackQuery:
                await RouteCallbackAsync(context, ct);
                return;
            case UpdateType.MyChatMember when context.IsPrivateChat:
                foreach (var handler in chatMembers)
                {
                    await handler.HandleAsync(context, update.MyChatMember!, ct);
                }

                return;
            case UpdateType.Message:
                await RouteMessageAsync(context, ct);
                return;
            default:
                // Edited messages, channel posts, polls and the rest are ignored on purpose.
                logger.LogDebug("Update {UpdateId} of type {Type} ignored", update.Id, update.Type);
                return;
        }
    }

    private async Task RouteMessageAsync(BotContext context, CancellationToken ct)
    {
        var message = context.Message!;
        if (message.From is null || message.From.IsBot)
        {
            return;
        }

        var text = message.Text;
        if (string.IsNullOrWhiteSpace(text))
        {
            if (context.IsPrivateChat && message.Type != MessageType.Text)
            {
                await context.Bot.SendMessage(message.Chat.Id, Texts.NonTextHint, ParseMode.Html, cancellationToken: ct);
            }

            return;
        }

        var command = ParseCommand(text, identity.Username);
        if (command is { } parsed)
        {
            var handler = commands.FirstOrDefault(h => h.Commands.Contains(parsed.Name));
            if (handler is not null && handler.AdminOnly && !context.IsAdmin)
            {
                logger.LogWarning("Non-admin {UserId} tried admin command /{Command}", message.From.Id, parsed.Name);
                handler = null;
            }

            if (handler is null)
            {
                await context.Bot.SendMessage(message.Chat.Id, Texts.UnknownCommand, ParseMode.Html, cancellationToken: ct);
                return;
            }

            var withCommand = new BotContext(context.Update, context.Bot, context.User, context.IsAdmin)
            {
                Command = parsed.Name,
                CommandArgs = parsed.Args,
            };
            await handler.HandleAsync(withCommand, ct);
            return;
        }

        if (text[0] == '/' || !context.IsPrivateChat)
        {
            // A command for another bot, or ordinary group talk: not ours to answer.
            return;
        }

        foreach (var handler in _texts)
        {
            if (await handler.TryHandleAsync(context, text, ct))
            {
                return;
            }
        }
    }

    private async Task RouteCallbackAsync(BotContext context, CancellationToken ct)
    {
        var callback = context.Callback!;
        var data = callback.Data ?? "";
        ICallbackHandler? best = null;
        foreach (var handler in callbacks)
        {
            if (data.StartsWith(handler.Prefix, StringComparison.Ordinal) && (best is null || handler.Prefix.Length > best.Prefix.Length))
            {
                best = handler;
            }
        }

        if (best is null || callback.Message is null)
        {
            await context.Bot.AnswerCallbackQuery(callback.Id, Texts.StaleButton, cancellationToken: ct);
            return;
        }

        await best.HandleAsync(context, data[best.Prefix.Length..], ct);
    }
}

/// <summary>The bot's own username and id, learned from getMe at startup.</summary>
public sealed class BotIdentity
{
    public string Username { get; set; } = "";
    public long Id { get; set; }
}
