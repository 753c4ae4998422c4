using System.Security.Cryptography;
using System.Text.Json;
using Abitly.Domain.Filters;

namespace Abitly.Bot.State;

/// <summary>
/// A /filters dialog waiting for a search text. <see cref="Nonce"/> is carried in the dialog's buttons, so a button of an
/// older dialog, or of someone else's, is recognised.
/// </summary>
public sealed record FilterDialog(FilterDimension Dimension, string Nonce)
{
    public static FilterDialog Start(FilterDimension dimension) =>
        new(dimension, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
}

/// <summary>
/// Dialog state in the key-value store (Redis; memory in the sandbox) (<c>abitly:dialog:&lt;telegram user id&gt;</c>, JSON), not process memory, so it survives a restart
/// and a second instance; it expires after <see cref="Idle"/> without activity. Redis errors propagate: callers answer
/// "temporarily unavailable".
/// </summary>
public sealed class FilterDialogStore(IKeyValueStore store)
{
    public const string KeyPrefix = "abitly:dialog:";
    public static readonly TimeSpan Idle = TimeSpan.FromMinutes(15);

    public static string Key(long telegramUserId) => KeyPrefix + telegramUserId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The waiting dialog, its expiry pushed back by <see cref="Idle"/>; null when none (or unreadable).</summary>
    public async Task<FilterDialog?> GetAsync(long telegramUserId)
    {
        // GETEX reads and refreshes the TTL in one step: reading is activity.
        var value = await store.GetAndRefreshAsync(Key(telegramUserId), Idle);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<FilterDialog>(value);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public Task SaveAsync(long telegramUserId, FilterDialog dialog) =>
        store.SetAsync(Key(telegramUserId), JsonSerializer.Serialize(dialog), Idle);

    public Task ClearAsync(long telegramUserId) => store.DeleteAsync(Key(telegramUserId));
}
