using System.Security.Cryptography;
using System.Text.Json;

namespace Abitly.Bot.State;

/// <summary>A /broadcast text waiting for the admin's confirmation; <see cref="Id"/> is what the buttons carry.</summary>
public sealed record BroadcastDraft(string Id, long AdminId, string Text, DateTimeOffset CreatedAt);

/// <summary>
/// Drafts in the key-value store (Redis; memory in the sandbox) (<c>abitly:broadcast:&lt;id&gt;</c>, 1 h). Confirming reads
/// the draft and starts a fan-out keyed by its id (of two presses, or two instances, exactly one starts it); the draft is
/// deleted only after that commit, so a confirmation that failed can be pressed again.
/// </summary>
public sealed class BroadcastDrafts(IKeyValueStore store, TimeProvider time)
{
    public const string KeyPrefix = "abitly:broadcast:";
    public static readonly TimeSpan Ttl = TimeSpan.FromHours(1);

    public async Task<BroadcastDraft> SaveAsync(long adminId, string text)
    {
        // 12 URL-safe characters: short enough for callback data, unguessable enough for a one-hour key.
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(9)).Replace('+', '-').Replace('/', '_');
        var draft = new BroadcastDraft(id, adminId, text, time.GetUtcNow());
        await store.SetAsync(KeyPrefix + id, JsonSerializer.Serialize(draft), Ttl);
        return draft;
    }

    /// <summary>The draft, if it is still there (not discarded, sent or expired).</summary>
    public async Task<BroadcastDraft?> PeekAsync(string id)
    {
        var value = await store.GetAndRefreshAsync(KeyPrefix + id, Ttl);
        return string.IsNullOrEmpty(value) ? null : JsonSerializer.Deserialize<BroadcastDraft>(value);
    }

    public Task<bool> DiscardAsync(string id) => store.DeleteAsync(KeyPrefix + id);
}
