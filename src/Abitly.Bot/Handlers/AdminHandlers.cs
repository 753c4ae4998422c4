using Abitly.Bot.Callbacks;
using Abitly.Bot.FanOuts;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.Telegram;
using Microsoft.Extensions.Logging;

namespace Abitly.Bot.Handlers;

/// <summary>
/// /broadcast &lt;text&gt; (or as a reply to the message to send): a preview with the recipient count and Confirm / Cancel.
/// Confirm starts the broadcast once (its rows are in the outbox when the update commits) and turns the preview into its
/// progress message, whose stop button ends any running fan-out.
/// </summary>
public sealed class BroadcastHandler(BroadcastService broadcasts, OutboxSignal outbox, ILogger<BroadcastHandler> logger) :
    ICommandHandler,
    ICallbackHandler<BroadcastConfirm>,
    ICallbackHandler<BroadcastCancel>,
    ICallbackHandler<FanOutStop>
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
        var progress = context.Callback!.Message!;
        if (await broadcasts.StartAsync(data.DraftId, progress.Chat.Id, progress.MessageId, ct) is not { } started)
        {
            context.Answer(BroadcastRenderer.AlreadyStarted);
            return;
        }

        logger.LogInformation("Admin {AdminId} confirmed broadcast {DraftId}: fan-out {BatchId}, {Messages} messages",
            context.UserId, data.DraftId, started.Batch.Id, started.Batch.Messages);
        context.EditOrKeep(FanOutRenderer.Progress(started.Batch, started.Tally, stoppable: true), BroadcastRenderer.Started);
        context.Replies.AfterCommit(async committed =>
        {
            await broadcasts.DiscardAsync(data.DraftId);
            outbox.Nudge();
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

    public async Task HandleAsync(BotContext context, FanOutStop data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        if (await broadcasts.StopAsync(data.BatchId, ct) is not { } stopped)
        {
            context.Answer(FanOutRenderer.AlreadyEnded);
            return;
        }

        logger.LogInformation("Admin {AdminId} stopped fan-out {BatchId}", context.UserId, data.BatchId);
        var end = FanOutRenderer.Ended(stopped.Batch, stopped.Tally, stopped.Elapsed, cancelled: true);
        context.EditOrKeep(end.Progress, FanOutRenderer.Stopped);
        context.Reply(end.Summary);
    }
}

/// <summary>
/// /runDailyNow (the daily reminders, now) and /notifyOpenDaysUpdate (today's filter-gated open-day updates): the work is
/// planned and queued in the outbox within this update; the summary follows when the last message is out.
/// </summary>
public sealed class AdminRunHandler(DailyReminderRun daily, OpenDayUpdateRun updates, OutboxSignal outbox) : ICommandHandler
{
    public async Task HandleAsync(BotContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var chatId = context.ChatId!.Value;
        var queued = context.Command == "rundailynow"
            ? (await daily.RunAsync(chatId, ct)).Queued
            : await updates.RunAsync(chatId, ct);
        context.Reply(AdminRenderer.FanOutQueued(queued.Queued, queued.AlreadySent));
        context.Replies.AfterCommit(_ =>
        {
            outbox.Nudge();
            return Task.CompletedTask;
        });
    }
}
