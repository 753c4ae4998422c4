using Abitly.Bot.Rendering;
using Microsoft.Extensions.Logging;
using Telegram.Bot.Types.Enums;

namespace Abitly.Bot.Telegram;

/// <summary>Matches an update to one route (commands, /start payloads, callback prefixes, then text handlers) and runs only that handler.</summary>
public sealed class UpdateRouter(UpdateRoutes routes, BotIdentity identity, ILogger<UpdateRouter> logger)
{
    /// <summary>Splits "/cmd@Bot args" into ("cmd", "args"); null when the text is not a command for this bot.</summary>
    public static (string Name, string Args)? ParseCommand(string text, string botUsername)
    {
        ArgumentNullException.ThrowIfNull(text);
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

    /// <summary>Routes <paramref name="context"/>; handlers are resolved from <paramref name="scope"/> only when matched.</summary>
    public async Task RouteAsync(BotContext context, IServiceProvider scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var update = context.Update;
        switch (update.Type)
        {
            case UpdateType.CallbackQuery:
                await RouteCallbackAsync(context, scope, ct);
                return;
            case UpdateType.MyChatMember when context.IsPrivateChat && routes.ChatMember is { } chatMember:
                await RunAsync(chatMember, context, scope, "", ct);
                return;
            case UpdateType.Message:
                await RouteMessageAsync(context, scope, ct);
                return;
            default:
                // Edited messages, channel posts, polls and the rest are ignored on purpose.
                logger.LogDebug("Update {UpdateId} of type {Type} ignored", update.Id, update.Type);
                return;
        }
    }

    private async Task RouteMessageAsync(BotContext context, IServiceProvider scope, CancellationToken ct)
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
                context.Reply(new RenderedMessage(Texts.NonTextHint));
            }

            return;
        }

        if (ParseCommand(text, identity.Username) is { } command)
        {
            var withCommand = new BotContext(context.Update, context.User, context.IsAdmin, context.Replies) { Command = command.Name, CommandArgs = command.Args };
            if (command.Name == "start" && command.Args.Length > 0 && routes.StartPayload(command.Args) is { } payload)
            {
                await RunAsync(payload, withCommand, scope, command.Args[payload.Key.Length..], ct);
                return;
            }

            var route = routes.Command(command.Name);
            if (route is { AdminOnly: true } && !context.IsAdmin)
            {
                logger.LogWarning("Non-admin {UserId} tried admin command /{Command}", message.From.Id, command.Name);
                route = null;
            }

            if (route is null)
            {
                context.Reply(new RenderedMessage(Texts.UnknownCommand));
                return;
            }

            await RunAsync(route, withCommand, scope, "", ct);
            return;
        }

        if (text[0] == '/' || !context.IsPrivateChat)
        {
            // A command for another bot, or ordinary group talk: not ours to answer.
            return;
        }

        foreach (var route in routes.Texts)
        {
            if (await RunAsync(route, context, scope, text, ct))
            {
                return;
            }
        }
    }

    private async Task RouteCallbackAsync(BotContext context, IServiceProvider scope, CancellationToken ct)
    {
        var callback = context.Callback!;
        var data = callback.Data ?? "";
        var route = callback.Message is null ? null : routes.Callback(data);
        if (route is { AdminOnly: true } && !context.IsAdmin)
        {
            // Buttons of the admin path answer a non-admin like any dead button, and the attempt is logged.
            logger.LogWarning("Non-admin {UserId} pressed admin button {Data}", callback.From.Id, data);
            route = null;
        }

        if (route is null || !await RunAsync(route, context, scope, data, ct))
        {
            context.Answer(Texts.StaleButton);
        }
    }

    private static Task<bool> RunAsync(Route route, BotContext context, IServiceProvider scope, string argument, CancellationToken ct) =>
        route.Invoke(scope.GetRequiredService(route.HandlerType), context, argument, ct);
}

/// <summary>The bot's own username and id, learned from getMe at startup.</summary>
public sealed class BotIdentity
{
    public string Username { get; set; } = "";

    public long Id { get; set; }
}
