using Abitly.Bot.Data;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.State;
using Abitly.Bot.Telegram;
using Microsoft.Extensions.Logging;
using Telegram.Bot;

namespace Abitly.Bot.FanOuts;

/// <summary>A confirmed /broadcast: every user who has not blocked the bot gets the text, while the preview becomes its progress.</summary>
public sealed partial class BroadcastRun(
    IServiceScopeFactory scopes,
    MessageSender sender,
    BackgroundRuns runs,
    ITelegramBotClient bot,
    TimeProvider time,
    ILogger<BroadcastRun> logger)
{
    /// <summary>Starts the broadcast in the background; <paramref name="progressMessageId"/> is edited as it goes.</summary>
    public Task Start(BroadcastDraft draft, long adminChatId, int progressMessageId)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return runs.Start("broadcast " + draft.Id, adminChatId, () => RunAsync(draft, adminChatId, progressMessageId));
    }

    private async Task RunAsync(BroadcastDraft draft, long adminChatId, int progressMessageId)
    {
        long[] recipients;
        await using (var scope = scopes.CreateAsyncScope())
        {
            recipients = await scope.ServiceProvider.GetRequiredService<TelegramUserStore>().RecipientIdsAsync(CancellationToken.None);
        }

        var parts = BroadcastText.SplitToHtml(draft.Text);
        var tally = new SendTally();
        var batch = sender.CreateBatch("broadcast");
        foreach (var recipient in recipients)
        {
            foreach (var part in parts)
            {
                batch.Add(new OutgoingMessage(recipient, part, Tag: "broadcast " + draft.Id, OnOutcome: (_, outcome) => tally.Record(outcome)));
            }
        }

        LogStarted(draft.Id, draft.AdminId, recipients.Length, parts.Count);
        var total = batch.Count;
        var progress = new BroadcastProgressReporter(message => EditAsync(adminChatId, progressMessageId, message), time);
        batch.Start();
        await progress.FollowAsync(() => BroadcastRenderer.Progress(tally.Sent, tally.Blocked, tally.Failed, total, finished: false), batch.Completion);
        var result = await batch.Completion;
        await progress.FinishAsync(BroadcastRenderer.Progress(result.Sent, result.Blocked, result.Failed + result.DroppedAfterRetries, total, finished: true));
        await runs.NotifyAsync(adminChatId, BroadcastRenderer.Summary(result, recipients.Length));
    }

    private async Task EditAsync(long chatId, int messageId, RenderedMessage message)
    {
        try
        {
            await ReplySink.EditOrKeepAsync(bot, new EditReply(chatId, messageId, message, null, null, null), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Progress is a courtesy: a failed edit must not stop the broadcast.
            LogEditFailed(ex.Message);
        }
    }

    /// <summary>Outcomes so far, updated from the sender's threads.</summary>
    private sealed class SendTally
    {
        private int _sent;
        private int _blocked;
        private int _failed;

        public int Sent => Volatile.Read(ref _sent);

        public int Blocked => Volatile.Read(ref _blocked);

        public int Failed => Volatile.Read(ref _failed);

        public void Record(SendOutcome outcome)
        {
            switch (outcome)
            {
                case SendOutcome.Sent:
                    Interlocked.Increment(ref _sent);
                    break;
                case SendOutcome.Blocked:
                    Interlocked.Increment(ref _blocked);
                    break;
                case SendOutcome.Failed or SendOutcome.DroppedAfterRetries:
                    Interlocked.Increment(ref _failed);
                    break;
                default:
                    break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Broadcast {DraftId} by {AdminId}: {Recipients} recipients, {Parts} parts each")]
    private partial void LogStarted(string draftId, long adminId, int recipients, int parts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not edit the broadcast's progress: {Error}")]
    private partial void LogEditFailed(string error);
}
