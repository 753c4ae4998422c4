using Abitly.Bot.Data;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.State;

namespace Abitly.Bot.Services;

/// <summary>A /broadcast waiting for confirmation: the draft and how many users it would reach.</summary>
public sealed record BroadcastPreview(BroadcastDraft Draft, int Recipients);

/// <summary>A fan-out as it stands: the batch, its outbox tally, and the time since it started.</summary>
public sealed record FanOutState(FanOutBatch Batch, FanOutTally Tally, TimeSpan Elapsed);

/// <summary>
/// /broadcast: drafts in Redis until confirmed; a confirmed draft becomes a fan-out batch (once per draft, by its key) with
/// one outbox row per recipient and part, written in the confirming update's transaction. Any fan-out can be stopped.
/// </summary>
public sealed class BroadcastService(BroadcastDrafts drafts, TelegramUserStore users, FanOutBatchStore batches, IOutboxStore outbox, TimeProvider time)
{
    public async Task<BroadcastPreview> DraftAsync(long adminId, string text, CancellationToken ct) =>
        new(await drafts.SaveAsync(adminId, text), await users.CountRecipientsAsync(ct));

    /// <summary>
    /// Starts the draft's broadcast with <paramref name="progressMessageId"/> as its progress message; null when the draft
    /// is gone (discarded, expired, sent) or was confirmed before. The draft itself is deleted after the commit.
    /// </summary>
    public async Task<FanOutState?> StartAsync(string draftId, long adminChatId, int progressMessageId, CancellationToken ct)
    {
        if (await drafts.PeekAsync(draftId) is not { } draft)
        {
            return null;
        }

        var batch = new FanOutBatch
        {
            Kind = FanOutKinds.Broadcast,
            Key = "broadcast:" + draft.Id,
            AdminChatId = adminChatId,
            ProgressMessageId = progressMessageId,
            Status = FanOutStatus.Running,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        if (await batches.TryCreateAsync(batch, ct) is not { } id)
        {
            return null;
        }

        var payloads = BroadcastText.SplitToHtml(draft.Text).Select(part => OutboxPayload.Message(0, new RenderedMessage(part)).ToJson()).ToList();
        batch.Id = id;
        batch.Recipients = await batches.QueueToAllUsersAsync(id, FanOutKinds.Broadcast, payloads, ct);
        batch.Messages = batch.Recipients * payloads.Count;
        return new FanOutState(batch, new FanOutTally(batch.Messages, 0, 0, 0, 0), TimeSpan.Zero);
    }

    public Task<bool> DiscardAsync(string draftId) => drafts.DiscardAsync(draftId);

    /// <summary>Stops a running fan-out: what no sender holds is cancelled; null when it had ended already.</summary>
    public async Task<FanOutState?> StopAsync(long batchId, CancellationToken ct)
    {
        if (!await batches.TryEndAsync(batchId, FanOutStatus.Cancelled, ct) || await batches.FindAsync(batchId, ct) is not { } batch)
        {
            return null;
        }

        await outbox.CancelBatchAsync(batchId, ct);
        return new FanOutState(batch, FanOutTally.From(await outbox.CountBatchAsync(batchId, ct)), time.GetUtcNow().UtcDateTime - batch.CreatedAt);
    }
}
