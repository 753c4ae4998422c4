using Microsoft.Extensions.Logging;

namespace Abitly.Bot.State;

/// <summary>
/// Telegram's <c>file_id</c> of each picture the bot uploaded, by the picture's key (what it shows), so the same picture
/// is sent again by its file id instead of being drawn and uploaded anew. Key <c>abitly:photo:&lt;bot id&gt;:&lt;key&gt;</c>:
/// file ids belong to one bot, so two bots sharing a Redis database never hand each other theirs.
/// </summary>
/// <remarks>
/// A cache, not state anyone relies on: when the store cannot be reached, a lookup answers "not cached" and a record is
/// skipped (the picture is drawn and uploaded again), instead of failing the update.
/// </remarks>
public sealed partial class PhotoFileIds(IKeyValueStore store, Configuration.AbitlySettings settings, ILogger<PhotoFileIds> logger)
{
    public const string KeyPrefix = "abitly:photo:";

    /// <summary>An entry lives this long after its last use; lists change daily in a campaign, and old keys are never asked for.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(3);

    private readonly string _prefix = KeyPrefix + BotIdOf(settings.BotToken) + ":";

    /// <summary>The file id recorded for <paramref name="key"/>, or null.</summary>
    public async Task<string?> FindAsync(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        try
        {
            return await store.GetAndRefreshAsync(_prefix + key, Lifetime);
        }
        catch (StateStoreUnavailableException ex)
        {
            LogUnavailable("lookup", ex.Message);
            return null;
        }
    }

    /// <summary>Records the file id Telegram gave the picture <paramref name="key"/> on its upload.</summary>
    public async Task RecordAsync(string key, string fileId)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(fileId);
        try
        {
            await store.SetAsync(_prefix + key, fileId, Lifetime);
        }
        catch (StateStoreUnavailableException ex)
        {
            LogUnavailable("record", ex.Message);
        }
    }

    /// <summary>Forgets a file id Telegram refused, so the next send draws and uploads the picture again.</summary>
    public async Task ForgetAsync(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        try
        {
            await store.DeleteAsync(_prefix + key);
        }
        catch (StateStoreUnavailableException ex)
        {
            LogUnavailable("forget", ex.Message);
        }
    }

    /// <summary>The bot's numeric id, the part of the token before ':' (the sandbox's token-less bot gets "0").</summary>
    private static string BotIdOf(string? token)
    {
        var colon = token?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0 ? token![..colon] : "0";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Photo file-id cache {Operation} skipped: {Error}")]
    private partial void LogUnavailable(string operation, string error);
}
