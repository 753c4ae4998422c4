using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Abitly.Bot.State;

/// <summary>
/// The one-time link token contract with the web backend: Redis key <c>abitly:link:&lt;token&gt;</c>
/// holding <c>{"web_user_id": &lt;int&gt;, "created_at": "&lt;ISO-8601&gt;"}</c> with a TTL of about 600 s.
/// </summary>
public static class LinkToken
{
    public const string KeyPrefix = "abitly:link:";
    public const string StartPayloadPrefix = "link_";
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromSeconds(600);

    /// <summary>A /start payload is at most 64 characters of A–Z a–z 0–9 _ -, so the token takes what "link_" leaves.</summary>
    public const int MaxLength = 64 - 5;

    public static bool IsWellFormed(string? token) =>
        !string.IsNullOrEmpty(token) && token.Length <= MaxLength && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    public static string Key(string token) => KeyPrefix + token;

    /// <summary>128 bits from a cryptographic generator, URL-safe base64 (22 characters).</summary>
    public static string NewToken()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static string Payload(long webUserId, DateTimeOffset createdAt) =>
        new JsonObject
        {
            ["web_user_id"] = webUserId,
            ["created_at"] = createdAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        }.ToJsonString();

    /// <summary>The web user id of a stored value; null for anything but a positive integer in a JSON object.</summary>
    public static long? ParseWebUserId(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("web_user_id", out var id)
                && id.ValueKind == JsonValueKind.Number
                && id.TryGetInt64(out var value)
                && value > 0)
            {
                return value;
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary>What logs may show of a token: a hash prefix, never the token.</summary>
    public static string LogId(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..8];
}

/// <summary>
/// Link tokens under <c>abitly:link:&lt;token&gt;</c> in the key-value store (Redis in production, memory in the sandbox),
/// taken with GETDEL — never GET then DEL, which two redeemers could both pass.
/// </summary>
public sealed class LinkTokenStore(IKeyValueStore store)
{
    /// <summary>Takes the token's value and deletes it in one step (strictly single-use); null when absent.</summary>
    public Task<string?> TakeAsync(string token) => store.TakeAsync(LinkToken.Key(token));

    public Task MintAsync(string token, string payload, TimeSpan ttl) => store.SetAsync(LinkToken.Key(token), payload, ttl);
}
