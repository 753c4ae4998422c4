using System.Diagnostics;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.State;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Abitly.Bot.Telegram;

/// <summary>
/// Runs one update as one unit of work: metrics → error boundary → DI scope and transaction → the update's id recorded
/// (a re-delivery is not handled twice) → telegram_users upsert → router → handler → its replies written to the outbox →
/// commit → the replies sent. A rollback drops the replies and the user gets an apology instead; an update that failed
/// because the database was unreachable is not confirmed (<see cref="DatabaseUnavailableException"/>) and runs again later.
/// </summary>
public sealed class UpdatePipeline(
    IServiceScopeFactory scopes,
    ITelegramBotClient bot,
    UpdateRouter router,
    OutboxAcknowledger acknowledger,
    PhotoFileIds photoFileIds,
    InstanceIdentity instance,
    AbitlySettings settings,
    BotMetrics metrics,
    TimeProvider time,
    ILogger<UpdatePipeline> logger)
{
    /// <summary>How long the pipeline keeps its replies' outbox rows to itself before a recovering sender may take them.</summary>
    public static readonly TimeSpan ReplyLease = TimeSpan.FromSeconds(60);

    public async Task HandleAsync(Update update, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(update);
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            outcome = await HandleInScopeAsync(update, ct) ? "ok" : "duplicate";
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
            await ConfirmWithApologyAsync(update, Texts.TemporarilyUnavailable, ct);
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            outcome = "deferred";
            throw new DatabaseUnavailableException($"Update {update.Id}: the database is unreachable ({ex.GetBaseException().Message})", ex);
        }
        catch (Exception ex)
        {
            outcome = "failed";
            logger.LogError(ex, "Update {UpdateId} ({Type}) failed; rolled back", update.Id, update.Type);
            await ConfirmWithApologyAsync(update, Texts.Apology, ct);
        }
        finally
        {
            metrics.UpdateHandled(update.Type.ToString(), outcome, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>False when the update had already been handled (nothing was done).</summary>
    private async Task<bool> HandleInScopeAsync(Update update, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbitlyDbContext>();
        var replies = new ReplySink(photoFileIds);
        List<OutboxMessage> rows = [];
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            // The update recorded and its sender upserted, in one round trip where the provider can batch.
            var from = update.Message?.From ?? update.CallbackQuery?.From ?? update.MyChatMember?.From;
            var sender = from is { IsBot: false } ? new TelegramAccount(from.Id, from.Username, from.FirstName, from.LastName, from.LanguageCode) : null;
            // Writing to the bot (a message or a button in private chat) proves it is not blocked.
            var isPrivate = (update.Message?.Chat.Type ?? update.CallbackQuery?.Message?.Chat.Type) == ChatType.Private;
            var begin = await scope.ServiceProvider.GetRequiredService<UpdateLog>().BeginAsync(
                update.Id, UpdateDispatcher.ChatKey(update), settings.WebhookMode, sender,
                clearBlocked: isPrivate && update.Type is UpdateType.Message or UpdateType.CallbackQuery, ct);
            switch (begin.Start)
            {
                case UpdateStart.HandledBefore:
                    // A re-delivery: its replies, if any were lost, are still in the outbox. Polling, Telegram delivers an
                    // update again only when the poller that handled it is gone, so they go out now; a webhook's retry may
                    // race the instance still sending them, so they wait for their lease to lapse.
                    logger.LogInformation("Update {UpdateId} was handled before; not handling it again", update.Id);
                    if (!settings.WebhookMode)
                    {
                        var recovered = await scope.ServiceProvider.GetRequiredService<IOutboxStore>().TakeOverRepliesAsync(update.Id, instance.Name, ReplyLease, ct);
                        await transaction.CommitAsync(ct);
                        await ReplySink.SendRecoveredAsync(bot, recovered, acknowledger, photoFileIds, ct);
                    }

                    return false;
                case UpdateStart.BehindOlder:
                    // Webhook: an older update of this chat is still running (maybe on another instance); whoever finishes
                    // it runs this one next from the inbox.
                    logger.LogDebug("Update {UpdateId} waits for an older update of its chat", update.Id);
                    return false;
                default:
                    break;
            }

            var user = begin.User;
            var context = new BotContext(update, user, from is not null && settings.AdminIds.Contains(from.Id), replies);
            await router.RouteAsync(context, scope.ServiceProvider, ct);
            await db.SaveChangesAsync(ct);
            if (replies.Replies.Count > 0)
            {
                rows = OutboxRows(update, replies.Replies);
                await scope.ServiceProvider.GetRequiredService<IOutboxStore>().AddAsync(rows, ct);
            }

            await transaction.CommitAsync(ct);
        }

        // Only now: a reply must never confirm a change that could still roll back. Its row says whether it went out.
        if (!settings.WebhookMode)
        {
            await replies.FlushAsync(bot, update.CallbackQuery?.Id, logger, ct,
                (index, error) => acknowledger.Record(rows[index].Id, error is null ? OutboxStatus.Sent : OutboxStatus.Failed, error));
            return true;
        }

        // Webhook: the chat's next update may run on another instance as soon as these rows are done, so they are recorded
        // before this update is finished (the group commit would let its replies be overtaken).
        List<OutboxOutcome> outcomes = [];
        await replies.FlushAsync(bot, update.CallbackQuery?.Id, logger, ct,
            (index, error) => outcomes.Add(new OutboxOutcome(rows[index].Id, error is null ? OutboxStatus.Sent : OutboxStatus.Failed, 0, error)));
        if (outcomes.Count > 0)
        {
            try
            {
                await scope.ServiceProvider.GetRequiredService<IOutboxStore>().CompleteAsync(outcomes, ct);
            }
            catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
            {
                // Sent already: the acknowledger keeps trying, and the chat waits a little longer.
                outcomes.ForEach(acknowledger.Record);
            }
        }

        return true;
    }

    private List<OutboxMessage> OutboxRows(Update update, IReadOnlyList<Reply> replies)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return [.. replies.Select(reply =>
        {
            var payload = OutboxPayload.From(reply);
            return new OutboxMessage
            {
                Lane = OutboxLane.Reply,
                Kind = "reply",
                ChatId = payload.ChatId,
                Payload = payload.ToJson(),
                NotBefore = now,
                LeaseUntil = now + ReplyLease,
                LeaseOwner = instance.Name,
                UpdateId = update.Id,
                CreatedAt = now,
            };
        })];
    }

    /// <summary>
    /// An update that failed for a reason other than the database gets the apology and is recorded as handled, so a
    /// re-delivery does not fail (and apologize) again. If even that cannot be recorded, the update stays unconfirmed.
    /// </summary>
    private async Task ConfirmWithApologyAsync(Update update, string html, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            if (await scope.ServiceProvider.GetRequiredService<UpdateLog>().TryBeginAsync(update.Id, UpdateDispatcher.ChatKey(update), inChatOrder: false, ct) != UpdateStart.Begun)
            {
                return;
            }
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            throw new DatabaseUnavailableException($"Update {update.Id}: the database is unreachable ({ex.GetBaseException().Message})", ex);
        }

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
