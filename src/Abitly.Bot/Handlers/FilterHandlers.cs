using System.Globalization;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.Telegram;
using Abitly.Domain.Offers;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Handlers;

/// <summary>
/// /filters and its buttons. Callback data: <c>fl:show</c>, <c>fl:clr</c>, <c>fl:r:u|s:&lt;id&gt;</c> remove,
/// <c>fl:a:u|s</c> start a search dialog, <c>fl:p:&lt;nonce&gt;:u|s:&lt;id&gt;</c> pick a result, <c>fl:x:&lt;nonce&gt;</c> cancel it.
/// </summary>
public sealed class FiltersHandler(FilterService filters, FilterDialogStore dialogs, ILogger<FiltersHandler> logger) : ICommandHandler, ICallbackHandler
{
    public const string CallbackPrefix = "fl:";

    public IReadOnlyCollection<string> Commands { get; } = ["filters"];

    public string Prefix => CallbackPrefix;

    public async Task HandleAsync(BotContext context, CancellationToken ct)
    {
        var (text, keyboard) = await RenderAsync(context.User!.Id, null, ct);
        await context.Bot.SendMessage(context.ChatId!.Value, text, ParseMode.Html, replyMarkup: keyboard, cancellationToken: ct);
    }

    public async Task HandleAsync(BotContext context, string data, CancellationToken ct)
    {
        var callback = context.Callback!;
        var userId = context.User!.Id;
        try
        {
            switch (data.Split(':'))
            {
                case ["show"]:
                    await ShowAsync(context, null, ct);
                    break;
                case ["clr"]:
                    await filters.ClearAsync(userId, ct);
                    await ShowAsync(context, Texts.FiltersCleared, ct);
                    break;
                case ["r", var kind, var id] when TryDimension(kind, out var dimension) && TryInt(id, out var choiceId):
                    await filters.RemoveAsync(userId, dimension, choiceId, ct);
                    await ShowAsync(context, null, ct);
                    break;
                case ["a", var kind] when TryDimension(kind, out var dimension):
                    var dialog = FilterDialog.Start(dimension);
                    await dialogs.SaveAsync(userId, dialog);
                    await context.Bot.SendMessage(callback.Message!.Chat.Id, Texts.FilterAsk(dimension), ParseMode.Html,
                        replyMarkup: CancelKeyboard(dialog), cancellationToken: ct);
                    await context.Bot.AnswerCallbackQuery(callback.Id, cancellationToken: ct);
                    break;
                case ["p", var nonce, var kind, var id] when TryDimension(kind, out var dimension) && TryInt(id, out var choiceId):
                    if (await OwnDialogAsync(context, nonce) is not { } own || own.Dimension != dimension)
                    {
                        return;
                    }

                    if (!await filters.AddAsync(userId, dimension, choiceId, ct))
                    {
                        await context.Bot.AnswerCallbackQuery(callback.Id, Texts.FilterChoiceGone, cancellationToken: ct);
                        return;
                    }

                    await dialogs.ClearAsync(userId);
                    var added = await filters.GetAsync(userId, ct);
                    var label = (dimension == FilterDimension.University ? added.Universities : added.Specialities).FirstOrDefault(c => c.Id == choiceId)?.Label ?? "";
                    await ShowAsync(context, Texts.FilterAdded(label), ct);
                    break;
                case ["x", var nonce]:
                    if (await OwnDialogAsync(context, nonce) is null)
                    {
                        return;
                    }

                    await dialogs.ClearAsync(userId);
                    await ShowAsync(context, Texts.FilterSearchCancelled, ct);
                    break;
                default:
                    await context.Bot.AnswerCallbackQuery(callback.Id, Texts.StaleButton, cancellationToken: ct);
                    break;
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Filter dialog of {UserId}: Redis unavailable ({Error})", userId, ex.Message);
            await context.Bot.AnswerCallbackQuery(callback.Id, Texts.TemporarilyUnavailable, showAlert: true, cancellationToken: ct);
        }
    }

    /// <summary>The user's waiting dialog when the button belongs to it; otherwise answers with a notice and returns null.</summary>
    private async Task<FilterDialog?> OwnDialogAsync(BotContext context, string nonce)
    {
        var dialog = await dialogs.GetAsync(context.User!.Id);
        if (dialog is not null && dialog.Nonce == nonce)
        {
            return dialog;
        }

        await context.Bot.AnswerCallbackQuery(context.Callback!.Id, Texts.FilterDialogStale);
        return null;
    }

    /// <summary>Turns the pressed message into the filters view.</summary>
    private async Task ShowAsync(BotContext context, string? notice, CancellationToken ct)
    {
        var callback = context.Callback!;
        var (text, keyboard) = await RenderAsync(context.User!.Id, notice, ct);
        try
        {
            await context.Bot.EditMessageText(callback.Message!.Chat.Id, callback.Message.MessageId, text, ParseMode.Html,
                replyMarkup: keyboard, cancellationToken: ct);
        }
        catch (ApiRequestException ex) when (ex.Message.Contains("message is not modified", StringComparison.OrdinalIgnoreCase))
        {
        }

        await context.Bot.AnswerCallbackQuery(callback.Id, cancellationToken: ct);
    }

    private async Task<(string, InlineKeyboardMarkup)> RenderAsync(long userId, string? notice, CancellationToken ct)
    {
        var current = await filters.GetAsync(userId, ct);
        var rows = new List<InlineKeyboardButton[]>();
        rows.AddRange(current.Universities.Select(u => new[] { InlineKeyboardButton.WithCallbackData(Texts.FilterRemoveButton(u.Label), Data($"r:u:{u.Id}")) }));
        rows.AddRange(current.Specialities.Select(s => new[] { InlineKeyboardButton.WithCallbackData(Texts.FilterRemoveButton(s.Label), Data($"r:s:{s.Id}")) }));
        rows.Add([
            InlineKeyboardButton.WithCallbackData(Texts.FilterAddUniversityButton, Data("a:u")),
            InlineKeyboardButton.WithCallbackData(Texts.FilterAddSpecialityButton, Data("a:s")),
        ]);
        if (!current.IsEmpty)
        {
            rows.Add([InlineKeyboardButton.WithCallbackData(Texts.FilterClearButton, Data("clr"))]);
        }

        return (Texts.FiltersView(current, notice), new InlineKeyboardMarkup(rows));
    }

    internal static InlineKeyboardMarkup CancelKeyboard(FilterDialog dialog) =>
        new([[InlineKeyboardButton.WithCallbackData(Texts.FilterCancelButton, Data("x:" + dialog.Nonce))]]);

    /// <summary>Callback data; the longest, "fl:p:&lt;8 hex&gt;:u:&lt;int&gt;", is under 30 bytes.</summary>
    internal static string Data(FormattableString suffix) => CallbackPrefix + suffix.ToString(CultureInfo.InvariantCulture);

    internal static string Data(string suffix) => CallbackPrefix + suffix;

    internal static string DimensionCode(FilterDimension dimension) => dimension == FilterDimension.University ? "u" : "s";

    private static bool TryDimension(string code, out FilterDimension dimension)
    {
        dimension = code == "s" ? FilterDimension.Speciality : FilterDimension.University;
        return code is "u" or "s";
    }

    private static bool TryInt(string value, out int result) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result);
}

/// <summary>Free text while a /filters dialog waits for input: a search by name, short name or code, answered with buttons.</summary>
public sealed class FilterSearchHandler(FilterService filters, FilterDialogStore dialogs, ILogger<FilterSearchHandler> logger) : ITextHandler
{
    /// <summary>Before the offer-link handler (100): a waiting dialog owns the user's next text.</summary>
    public int Order => 10;

    public async Task<bool> TryHandleAsync(BotContext context, string text, CancellationToken ct)
    {
        // A pasted offer link is still an offer link; the dialog keeps waiting for its search text.
        if (OfferLinkParser.Parse(text).ContainsUrl)
        {
            return false;
        }

        var chatId = context.ChatId!.Value;
        FilterDialog? dialog;
        try
        {
            dialog = await dialogs.GetAsync(context.User!.Id);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Unknown whether a dialog waits; plain text is otherwise ignored, so saying so costs nothing.
            logger.LogWarning("Filter dialog of {UserId}: Redis unavailable ({Error})", context.User!.Id, ex.Message);
            await context.Bot.SendMessage(chatId, Texts.TemporarilyUnavailable, ParseMode.Html, cancellationToken: ct);
            return true;
        }

        if (dialog is null)
        {
            return false;
        }

        var query = FilterQuery.From(text);
        if (query.TooShort)
        {
            await context.Bot.SendMessage(chatId, Texts.FilterQueryTooShort, ParseMode.Html, replyMarkup: FiltersHandler.CancelKeyboard(dialog), cancellationToken: ct);
            return true;
        }

        var found = await filters.SearchAsync(dialog.Dimension, query.Text!, ct);
        if (found.Count == 0)
        {
            await context.Bot.SendMessage(chatId, Texts.FilterNothingFound(query.Text!), ParseMode.Html, replyMarkup: FiltersHandler.CancelKeyboard(dialog), cancellationToken: ct);
            return true;
        }

        var code = FiltersHandler.DimensionCode(dialog.Dimension);
        var rows = found.Select(c => new[] { InlineKeyboardButton.WithCallbackData(c.Label.Length > 60 ? c.Label[..59] + "…" : c.Label, FiltersHandler.Data($"p:{dialog.Nonce}:{code}:{c.Id}")) }).ToList();
        rows.Add([InlineKeyboardButton.WithCallbackData(Texts.FilterCancelButton, FiltersHandler.Data("x:" + dialog.Nonce))]);
        await context.Bot.SendMessage(chatId, Texts.FilterResults(dialog.Dimension, query.Text!), ParseMode.Html, replyMarkup: new InlineKeyboardMarkup(rows), cancellationToken: ct);
        return true;
    }
}
