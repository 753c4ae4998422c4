using Abitly.Bot.Rendering;
using Abitly.Bot.Telegram;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;

namespace Abitly.Bot.Handlers;

/// <summary>/start (welcome, or a deep-link payload such as link_&lt;token&gt;) and /help.</summary>
public sealed class StartHandler(IEnumerable<IStartPayloadHandler> payloads) : ICommandHandler
{
    public IReadOnlyCollection<string> Commands { get; } = ["start", "help"];

    public async Task HandleAsync(BotContext context, CancellationToken ct)
    {
        var chatId = context.ChatId!.Value;
        if (context.Command == "help")
        {
            await context.Bot.SendMessage(chatId, Texts.Help, ParseMode.Html, cancellationToken: ct);
            return;
        }

        var payload = context.CommandArgs;
        if (payload.Length > 0)
        {
            var handler = payloads.FirstOrDefault(p => payload.StartsWith(p.Prefix, StringComparison.Ordinal));
            if (handler is not null)
            {
                await handler.HandleAsync(context, payload[handler.Prefix.Length..], ct);
                return;
            }
        }

        await context.Bot.SendMessage(chatId, Texts.Welcome(context.Message?.From?.FirstName), ParseMode.Html, cancellationToken: ct);
    }
}

/// <summary>A /start deep-link payload kind, such as "link_".</summary>
public interface IStartPayloadHandler
{
    string Prefix { get; }
    Task HandleAsync(BotContext context, string value, CancellationToken ct);
}
