using Abitly.Bot.Data;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.State;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
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
/// A photo to a chat with an HTML caption (≤ <see cref="RenderedMessage.MaxCaptionLength"/> characters): either a PNG to upload or the <c>file_id</c> of one uploaded
/// before (exactly one of <see cref="FileId"/> and <see cref="Png"/>). <see cref="CacheKey"/> names what the picture shows;
/// when the PNG is uploaded, the file id Telegram gives it is recorded under that key for the next send of the same picture.
/// </summary>
public sealed record PhotoReply(long ChatId, string? FileId, ReadOnlyMemory<byte>? Png, RenderedMessage Caption, string? CacheKey) : Reply
{
    /// <summary>A picture to upload.</summary>
    public static PhotoReply Upload(long chatId, ReadOnlyMemory<byte> png, RenderedMessage caption, string? cacheKey) =>
        new(chatId, null, png, caption, cacheKey);

    /// <summary>A picture Telegram already holds, sent again by its file id.</summary>
    public static PhotoReply Resend(long chatId, string fileId, RenderedMessage caption, string? cacheKey) =>
        new(chatId, fileId, null, caption, cacheKey);
}

/// <summary>
/// The replies of one update. Handlers add to it; the pipeline sends them after the update's transaction commits, or
/// drops them when it rolls back, so a user never sees a success for a change that did not happen.
/// </summary>
public sealed class ReplySink(PhotoFileIds? photoFileIds = null)
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
                answered |= await SendAsync(bot, reply, photoFileIds, ct);
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

    /// <summary>
    /// Sends replies taken back from the outbox (their pipeline died between commit and send), in order, recording each
    /// outcome; a recovered photo upload records its file id in <paramref name="photoFileIds"/> as the pipeline's send would.
    /// </summary>
    public static async Task SendRecoveredAsync(
        ITelegramBotClient bot, IReadOnlyList<LeasedMessage> rows, OutboxAcknowledger acknowledger, PhotoFileIds? photoFileIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(acknowledger);
        foreach (var row in rows)
        {
            string? error = null;
            try
            {
                await SendAsync(bot, OutboxPayload.FromJson(row.Payload).ToReply(), photoFileIds, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error = ex.Message;
            }

            acknowledger.Record(row.Id, error is null ? OutboxStatus.Sent : OutboxStatus.Failed, error);
        }
    }

    /// <summary>Sends one reply; true when it answered a callback.</summary>
    public static Task<bool> SendAsync(ITelegramBotClient bot, Reply reply, CancellationToken ct) => SendAsync(bot, reply, null, ct);

    /// <summary>
    /// Sends one reply; true when it answered a callback. With <paramref name="photoFileIds"/>, a photo uploaded under a cache
    /// key has the file id Telegram gave it recorded, and a cached file id Telegram refuses is forgotten.
    /// </summary>
    public static async Task<bool> SendAsync(ITelegramBotClient bot, Reply reply, PhotoFileIds? photoFileIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(bot);
        switch (reply)
        {
            case PhotoReply photo:
                await SendPhotoAsync(bot, photo, photoFileIds, ct);
                return false;
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

    private static async Task SendPhotoAsync(ITelegramBotClient bot, PhotoReply photo, PhotoFileIds? photoFileIds, CancellationToken ct)
    {
        InputFile file = (photo.FileId, photo.Png) switch
        {
            ({ } fileId, null) => InputFile.FromFileId(fileId),
            (null, { } png) => InputFile.FromStream(new MemoryStream(png.ToArray(), writable: false), "chart.png"),
            _ => throw new InvalidOperationException("A photo reply holds either a file id or a PNG."),
        };

        Message sent;
        try
        {
            sent = await bot.SendPhoto(photo.ChatId, file, photo.Caption.Html, ParseMode.Html, replyMarkup: photo.Caption.Keyboard, cancellationToken: ct);
        }
        catch (ApiRequestException ex) when (photo is { FileId: not null, CacheKey: { } key } && photoFileIds is not null && IsUnknownFile(ex))
        {
            // A file id from another bot or a lost store: the next press draws and uploads the picture again.
            await photoFileIds.ForgetAsync(key);
            throw;
        }

        // Telegram lists a photo's sizes smallest first; the last one is the picture as uploaded.
        if (photo is { Png: not null, CacheKey: { } cacheKey } && photoFileIds is not null && sent.Photo is [.., var full])
        {
            await photoFileIds.RecordAsync(cacheKey, full.FileId);
        }
    }

    private static bool IsUnknownFile(ApiRequestException ex) =>
        ex.ErrorCode == 400 && (ex.Message.Contains("file identifier", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("file_id", StringComparison.OrdinalIgnoreCase));

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
