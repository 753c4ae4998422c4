using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Abitly.BotApiEmulator;

/// <summary>An uploaded multipart file.</summary>
internal sealed record UploadedFile(string FileName, byte[] Content);

/// <summary>
/// Parameters of one call, whether they came as JSON, query string or form fields.
/// Form values are strings, so every getter accepts the string form as well, as Telegram does.
/// </summary>
internal sealed class RequestParams(JsonObject values, IReadOnlyDictionary<string, UploadedFile> files)
{
    public JsonObject Values { get; } = values;

    public IReadOnlyDictionary<string, UploadedFile> Files { get; } = files;

    public string? GetString(string name) => Values[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var node => node.ToJsonString(),
    };

    public long? GetLong(string name)
    {
        var node = Values[name];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var number))
        {
            return number;
        }

        if (node is JsonValue s && s.GetValueKind() == JsonValueKind.String
            && long.TryParse(s.GetValue<string>(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw ApiException.BadRequest($"invalid {name} specified");
    }

    public bool GetBool(string name) => Values[name] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.String =>
            string.Equals(v.GetValue<string>(), "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>An object or array parameter, parsed from its JSON text when it came as a form field.</summary>
    public JsonNode? GetNode(string name)
    {
        var node = Values[name];
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            try
            {
                return JsonNode.Parse(v.GetValue<string>());
            }
            catch (JsonException)
            {
                throw ApiException.BadRequest($"can't parse {name} JSON object");
            }
        }

        return node;
    }

    /// <summary>The numeric <c>chat_id</c>, or null when absent; <c>@username</c> ids are not emulated.</summary>
    public long? TryGetChatId()
    {
        try
        {
            return GetLong("chat_id");
        }
        catch (ApiException)
        {
            return null;
        }
    }

    public long RequireChatId() =>
        Values["chat_id"] is null
            ? throw ApiException.BadRequest("chat_id is empty")
            : TryGetChatId() ?? throw ApiException.BadRequest("chat not found");

    public int RequireMessageId() =>
        (int)(GetLong("message_id") ?? throw ApiException.BadRequest("message_id is empty"));
}
