using Abitly.Bot.Data;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace Abitly.Bot.Telegram;

/// <summary>One reply of an update, kept as data until the update's transaction has committed.</summary>
public abstract record Reply;

/// <summary>A new message to a chat.</summary>
public sealed record SendReply(long ChatId, RenderedMessage Message) : Reply;

/// <summary>
/// An edit of a message already sent, where "message is not modified" is not an error; the callback that asked for it is
/// answered with <see cref="ChangedNotice"/> or <see cref="UnchangedNotice"/> by what the edit did.
/// </summary>
public sealed record EditReply(long ChatId, int MessageId, RenderedMessage Message, string? CallbackId, string? ChangedNotice, string? UnchangedNotice) : Reply;

/// <summary>The answer to a button press (a toast, or an alert).</summary>
public sealed record CallbackAnswerReply(string CallbackId, string? Text, bool ShowAlert) : Reply;

/// <summary>
/// The replies of one update. Handlers add to it; the pipeline sends them after the update's transaction commits, or
/// drops them when it rolls back, so a user never sees a success for a change that did not happen.
/// </summary>
public sealed class ReplySink
{
    private readonly List<Reply> _replies = [];
    private readonly List<Func<CancellationToken, Task>> _afterCommit = [];

    public IReadOnlyList<Reply> Replies => _replies;

    public void Add(Reply reply) => _replies.Add(reply);

    /// <summary>Work to start once the transaction has committed (e.g. a background fan-out that reads what it wrote).</summary>
    public void AfterCommit(Func<CancellationToken, Task> action) => _afterCommit.Add(action);

    /// <summary>Forgets everything added so far (the update rolled back).</summary>
    public void Discard()
    {
        _replies.Clear();
        _afterCommit.Clear();
    }

    /// <summary>
    /// Sends the replies in order; a reply that fails is logged and the rest still go; <paramref name="sent"/> learns each
    /// reply's outcome by its index (the pipeline records it on the reply's outbox row). A button press always gets exactly
    /// one answer: when no reply answered <paramref name="callbackId"/>, an empty answer stops the client's spinner.
    /// </summary>
    public async Task FlushAsync(ITelegramBotClient bot, string? callbackId, ILogger logger, CancellationToken ct, Action<int, string?>? sent = null)
    {
        ArgumentNullException.ThrowIfNull(bot);
        ArgumentNullException.ThrowIfNull(logger);
        var answered = false;
        for (var i = 0; i < _replies.Count; i++)
        {
            var reply = _replies[i];
            try
            {
                answered |= await SendAsync(bot, reply, ct);
                sent?.Invoke(i, null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Committed already: the change stands even if Telegram refused its confirmation.
                logger.LogWarning("Reply {Reply} failed: {Error}", reply.GetType().Name, ex.Message);
                sent?.Invoke(i, ex.Message);
            }
        }

        if (!answered && callbackId is not null)
        {
            try
            {
                await bot.AnswerCallbackQuery(callbackId, cancellationToken: ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogDebug("Empty callback answer failed: {Error}", ex.Message);
            }
        }

        foreach (var action in _afterCommit)
        {
            await action(ct);
        }
    }

    /// <summary>Sends replies taken back from the outbox (their pipeline died between commit and send), in order, recording each outcome.</summary>
    public static async Task SendRecoveredAsync(ITelegramBotClient bot, IReadOnlyList<LeasedMessage> rows, OutboxAcknowledger acknowledger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(acknowledger);
        foreach (var row in rows)
        {
            string? error = null;
            try
            {
                await SendAsync(bot, OutboxPayload.FromJson(row.Payload).ToReply(), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error = ex.Message;
            }

            acknowledger.Record(row.Id, error is null ? OutboxStatus.Sent : OutboxStatus.Failed, error);
        }
    }

    /// <summary>Sends one reply; true when it answered a callback.</summary>
    public static async Task<bool> SendAsync(ITelegramBotClient bot, Reply reply, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bot);
        switch (reply)
        {
            case SendReply send:
                await bot.SendMessage(send.ChatId, send.Message.Html, ParseMode.Html, replyMarkup: send.Message.Keyboard,
                    linkPreviewOptions: new() { IsDisabled = true }, cancellationToken: ct);
                return false;
            case EditReply edit:
                var changed = await EditOrKeepAsync(bot, edit, ct);
                if (edit.CallbackId is null)
                {
                    return false;
                }

                await bot.AnswerCallbackQuery(edit.CallbackId, changed ? edit.ChangedNotice : edit.UnchangedNotice, cancellationToken: ct);
                return true;
            case CallbackAnswerReply answer:
                await bot.AnswerCallbackQuery(answer.CallbackId, answer.Text, answer.ShowAlert, cancellationToken: ct);
                return true;
            default:
                throw new InvalidOperationException($"Unknown reply {reply.GetType().Name}.");
        }
    }

    /// <summary>The one place that treats "message is not modified" as "already right"; true when the message changed.</summary>
    public static async Task<bool> EditOrKeepAsync(ITelegramBotClient bot, EditReply edit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bot);
        ArgumentNullException.ThrowIfNull(edit);
        try
        {
            await bot.EditMessageText(edit.ChatId, edit.MessageId, edit.Message.Html, ParseMode.Html, replyMarkup: edit.Message.Keyboard,
                linkPreviewOptions: new() { IsDisabled = true }, cancellationToken: ct);
            return true;
        }
        catch (ApiRequestException ex) when (ex.Message.Contains("message is not modified", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
    }
}
