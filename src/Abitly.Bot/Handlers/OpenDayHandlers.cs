using System.Globalization;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.Telegram;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Handlers;

/// <summary>
/// /opendays and its buttons. Callback data: <c>od:p:&lt;page&gt;</c> a page, <c>od:my</c> the followed list,
/// <c>od:f|u:&lt;open day id&gt;:&lt;page or m&gt;</c> follow / unfollow, then show that page (or the followed list) again.
/// </summary>
public sealed class OpenDaysHandler(OpenDayService openDays) : ICommandHandler, ICallbackHandler
{
    public const string CallbackPrefix = "od:";
    private const string MineView = "m";

    public IReadOnlyCollection<string> Commands { get; } = ["opendays"];

    public string Prefix => CallbackPrefix;

    public async Task HandleAsync(BotContext context, CancellationToken ct)
    {
        var (text, keyboard) = await RenderPageAsync(context.User!.Id, 0, ct);
        await context.Bot.SendMessage(context.ChatId!.Value, text, ParseMode.Html, replyMarkup: keyboard,
            linkPreviewOptions: new() { IsDisabled = true }, cancellationToken: ct);
    }

    public async Task HandleAsync(BotContext context, string data, CancellationToken ct)
    {
        var callback = context.Callback!;
        var userId = context.User!.Id;
        var parts = data.Split(':');
        string? notice = null;
        string view;
        switch (parts)
        {
            case ["p", var page] when TryInt(page, out _):
                view = page;
                break;
            case ["my"]:
                view = MineView;
                break;
            case [var action and ("f" or "u"), var id, var back] when TryInt(id, out var openDayId) && (back == MineView || TryInt(back, out _)):
                var outcome = action == "f"
                    ? await openDays.FollowAsync(userId, openDayId, ct)
                    : await openDays.UnfollowAsync(userId, openDayId, ct);
                notice = outcome == FollowOutcome.OpenDayGone ? Texts.OpenDayGone : action == "f" ? Texts.OpenDayFollowed : Texts.OpenDayUnfollowed;
                view = back;
                break;
            default:
                await context.Bot.AnswerCallbackQuery(callback.Id, Texts.StaleButton, cancellationToken: ct);
                return;
        }

        var (text, keyboard) = view == MineView
            ? await RenderFollowedAsync(userId, ct)
            : await RenderPageAsync(userId, int.Parse(view, CultureInfo.InvariantCulture), ct);
        try
        {
            await context.Bot.EditMessageText(callback.Message!.Chat.Id, callback.Message.MessageId, text, ParseMode.Html,
                replyMarkup: keyboard, linkPreviewOptions: new() { IsDisabled = true }, cancellationToken: ct);
        }
        catch (ApiRequestException ex) when (ex.Message.Contains("message is not modified", StringComparison.OrdinalIgnoreCase))
        {
            // A second press of the same button: the view is already right.
        }

        await context.Bot.AnswerCallbackQuery(callback.Id, notice, cancellationToken: ct);
    }

    private async Task<(string, InlineKeyboardMarkup)> RenderPageAsync(long userId, int page, CancellationToken ct)
    {
        var result = await openDays.GetPageAsync(userId, page, ct);
        var rows = new List<InlineKeyboardButton[]>();
        var number = result.Page * OpenDayService.PageSize;
        var pageData = result.Page.ToString(CultureInfo.InvariantCulture);
        foreach (var item in result.Items)
        {
            rows.Add([FollowButton(item, ++number, pageData)]);
        }

        var navigation = new List<InlineKeyboardButton>();
        if (result.Page > 0)
        {
            navigation.Add(InlineKeyboardButton.WithCallbackData(Texts.OpenDaysPrevButton, PageData(result.Page - 1)));
        }

        if (result.Page < result.PageCount - 1)
        {
            navigation.Add(InlineKeyboardButton.WithCallbackData(Texts.OpenDaysNextButton, PageData(result.Page + 1)));
        }

        if (navigation.Count > 0)
        {
            rows.Add([.. navigation]);
        }

        rows.Add([InlineKeyboardButton.WithCallbackData(Texts.OpenDaysMineButton, CallbackPrefix + "my")]);
        return (Texts.OpenDaysPageView(result), new InlineKeyboardMarkup(rows));
    }

    private async Task<(string, InlineKeyboardMarkup)> RenderFollowedAsync(long userId, CancellationToken ct)
    {
        var items = await openDays.GetFollowedAsync(userId, ct);
        var rows = items.Select((item, i) => new[] { FollowButton(item, i + 1, MineView) }).ToList();
        rows.Add([InlineKeyboardButton.WithCallbackData(Texts.OpenDaysAllButton, PageData(0))]);
        return (Texts.OpenDaysFollowedView(items), new InlineKeyboardMarkup(rows));
    }

    private static InlineKeyboardButton FollowButton(OpenDayListItem item, int number, string back) =>
        item.Followed
            ? InlineKeyboardButton.WithCallbackData(Texts.OpenDayUnfollowButton(number, item.Title), FollowData("u", item.Id, back))
            : InlineKeyboardButton.WithCallbackData(Texts.OpenDayFollowButton(number, item.Title), FollowData("f", item.Id, back));

    /// <summary>"od:f:2147483647:999" is at most 22 bytes, far under Telegram's 64.</summary>
    public static string FollowData(string action, int openDayId, string back) =>
        string.Create(CultureInfo.InvariantCulture, $"{CallbackPrefix}{action}:{openDayId}:{back}");

    public static string PageData(int page) => string.Create(CultureInfo.InvariantCulture, $"{CallbackPrefix}p:{page}");

    private static bool TryInt(string value, out int result) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result);
}
