using Abitly.Bot.Callbacks;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.Telegram;
using Abitly.Domain.Offers;

namespace Abitly.Bot.Handlers;

/// <summary>A pasted offer link → the offer view; a URL that is not an offer link → a hint; other text is not ours.</summary>
public sealed class OfferLinkHandler(OfferService offers) : ITextHandler
{
    public async Task<bool> TryHandleAsync(BotContext context, string text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scan = OfferLinkParser.Parse(text);
        if (scan.First is not { } link)
        {
            if (!scan.ContainsUrl)
            {
                return false;   // plain text without a URL is ignored (spec)
            }

            context.Reply(new RenderedMessage(OfferViewRenderer.LinkHint));
            return true;
        }

        var view = await offers.BuildOfferViewAsync(link.OfferId, link.Year, context.User, ct);
        context.Reply(OfferViewRenderer.Render(view, severalLinks: scan.Links.Count > 1));
        return true;
    }
}

/// <summary>The refresh button: re-renders the same offer view in place.</summary>
public sealed class OfferRefreshHandler(OfferService offers) : ICallbackHandler<OfferRefresh>
{
    public async Task HandleAsync(BotContext context, OfferRefresh data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        var view = await offers.BuildOfferViewAsync(data.OfferId, null, context.User, ct);
        context.EditOrKeep(OfferViewRenderer.Render(view), OfferViewRenderer.Refreshed, OfferViewRenderer.Unchanged);
    }
}
