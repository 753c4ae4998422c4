using Abitly.Bot.Callbacks;
using Abitly.Bot.FanOuts;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.Telegram;
using Microsoft.Extensions.Logging;

namespace Abitly.Bot.Handlers;

/// <summary>
/// /broadcast &lt;text&gt; (or as a reply to the message to send): a preview with the recipient count and Confirm / Cancel.
/// Confirm takes the draft exactly once; the preview becomes the progress message.
/// </summary>
public sealed class BroadcastHandler(BroadcastService broadcasts, BroadcastRun run, ILogger<BroadcastHandler> logger) :
    ICommandHandler,
    ICallbackHandler<BroadcastConfirm>,
    ICallbackHandler<BroadcastCancel>
{
    public async Task HandleAsync(BotContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reply = context.Message!.ReplyToMessage;
        var text = context.CommandArgs.Length > 0 ? context.CommandArgs : reply?.Text ?? reply?.Caption ?? "";
        if (string.IsNullOrWhiteSpace(text))
        {
            context.Reply(new RenderedMessage(BroadcastRenderer.Usage));
            return;
        }

        context.Reply(BroadcastRenderer.Preview(await broadcasts.DraftAsync(context.UserId, text, ct)));
    }

    public async Task HandleAsync(BotContext context, BroadcastConfirm data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        if (await broadcasts.ClaimAsync(data.DraftId) is not { } draft)
        {
            context.Answer(BroadcastRenderer.AlreadyStarted);
            return;
        }

        var progress = context.Callback!.Message!;
        logger.LogInformation("Admin {AdminId} confirmed broadcast {DraftId}", context.UserId, draft.Id);
        // The preview becomes the progress message; the run edits it from here on, once this update has committed.
        context.EditOrKeep(new RenderedMessage(BroadcastRenderer.Started), BroadcastRenderer.Started);
        context.Replies.AfterCommit(committed =>
        {
            _ = run.Start(draft, progress.Chat.Id, progress.MessageId);
            return Task.CompletedTask;
        });
    }

    public async Task HandleAsync(BotContext context, BroadcastCancel data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        if (await broadcasts.DiscardAsync(data.DraftId))
        {
            context.EditOrKeep(new RenderedMessage(BroadcastRenderer.Cancelled), BroadcastRenderer.Cancelled);
        }
        else
        {
            context.Answer(BroadcastRenderer.AlreadyStarted);
        }
    }
}

/// <summary>
/// /runDailyNow (the daily reminders, now) and /notifyOpenDaysUpdate (today's filter-gated open-day updates): both say
/// they started and run in the background; the summary follows when they are done.
/// </summary>
public sealed class AdminRunHandler(BackgroundRuns runs, IServiceScopeFactory scopes) : ICommandHandler
{
    public Task HandleAsync(BotContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var chatId = context.ChatId!.Value;
        var daily = context.Command == "rundailynow";
        context.Reply(new RenderedMessage(daily ? AdminRenderer.DailyRunStarted : AdminRenderer.OpenDaysUpdateStarted));
        context.Replies.AfterCommit(committed =>
        {
            _ = runs.Start(daily ? "daily reminders" : "open-day updates", chatId, async () =>
            {
                // A run outlives the update, so it gets a scope of its own.
                await using var scope = scopes.CreateAsyncScope();
                var summary = daily
                    ? Summary(await scope.ServiceProvider.GetRequiredService<DailyReminderRun>().RunAsync(CancellationToken.None))
                    : await scope.ServiceProvider.GetRequiredService<OpenDayUpdateRun>().RunAsync(CancellationToken.None);
                await runs.NotifyAsync(chatId, summary);
            });
            return Task.CompletedTask;
        });
        return Task.CompletedTask;
    }

    private static RenderedMessage Summary(DailyRunResult result) => AdminRenderer.DailyRunSummary(result.AlreadySent, result.Send);
}
