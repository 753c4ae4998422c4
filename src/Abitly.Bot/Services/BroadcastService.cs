using Abitly.Bot.Data;
using Abitly.Bot.State;

namespace Abitly.Bot.Services;

/// <summary>A /broadcast waiting for confirmation: the draft and how many users it would reach.</summary>
public sealed record BroadcastPreview(BroadcastDraft Draft, int Recipients);

/// <summary>/broadcast before it runs: drafts (confirm takes one exactly once) and recipients.</summary>
public sealed class BroadcastService(BroadcastDrafts drafts, TelegramUserStore users)
{
    public async Task<BroadcastPreview> DraftAsync(long adminId, string text, CancellationToken ct) =>
        new(await drafts.SaveAsync(adminId, text), await users.CountRecipientsAsync(ct));

    /// <summary>Takes the draft for sending; null when another press took it, it was cancelled, or it expired.</summary>
    public Task<BroadcastDraft?> ClaimAsync(string draftId) => drafts.ClaimAsync(draftId);

    public Task<bool> DiscardAsync(string draftId) => drafts.DiscardAsync(draftId);
}
