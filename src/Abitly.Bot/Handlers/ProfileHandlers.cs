using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.Telegram;
using Microsoft.EntityFrameworkCore;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Handlers;

/// <summary>/start link_&lt;token&gt;: redeems a one-time token from the web backend.</summary>
public sealed class LinkPayloadHandler(LinkingService linking) : IStartPayloadHandler
{
    public string Prefix => LinkToken.StartPayloadPrefix;

    public async Task HandleAsync(BotContext context, string value, CancellationToken ct)
    {
        var result = await linking.RedeemAsync(value, context.User!, ct);
        var text = result.Outcome switch
        {
            LinkOutcome.Linked => Texts.ProfileLinked(result.DisplayName),
            LinkOutcome.Moved => Texts.ProfileLinkMoved(result.DisplayName),
            LinkOutcome.Unavailable => Texts.TemporarilyUnavailable,
            _ => Texts.LinkInvalid,
        };
        await context.Bot.SendMessage(context.ChatId!.Value, text, ParseMode.Html, cancellationToken: ct);
    }
}

/// <summary>/profile and its unlink buttons (with confirmation).</summary>
public sealed class ProfileHandler(AbitlyDbContext db, AbitlySettings settings) : ICommandHandler, ICallbackHandler
{
    public const string CallbackPrefix = "profile:";

    public IReadOnlyCollection<string> Commands { get; } = ["profile"];

    public string Prefix => CallbackPrefix;

    public async Task HandleAsync(BotContext context, CancellationToken ct)
    {
        var (text, keyboard) = await RenderAsync(context.User!, ct);
        await context.Bot.SendMessage(context.ChatId!.Value, text, ParseMode.Html, replyMarkup: keyboard, cancellationToken: ct);
    }

    public async Task HandleAsync(BotContext context, string data, CancellationToken ct)
    {
        var callback = context.Callback!;
        var message = callback.Message!;
        var user = context.User!;
        switch (data)
        {
            case "unlink" when user.WebUserId is not null:
                await context.Bot.EditMessageText(message.Chat.Id, message.MessageId, Texts.UnlinkConfirm, ParseMode.Html,
                    replyMarkup: new InlineKeyboardMarkup([
                        [InlineKeyboardButton.WithCallbackData(Texts.UnlinkConfirmButton, CallbackPrefix + "unlink-yes"), InlineKeyboardButton.WithCallbackData(Texts.CancelButton, CallbackPrefix + "show")],
                    ]), cancellationToken: ct);
                break;
            case "unlink-yes":
                LinkingService.Unlink(user);
                var (unlinkedText, unlinkedKeyboard) = await RenderAsync(user, ct);
                await context.Bot.EditMessageText(message.Chat.Id, message.MessageId, Texts.Unlinked + "\n\n" + unlinkedText, ParseMode.Html,
                    replyMarkup: unlinkedKeyboard, cancellationToken: ct);
                break;
            default:
                var (text, keyboard) = await RenderAsync(user, ct);
                await context.Bot.EditMessageText(message.Chat.Id, message.MessageId, text, ParseMode.Html, replyMarkup: keyboard, cancellationToken: ct);
                break;
        }

        await context.Bot.AnswerCallbackQuery(callback.Id, cancellationToken: ct);
    }

    private async Task<(string Text, InlineKeyboardMarkup? Keyboard)> RenderAsync(TelegramUser user, CancellationToken ct)
    {
        if (user.WebUserId is { } webUserId
            && await db.Users.AsNoTracking().Include(u => u.Grades).FirstOrDefaultAsync(u => u.Id == webUserId, ct) is { } webUser)
        {
            var grades = webUser.Grades.OrderBy(g => g.Subject, StringComparer.Ordinal).Select(g => (Texts.SubjectName(g.Subject), g.Score, g.Year)).ToList();
            return (Texts.ProfileLinkedView(webUser.DisplayName, grades),
                new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData(Texts.UnlinkButton, CallbackPrefix + "unlink")]]));
        }

        return (Texts.ProfileUnlinkedView(settings.LinkWebUrl is not null),
            settings.LinkWebUrl is { } url ? new InlineKeyboardMarkup([[InlineKeyboardButton.WithUrl(Texts.LinkProfileButton, url)]]) : null);
    }
}
