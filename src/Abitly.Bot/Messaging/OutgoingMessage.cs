using Abitly.Bot.Telegram;

namespace Abitly.Bot.Messaging;

/// <summary>One fan-out message: a Bot API call (<see cref="Call"/>, usually a new message) to one chat.</summary>
/// <param name="ChatId">Recipient chat (for users, their Telegram id): the unit of the per-chat pace.</param>
/// <param name="Call">What to send.</param>
/// <param name="Tag">Free text for the logs (e.g. "broadcast 12"); never the message text, which may be personal.</param>
public sealed record OutgoingMessage(long ChatId, Reply Call, string? Tag = null);

/// <summary>What became of one send.</summary>
public enum SendOutcome
{
    /// <summary>Telegram accepted it.</summary>
    Sent,

    /// <summary>403 (blocked, deactivated, can't initiate) or 400 "chat not found": never retried, the user is marked blocked.</summary>
    Blocked,

    /// <summary>429, a 5xx or a refused connection: try again after <see cref="SendResult.RetryAfter"/>.</summary>
    RetryLater,

    /// <summary>Any other error, or no answer within the send time-out (it may have arrived): not retried.</summary>
    Failed,

    /// <summary>Never sent: the process shut down (or the caller gave up) first.</summary>
    Unsent,
}

/// <summary>The outcome of one send, with the error text and, for <see cref="SendOutcome.RetryLater"/>, how long to wait.</summary>
public readonly record struct SendResult(SendOutcome Outcome, string? Error = null, TimeSpan RetryAfter = default);
