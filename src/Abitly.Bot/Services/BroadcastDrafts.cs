using System.Security.Cryptography;
using System.Text.Json;
using Abitly.Bot.Rendering;

namespace Abitly.Bot.Services;

/// <summary>A /broadcast text waiting for the admin's confirmation; <see cref="Id"/> is what the buttons carry.</summary>
public sealed record BroadcastDraft(string Id, long AdminId, string Text, DateTimeOffset CreatedAt);

/// <summary>
/// Drafts in the key-value store (Redis; memory in the sandbox) (<c>abitly:broadcast:&lt;id&gt;</c>, 1 h). Confirming takes the draft with GETDEL, so of two presses
/// (or two instances) exactly one gets it and starts the broadcast.
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

    /// <summary>Takes the draft for sending; null when another press took it, it was cancelled, or it expired.</summary>
    public async Task<BroadcastDraft?> ClaimAsync(string id)
    {
        var value = await store.TakeAsync(KeyPrefix + id);
        return string.IsNullOrEmpty(value) ? null : JsonSerializer.Deserialize<BroadcastDraft>(value);
    }

    public Task<bool> DiscardAsync(string id) => store.DeleteAsync(KeyPrefix + id);
}

/// <summary>Cuts an admin's plain text into Telegram-sized messages, escaped for the sender's HTML mode.</summary>
public static class BroadcastText
{
    public const int MaxMessageLength = 4096;

    /// <summary>
    /// Escaping makes the admin's text render literally, so tags in it are shown, never parsed (no parse errors).
    /// Parts break at a line end, else at a space, else anywhere (never inside a surrogate pair); each escaped part fits
    /// in <paramref name="maxLength"/>, which also keeps the shown text within Telegram's limit.
    /// </summary>
    public static IReadOnlyList<string> SplitToHtml(string text, int maxLength = MaxMessageLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 16);
        var parts = new List<string>();
        var rest = text.Trim();
        while (rest.Length > 0)
        {
            var fit = 0;
            var escaped = 0;
            while (fit < rest.Length)
            {
                var width = rest[fit] switch { '&' => 5, '<' or '>' => 4, _ => 1 };
                if (escaped + width > maxLength)
                {
                    break;
                }

                escaped += width;
                fit++;
            }

            var cut = fit;
            if (fit < rest.Length)
            {
                var line = rest.LastIndexOf('\n', fit - 1, fit);
                var space = rest.LastIndexOf(' ', fit - 1, fit);
                // A break point in the last half only; otherwise a long unbroken run is cut hard.
                cut = line > fit / 2 ? line : space > fit / 2 ? space : fit;
                if (char.IsHighSurrogate(rest[cut - 1]))
                {
                    cut--;
                }
            }

            var part = rest[..cut].TrimEnd();
            if (part.Length > 0)
            {
                parts.Add(Texts.Html(part));
            }

            rest = rest[cut..].TrimStart();
        }

        return parts;
    }
}
