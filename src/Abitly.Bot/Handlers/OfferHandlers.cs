using System.Globalization;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.Telegram;
using Abitly.Domain.Offers;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace Abitly.Bot.Handlers;

/// <summary>A pasted offer link → the offer view; a URL that is not an offer link → a hint; other text is not ours.</summary>
public sealed class OfferLinkHandler(OfferService offers) : ITextHandler
{
    public int Order => 100;

    public async Task<bool> TryHandleAsync(BotContext context, string text, CancellationToken ct)
    {
        var scan = OfferLinkParser.Parse(text);
        var chatId = context.ChatId!.Value;
        if (scan.First is not { } link)
        {
            if (!scan.ContainsUrl)
            {
                return false;   // plain text without a URL is ignored (spec)
            }

            await context.Bot.SendMessage(chatId, Texts.OfferLinkHint, ParseMode.Html, cancellationToken: ct);
            return true;
        }

        var view = await offers.BuildOfferViewAsync(link.OfferId, link.Year, context.User, ct);
        var body = scan.Links.Count > 1 && view.Text.Length + Texts.SeveralOfferLinks.Length + 2 <= OfferViewRenderer.MaxLength
            ? Texts.SeveralOfferLinks + "\n\n" + view.Text
            : view.Text;
        await context.Bot.SendMessage(chatId, body, ParseMode.Html, replyMarkup: view.Keyboard,
            linkPreviewOptions: new() { IsDisabled = true }, cancellationToken: ct);
        return true;
    }
}

/// <summary>The refresh button: re-renders the same offer view in place.</summary>
public sealed class OfferRefreshHandler(OfferService offers) : ICallbackHandler
{
    public string Prefix => OfferViewRenderer.RefreshPrefix;

    public async Task HandleAsync(BotContext context, string data, CancellationToken ct)
    {
        var callback = context.Callback!;
        if (!long.TryParse(data, NumberStyles.None, CultureInfo.InvariantCulture, out var offerId))
        {
            await context.Bot.AnswerCallbackQuery(callback.Id, Texts.StaleButton, cancellationToken: ct);
            return;
        }

        var view = await offers.BuildOfferViewAsync(offerId, null, context.User, ct);
        try
        {
            await context.Bot.EditMessageText(callback.Message!.Chat.Id, callback.Message.MessageId, view.Text, ParseMode.Html,
                replyMarkup: view.Keyboard, linkPreviewOptions: new() { IsDisabled = true }, cancellationToken: ct);
            await context.Bot.AnswerCallbackQuery(callback.Id, Texts.OfferRefreshed, cancellationToken: ct);
        }
        catch (ApiRequestException ex) when (ex.Message.Contains("message is not modified", StringComparison.OrdinalIgnoreCase))
        {
            await context.Bot.AnswerCallbackQuery(callback.Id, Texts.OfferUnchanged, cancellationToken: ct);
        }
    }
}
