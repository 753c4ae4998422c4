using Abitly.Bot.Data;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.Telegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Handlers;

/// <summary>
/// /broadcast &lt;text&gt; (or as a reply to the message to send): a preview with the recipient count and Confirm / Cancel.
/// Callback data <c>bc:go:&lt;draft id&gt;</c> and <c>bc:no:&lt;draft id&gt;</c>; presses by non-admins are refused.
/// </summary>
public sealed class BroadcastHandler(
    AbitlyDbContext db,
    BroadcastDrafts drafts,
    BroadcastRunner runner,
    ILogger<BroadcastHandler> logger) : ICommandHandler, ICallbackHandler
{
    public const string CallbackPrefix = "bc:";

    public IReadOnlyCollection<string> Commands { get; } = ["broadcast"];

    public bool AdminOnly => true;

    public string Prefix => CallbackPrefix;

    public async Task HandleAsync(BotContext context, CancellationToken ct)
    {
        var chatId = context.ChatId!.Value;
        var reply = context.Message!.ReplyToMessage;
        var text = context.CommandArgs.Length > 0 ? context.CommandArgs : reply?.Text ?? reply?.Caption ?? "";
        if (string.IsNullOrWhiteSpace(text))
        {
            await context.Bot.SendMessage(chatId, Texts.BroadcastUsage, ParseMode.Html, cancellationToken: ct);
            return;
        }

        BroadcastDraft draft;
        try
        {
            draft = await drafts.SaveAsync(context.User!.Id, text);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Broadcast draft not saved: Redis unavailable ({Error})", ex.Message);
            await context.Bot.SendMessage(chatId, Texts.TemporarilyUnavailable, ParseMode.Html, cancellationToken: ct);
            return;
        }

        var recipients = await db.TelegramUsers.CountAsync(u => u.BlockedAt == null, ct);
        var parts = BroadcastText.SplitToHtml(text).Count;
        await context.Bot.SendMessage(chatId, Texts.BroadcastPreview(recipients, text, parts), ParseMode.Html,
            replyMarkup: new InlineKeyboardMarkup([[
                InlineKeyboardButton.WithCallbackData(Texts.BroadcastConfirmButton, CallbackPrefix + "go:" + draft.Id),
                InlineKeyboardButton.WithCallbackData(Texts.BroadcastCancelButton, CallbackPrefix + "no:" + draft.Id),
            ]]),
            linkPreviewOptions: new() { IsDisabled = true },
            cancellationToken: ct);
    }

    public async Task HandleAsync(BotContext context, string data, CancellationToken ct)
    {
        var callback = context.Callback!;
        if (!context.IsAdmin)
        {
            // Buttons of the admin path answer a non-admin like any dead button, and the attempt is logged.
            logger.LogWarning("Non-admin {UserId} pressed admin button {Data}", callback.From.Id, CallbackPrefix + data);
            await context.Bot.AnswerCallbackQuery(callback.Id, Texts.StaleButton, cancellationToken: ct);
            return;
        }

        var message = callback.Message!;
        try
        {
            switch (data.Split(':'))
            {
                case ["go", var id]:
                    if (await drafts.ClaimAsync(id) is not { } draft)
                    {
                        await context.Bot.AnswerCallbackQuery(callback.Id, Texts.BroadcastAlreadyStarted, cancellationToken: ct);
                        return;
                    }

                    // The preview becomes the progress message; the runner edits it from here on.
                    await context.Bot.EditMessageText(message.Chat.Id, message.MessageId, Texts.BroadcastStarted, ParseMode.Html, cancellationToken: ct);
                    logger.LogInformation("Admin {AdminId} confirmed broadcast {DraftId}", callback.From.Id, draft.Id);
                    runner.StartBroadcast(draft, message.Chat.Id, message.MessageId);
                    await context.Bot.AnswerCallbackQuery(callback.Id, Texts.BroadcastStarted, cancellationToken: ct);
                    break;
                case ["no", var id]:
                    var discarded = await drafts.DiscardAsync(id);
                    if (discarded)
                    {
                        await context.Bot.EditMessageText(message.Chat.Id, message.MessageId, Texts.BroadcastCancelled, ParseMode.Html, cancellationToken: ct);
                    }

                    await context.Bot.AnswerCallbackQuery(callback.Id, discarded ? Texts.BroadcastCancelled : Texts.BroadcastAlreadyStarted, cancellationToken: ct);
                    break;
                default:
                    await context.Bot.AnswerCallbackQuery(callback.Id, Texts.StaleButton, cancellationToken: ct);
                    break;
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Broadcast button: Redis unavailable ({Error})", ex.Message);
            await context.Bot.AnswerCallbackQuery(callback.Id, Texts.TemporarilyUnavailable, showAlert: true, cancellationToken: ct);
        }
    }
}

/// <summary>
/// /notifyOpenDaysUpdate (today's filter-gated open-day updates) and /runDailyNow (the daily reminders, now):
/// both say they started and run in the background; the summary follows when they are done.
/// </summary>
public sealed class AdminRunHandler(BroadcastRunner runner) : ICommandHandler
{
    public IReadOnlyCollection<string> Commands { get; } = ["notifyopendaysupdate", "rundailynow"];

    public bool AdminOnly => true;

    public async Task HandleAsync(BotContext context, CancellationToken ct)
    {
        var chatId = context.ChatId!.Value;
        var daily = context.Command == "rundailynow";
        await context.Bot.SendMessage(chatId, daily ? Texts.DailyRunStarted : Texts.OpenDaysUpdateStarted, ParseMode.Html, cancellationToken: ct);
        if (daily)
        {
            runner.StartDailyReminders(chatId);
        }
        else
        {
            runner.StartOpenDayUpdate(chatId);
        }
    }
}
