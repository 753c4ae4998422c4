using System.Text.Json;
using System.Text.Json.Serialization;
using Abitly.Bot.Data;
using Abitly.Bot.Rendering;
using Abitly.Bot.Telegram;
using Telegram.Bot;
using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Messaging;

/// <summary>
/// A Bot API call as an outbox row stores it: replies of every kind (send, edit-or-keep, callback answer, photo) and
/// fan-out messages. Keyboards keep Telegram's own JSON, so what is stored is what would have been sent.
/// </summary>
public sealed record OutboxPayload
{
    [JsonPropertyName("m")]
    public required string Method { get; init; }

    [JsonPropertyName("c")]
    public long ChatId { get; init; }

    [JsonPropertyName("id")]
    public int? MessageId { get; init; }

    [JsonPropertyName("t")]
    public string? Html { get; init; }

    [JsonPropertyName("k")]
    public JsonElement? Keyboard { get; init; }

    [JsonPropertyName("q")]
    public string? CallbackId { get; init; }

    [JsonPropertyName("n1")]
    public string? ChangedNotice { get; init; }

    [JsonPropertyName("n0")]
    public string? UnchangedNotice { get; init; }

    [JsonPropertyName("a")]
    public bool ShowAlert { get; init; }

    /// <summary>A photo's <c>file_id</c>, when it is sent again rather than uploaded.</summary>
    [JsonPropertyName("f")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FileId { get; init; }

    /// <summary>A photo to upload, PNG bytes in base64 (a chart is under 80 KB).</summary>
    [JsonPropertyName("png")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PngBase64 { get; init; }

    /// <summary>What a photo shows, so the file id of its upload can be recorded for the next send.</summary>
    [JsonPropertyName("ck")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CacheKey { get; init; }

    public const string SendMessage = "sendMessage";
    public const string EditMessage = "editMessageText";
    public const string AnswerCallback = "answerCallbackQuery";
    public const string SendPhoto = "sendPhoto";

    public static OutboxPayload From(Reply reply) => reply switch
    {
        SendReply send => Message(send.ChatId, send.Message),
        EditReply edit => new OutboxPayload
        {
            Method = EditMessage,
            ChatId = edit.ChatId,
            MessageId = edit.MessageId,
            Html = edit.Message.Html,
            Keyboard = Serialize(edit.Message.Keyboard),
            CallbackId = edit.CallbackId,
            ChangedNotice = edit.ChangedNotice,
            UnchangedNotice = edit.UnchangedNotice,
        },
        CallbackAnswerReply answer => new OutboxPayload { Method = AnswerCallback, CallbackId = answer.CallbackId, Html = answer.Text, ShowAlert = answer.ShowAlert },
        PhotoReply photo => new OutboxPayload
        {
            Method = SendPhoto,
            ChatId = photo.ChatId,
            Html = photo.Caption.Html,
            Keyboard = Serialize(photo.Caption.Keyboard),
            FileId = photo.FileId,
            PngBase64 = photo.Png is { } png ? Convert.ToBase64String(png.Span) : null,
            CacheKey = photo.CacheKey,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(reply), reply.GetType().Name, "Unknown reply."),
    };

    /// <summary>A new message (every fan-out message is one).</summary>
    public static OutboxPayload Message(long chatId, RenderedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new OutboxPayload { Method = SendMessage, ChatId = chatId, Html = message.Html, Keyboard = Serialize(message.Keyboard) };
    }

    /// <summary>
    /// <see cref="Message"/>'s stored form for any chat, serialized once: a fan-out writes one message to thousands of
    /// chats, and their rows differ only in the chat id.
    /// </summary>
    public static OutboxPayloadTemplate MessageTemplate(RenderedMessage message)
    {
        var json = Message(0, message).ToJson();
        // The chat id is the second property, right after the method; anything else would be a changed record.
        const string before = "{\"m\":\"" + SendMessage + "\",\"c\":";
        return json.StartsWith(before + "0,", StringComparison.Ordinal)
            ? new OutboxPayloadTemplate(before, json[(before.Length + 1)..])
            : throw new InvalidOperationException("A sendMessage payload no longer starts with its method and chat id: " + json);
    }

    /// <summary>
    /// The call as a reply; <paramref name="chatId"/> (the row's chat) wins over the payload's, so one payload can be
    /// written for thousands of recipients of a broadcast.
    /// </summary>
    public Reply ToReply(long? chatId = null) => Method switch
    {
        SendMessage => new SendReply(chatId ?? ChatId, new RenderedMessage(Html ?? "", KeyboardMarkup)),
        EditMessage => new EditReply(chatId ?? ChatId, MessageId ?? 0, new RenderedMessage(Html ?? "", KeyboardMarkup), CallbackId, ChangedNotice, UnchangedNotice),
        AnswerCallback => new CallbackAnswerReply(CallbackId ?? "", Html, ShowAlert),
        SendPhoto => new PhotoReply(chatId ?? ChatId, FileId, PngBase64 is { } png ? new ReadOnlyMemory<byte>(Convert.FromBase64String(png)) : (ReadOnlyMemory<byte>?)null,
            new RenderedMessage(Html ?? "", KeyboardMarkup), CacheKey),
        _ => throw new InvalidOperationException($"Unknown outbox method '{Method}'."),
    };

    [JsonIgnore]
    public InlineKeyboardMarkup? KeyboardMarkup =>
        Keyboard is { } k ? k.Deserialize<InlineKeyboardMarkup>(JsonBotAPI.Options) : null;

    public string ToJson() => JsonSerializer.Serialize(this, OutboxPayloadJson.StoredForm.OutboxPayload);

    public static OutboxPayload FromJson(string json) =>
        JsonSerializer.Deserialize(json, OutboxPayloadJson.Default.OutboxPayload) ?? throw new InvalidOperationException("An empty outbox payload.");

    private static JsonElement? Serialize(InlineKeyboardMarkup? keyboard) =>
        keyboard is null ? null : JsonSerializer.SerializeToElement(keyboard, JsonBotAPI.Options);
}

/// <summary>
/// Source-generated JSON metadata of <see cref="OutboxPayload"/>: every reply and fan-out row is written and read with it,
/// so neither the first reply of a process nor the first outbox row pays for reflection over the record.
/// </summary>
[JsonSerializable(typeof(OutboxPayload))]
internal sealed partial class OutboxPayloadJson : JsonSerializerContext
{
    /// <summary>
    /// How a payload is stored: it is read back, never put into a web page, so Cyrillic is kept as it is, not as \uXXXX
    /// (a third the size).
    /// </summary>
    public static OutboxPayloadJson StoredForm { get; } = new(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
