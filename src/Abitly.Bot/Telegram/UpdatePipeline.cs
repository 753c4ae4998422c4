using System.Diagnostics;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Abitly.Bot.Rendering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Abitly.Bot.Telegram;

/// <summary>
/// Runs one update as one unit of work: metrics → error boundary → DI scope and transaction →
/// telegram_users upsert → router → handler; commit on success, rollback on exception.
/// </summary>
public sealed class UpdatePipeline(
    IServiceScopeFactory scopes,
    ITelegramBotClient bot,
    AbitlySettings settings,
    BotMetrics metrics,
    TimeProvider time,
    ILogger<UpdatePipeline> logger)
{
    public async Task HandleAsync(Update update, CancellationToken ct)
    {
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
        catch (Exception ex)
        {
            outcome = "failed";
            logger.LogError(ex, "Update {UpdateId} ({Type}) failed; rolled back", update.Id, update.Type);
            await ApologizeAsync(update, ct);
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
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        var from = update.Message?.From ?? update.CallbackQuery?.From ?? update.MyChatMember?.From;
        TelegramUser? user = null;
        if (from is { IsBot: false })
        {
            // Writing to the bot (a message or a button in private chat) proves it is not blocked.
            var isPrivate = (update.Message?.Chat.Type ?? update.CallbackQuery?.Message?.Chat.Type) == ChatType.Private;
            user = await UpsertUserAsync(db, from, clearBlocked: isPrivate && update.Type is UpdateType.Message or UpdateType.CallbackQuery, ct);
        }

        var context = new BotContext(update, bot, user, from is not null && settings.AdminIds.Contains(from.Id));
        var router = scope.ServiceProvider.GetRequiredService<UpdateRouter>();
        await router.RouteAsync(context, ct);

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>One statement for insert-or-refresh, so the hot path costs a single round trip.</summary>
    private async Task<TelegramUser> UpsertUserAsync(AbitlyDbContext db, User from, bool clearBlocked, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var rows = await db.TelegramUsers.FromSql($"""
            INSERT INTO telegram_users (id, username, first_name, last_name, language_code, created_at, updated_at, last_seen_at)
            VALUES ({from.Id}, {from.Username}, {from.FirstName}, {from.LastName}, {from.LanguageCode}, {now}, {now}, {now})
            ON CONFLICT (id) DO UPDATE SET
                username = excluded.username,
                first_name = excluded.first_name,
                last_name = excluded.last_name,
                language_code = excluded.language_code,
                last_seen_at = excluded.last_seen_at,
                updated_at = excluded.updated_at,
                blocked_at = CASE WHEN {clearBlocked} THEN NULL ELSE telegram_users.blocked_at END
            RETURNING *
            """).AsNoTracking().ToListAsync(ct);
        var user = rows[0];
        db.Attach(user);
        return user;
    }

    private async Task ApologizeAsync(Update update, CancellationToken ct)
    {
        try
        {
            if (update.CallbackQuery is { } callback)
            {
                await bot.AnswerCallbackQuery(callback.Id, Texts.Apology, cancellationToken: ct);
                return;
            }

            if (update.Message is { Chat.Type: ChatType.Private } message)
            {
                await bot.SendMessage(message.Chat.Id, Texts.Apology, ParseMode.Html, cancellationToken: ct);
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not apologize for update {UpdateId}", update.Id);
        }
    }
}
