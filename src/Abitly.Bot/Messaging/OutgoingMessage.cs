using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Messaging;

/// <summary>One message of a fan-out: HTML text for a chat, optionally with an inline keyboard.</summary>
/// <param name="ChatId">Recipient chat (for users, their Telegram id).</param>
/// <param name="Html">Text in Telegram HTML; every inserted value must already be escaped.</param>
/// <param name="Keyboard">Optional inline keyboard.</param>
/// <param name="Tag">Free text for the logs (e.g. "open-day 42"); never the message text, which may be personal.</param>
/// <param name="OnOutcome">
/// Called exactly once with the final outcome (including <see cref="SendOutcome.Unsent"/> at shutdown), so a caller can
/// record what was delivered. Runs on the sender's threads: keep it cheap (collect ids, write them after the batch).
/// </param>
public sealed record OutgoingMessage(
    long ChatId,
    string Html,
    InlineKeyboardMarkup? Keyboard = null,
    string? Tag = null,
    Action<OutgoingMessage, SendOutcome>? OnOutcome = null);

/// <summary>What finally happened to one message.</summary>
public enum SendOutcome
{
    /// <summary>Telegram accepted it.</summary>
    Sent,

    /// <summary>403 (blocked, deactivated, can't initiate) or 400 "chat not found": the user is marked blocked.</summary>
    Blocked,

    /// <summary>Still 429 after every allowed retry.</summary>
    DroppedAfterRetries,

    /// <summary>Any other error or a timeout; not retried.</summary>
    Failed,

    /// <summary>Never sent: the batch was cancelled or the process shut down first.</summary>
    Unsent,
}

/// <summary>The tally of one fan-out, returned to the caller, logged and counted in metrics.</summary>
public sealed record SendBatchResult(
    string Name,
    int Total,
    int Sent,
    int Blocked,
    int DroppedAfterRetries,
    int Failed,
    int Unsent,
    TimeSpan Elapsed);
