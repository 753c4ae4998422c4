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

/// <summary>
/// 📊 under an offer view: the offer's score chart as a picture. The same picture uploaded before is sent again by its file
/// id; otherwise it is drawn. A button from an older list is told so and gets the current chart; nothing to draw gets text.
/// </summary>
public sealed class OfferChartHandler(OfferChartService charts, ScoreChartPainter painter) : ICallbackHandler<OfferChart>
{
    public async Task HandleAsync(BotContext context, OfferChart data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        var view = await charts.BuildAsync(data.OfferId, data.ListVersion, context.User, ct);
        if (view is not { Status: OfferChartStatus.Ok, Facts: { } facts })
        {
            AnswerWithoutPicture(context, view);
            return;
        }

        var key = OfferChartRenderer.ImageKey(facts, view.OfferId);
        var caption = OfferChartRenderer.Caption(view);
        var fileId = await charts.FindUploadedAsync(key);
        ReadOnlyMemory<byte> png = default;
        if (fileId is null)
        {
            var applications = await charts.DrawnApplicationsAsync(view.OfferId, facts.ContractOnly, ct);
            if (applications.Count == 0)
            {
                AnswerWithoutPicture(context, view with { Status = OfferChartStatus.NoApplications });
                return;
            }

            if (await painter.TryRenderAsync(OfferChartRenderer.Input(facts, applications), ct) is not { } chart)
            {
                context.Answer(OfferChartRenderer.Busy, alert: true);
                return;
            }

            png = chart.Png;
        }

        // The press is answered first, so the spinner stops (and a stale button's notice shows) while the picture uploads.
        context.Answer(view.Stale ? OfferChartRenderer.StaleNotice : null);
        if (fileId is not null)
        {
            context.ReplyPhoto(fileId, caption, key);
        }
        else
        {
            context.ReplyPhoto(png, caption, key);
        }
    }

    private static void AnswerWithoutPicture(BotContext context, OfferChartView view)
    {
        if (view.Status == OfferChartStatus.NotFound)
        {
            context.Answer(OfferChartRenderer.NotFound, alert: true);
            return;
        }

        context.Answer(view.Stale ? OfferChartRenderer.StaleNotice : null);
        context.Reply(OfferChartRenderer.NoApplications(view));
    }
}
