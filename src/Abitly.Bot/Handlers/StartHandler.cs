using Abitly.Bot.Rendering;
using Abitly.Bot.Telegram;

namespace Abitly.Bot.Handlers;

/// <summary>/start (welcome) and /help; /start with a known payload is routed to its payload handler instead.</summary>
public sealed class StartHandler : ICommandHandler
{
    public Task HandleAsync(BotContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Reply(new RenderedMessage(context.Command == "help" ? Texts.Help : Texts.Welcome(context.Message?.From?.FirstName)));
        return Task.CompletedTask;
    }
}
