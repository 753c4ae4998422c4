namespace Abitly.BotApiEmulator;

/// <summary>One inline keyboard button as the emulator stored it.</summary>
/// <param name="Text">Label shown on the button.</param>
/// <param name="CallbackData">Callback data, when it is a callback button.</param>
/// <param name="Url">URL, when it is a link button.</param>
public sealed record InlineButton(string Text, string? CallbackData = null, string? Url = null);

/// <summary>Current state of one message in an emulated chat (immutable snapshot; edits produce a new snapshot).</summary>
public sealed record EmulatedMessage
{
    /// <summary>Chat the message belongs to.</summary>
    public required long ChatId { get; init; }

    /// <summary>Message id, increasing per chat.</summary>
    public required int MessageId { get; init; }

    /// <summary>True when the bot sent it, false when a user did.</summary>
    public required bool FromBot { get; init; }

    /// <summary>Telegram user id of the sender (the bot id for bot messages).</summary>
    public required long FromUserId { get; init; }

    /// <summary>When the message was sent.</summary>
    public required DateTimeOffset Date { get; init; }

    /// <summary>Text as sent (with markup for parse modes), or the caption of a photo.</summary>
    public string? Text { get; init; }

    /// <summary>The text as Telegram shows it: HTML tags stripped and entities decoded.</summary>
    public string? PlainText { get; init; }

    /// <summary>Parse mode given with the text, e.g. <c>HTML</c>.</summary>
    public string? ParseMode { get; init; }

    /// <summary>Inline keyboard rows, or null when the message has none.</summary>
    public IReadOnlyList<IReadOnlyList<InlineButton>>? ReplyMarkup { get; init; }

    /// <summary>Photo given by URL or file id, when the message is a photo sent that way.</summary>
    public string? PhotoRef { get; init; }

    /// <summary>Photo bytes: uploaded with this message, or those of the stored photo a file id named.</summary>
    public byte[]? PhotoBytes { get; init; }

    /// <summary>The URL a photo was first sent from, also on later re-sends of it by file id.</summary>
    public string? PhotoSourceUrl { get; init; }

    /// <summary><c>file_id</c> of the photo's largest size; every message that sent the same stored photo has the same one.</summary>
    public string? FileId { get; init; }

    /// <summary><c>file_unique_id</c> of the photo's largest size.</summary>
    public string? FileUniqueId { get; init; }

    /// <summary>True when the bot turned the link preview off (<c>link_preview_options.is_disabled</c>).</summary>
    public bool LinkPreviewDisabled { get; init; }

    /// <summary>Message this one replies to, if any.</summary>
    public int? ReplyToMessageId { get; init; }

    /// <summary>How many times the bot edited the message.</summary>
    public int EditCount { get; init; }

    /// <summary>True once the bot deleted the message.</summary>
    public bool Deleted { get; init; }

    /// <summary>True when the message carries a photo.</summary>
    public bool HasPhoto => PhotoRef is not null || PhotoBytes is not null;

    /// <summary>All callback data of the inline keyboard, in order.</summary>
    public IEnumerable<string> CallbackData =>
        ReplyMarkup?.SelectMany(r => r).Select(b => b.CallbackData).OfType<string>() ?? [];
}

/// <summary>One Bot API call the emulator served.</summary>
/// <param name="Method">Method name, e.g. <c>sendMessage</c>.</param>
/// <param name="ChatId">The <c>chat_id</c> parameter, when present and numeric.</param>
/// <param name="StartedAt">When the request arrived.</param>
/// <param name="FinishedAt">When the response was ready.</param>
/// <param name="RequestJson">Request parameters as JSON (form fields as strings; uploads summarised).</param>
/// <param name="StatusCode">HTTP status code of the response.</param>
/// <param name="ErrorDescription">The error description, when the call failed.</param>
public sealed record RecordedCall(
    string Method,
    long? ChatId,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string RequestJson,
    int StatusCode,
    string? ErrorDescription)
{
    /// <summary>True when the call succeeded.</summary>
    public bool Ok => StatusCode == 200;

    /// <summary>True when the request carried at least one multipart file (e.g. a photo upload rather than a file id).</summary>
    public bool HasUpload { get; init; }

    /// <summary>Total size of the uploaded files, in bytes.</summary>
    public long UploadBytes { get; init; }

    /// <summary>Delay the emulator added before answering: <see cref="BotApiEmulatorOptions.LatencyMs"/> plus delay faults, in milliseconds.</summary>
    public int InjectedDelayMs { get; init; }
}

/// <summary>One attempt to push an update to the webhook.</summary>
/// <param name="UpdateId">The update's <c>update_id</c>; a retry carries the same one.</param>
/// <param name="ChatId">The chat the update belongs to, when it has one.</param>
/// <param name="Target">URL the update was posted to (the webhook URL or one of <see cref="BotApiEmulator.WebhookTargets"/>).</param>
/// <param name="Attempt">1 for the first attempt at this update, 2 for the first retry, and so on.</param>
/// <param name="StartedAt">When the attempt started.</param>
/// <param name="FinishedAt">When its outcome was known.</param>
/// <param name="StatusCode">HTTP status of the answer, or null when there was none (connection error, timeout).</param>
/// <param name="Error">Null when delivered; otherwise the text <c>getWebhookInfo</c> reports as <c>last_error_message</c>.</param>
public sealed record WebhookDelivery(
    long UpdateId,
    long? ChatId,
    string Target,
    int Attempt,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    int? StatusCode,
    string? Error)
{
    /// <summary>True when the webhook answered 2xx, so the update is done.</summary>
    public bool Delivered => Error is null;

    /// <summary>How long the attempt took.</summary>
    public TimeSpan Duration => FinishedAt - StartedAt;
}

/// <summary>An <c>answerCallbackQuery</c> call as the bot made it.</summary>
/// <param name="CallbackQueryId">Id of the answered query.</param>
/// <param name="Text">Notification text, if any.</param>
/// <param name="ShowAlert">Whether an alert was requested instead of a toast.</param>
/// <param name="Url">URL to open, if any.</param>
/// <param name="AnsweredAt">When the answer arrived.</param>
public sealed record CallbackAnswer(string CallbackQueryId, string? Text, bool ShowAlert, string? Url, DateTimeOffset AnsweredAt);

/// <summary>One bot command stored by <c>setMyCommands</c>.</summary>
/// <param name="Command">Command without the slash.</param>
/// <param name="Description">Description shown in the menu.</param>
public sealed record BotCommandInfo(string Command, string Description);
