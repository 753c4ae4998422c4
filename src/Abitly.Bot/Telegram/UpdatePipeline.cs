using System.Diagnostics;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Abitly.Bot.Rendering;
using Abitly.Bot.State;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Abitly.Bot.Telegram;

/// <summary>
/// Runs one update as one unit of work: metrics → error boundary → DI scope and transaction → telegram_users upsert →
/// router → handler → commit → the update's replies. A rollback drops the replies and answers with an apology instead.
/// </summary>
public sealed class UpdatePipeline(
    IServiceScopeFactory scopes,
    ITelegramBotClient bot,
    UpdateRouter router,
    AbitlySettings settings,
    BotMetrics metrics,
    ILogger<UpdatePipeline> logger)
{
    public async Task HandleAsync(Update update, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(update);
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            await HandleInScopeAsync(update, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            outcome = "cancelled";
            throw;
        }
        catch (StateStoreUnavailableException ex)
        {
            outcome = "unavailable";
            logger.LogWarning("Update {UpdateId} ({Type}) rolled back: {Error}", update.Id, update.Type, ex.Message);
            await ApologizeAsync(update, Texts.TemporarilyUnavailable, ct);
        }
        catch (Exception ex)
        {
            outcome = "failed";
            logger.LogError(ex, "Update {UpdateId} ({Type}) failed; rolled back", update.Id, update.Type);
            await ApologizeAsync(update, Texts.Apology, ct);
        }
        finally
        {
            metrics.UpdateHandled(update.Type.ToString(), outcome, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task HandleInScopeAsync(Update update, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbitlyDbContext>();
        var replies = new ReplySink();
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var from = update.Message?.From ?? update.CallbackQuery?.From ?? update.MyChatMember?.From;
            TelegramUser? user = null;
            if (from is { IsBot: false })
            {
                // Writing to the bot (a message or a button in private chat) proves it is not blocked.
                var isPrivate = (update.Message?.Chat.Type ?? update.CallbackQuery?.Message?.Chat.Type) == ChatType.Private;
                user = await scope.ServiceProvider.GetRequiredService<TelegramUserStore>().UpsertAsync(
                    new TelegramAccount(from.Id, from.Username, from.FirstName, from.LastName, from.LanguageCode),
                    clearBlocked: isPrivate && update.Type is UpdateType.Message or UpdateType.CallbackQuery,
                    ct);
            }

            var context = new BotContext(update, user, from is not null && settings.AdminIds.Contains(from.Id), replies);
            await router.RouteAsync(context, scope.ServiceProvider, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        // Only now: a reply must never confirm a change that could still roll back.
        await replies.FlushAsync(bot, update.CallbackQuery?.Id, logger, ct);
    }

    private async Task ApologizeAsync(Update update, string html, CancellationToken ct)
    {
        try
        {
            if (update.CallbackQuery is { } callback)
            {
                await bot.AnswerCallbackQuery(callback.Id, html, showAlert: html == Texts.TemporarilyUnavailable, cancellationToken: ct);
                return;
            }

            if (update.Message is { Chat.Type: ChatType.Private } message)
            {
                await bot.SendMessage(message.Chat.Id, html, ParseMode.Html, cancellationToken: ct);
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not apologize for update {UpdateId}", update.Id);
        }
    }
}
