using System.Threading.Channels;
using System.Threading.RateLimiting;
using Abitly.Bot.Configuration;
using Abitly.Bot.Hosting;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace Abitly.Bot.Messaging;

/// <summary>Limits of the <see cref="MessageSender"/>; from SEND_MAX_CONCURRENCY, SEND_RATE_PER_SECOND and SEND_MAX_RETRY.</summary>
public sealed record MessageSenderOptions
{
    /// <summary>Sends in flight at once.</summary>
    public int MaxConcurrency { get; init; } = 8;

    /// <summary>Global cap: sends started in any one-second window.</summary>
    public int RatePerSecond { get; init; } = 25;

    /// <summary>Retries after a 429 before a message is dropped (0: a 429 drops it at once).</summary>
    public int MaxRetry { get; init; } = 3;

    /// <summary>One send that takes longer is abandoned and counted as failed.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The limits the settings ask for.</summary>
    public static MessageSenderOptions From(AbitlySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new() { MaxConcurrency = settings.SendMaxConcurrency, RatePerSecond = settings.SendRatePerSecond, MaxRetry = settings.SendMaxRetry };
    }
}

/// <summary>
/// The one fan-out path of the process (daily reminders, /broadcast, /notifyOpenDaysUpdate): batches go through one
/// queue, one dispatch loop and one set of limits, so two fan-outs at once still respect Telegram's global limit.
/// </summary>
public sealed partial class MessageSender : IRuntimeComponent, IDisposable
{
    // Small on purpose: batch pumps block on it, and a bounded channel serves blocked writers in turn,
    // so a second batch is interleaved with the first instead of waiting behind all of it.
    private const int QueueCapacity = 16;

    private readonly ITelegramBotClient _bot;
    private readonly MessageSenderOptions _options;
    private readonly IRecipientBlocklist _blocklist;
    private readonly BotMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<MessageSender> _logger;
    private readonly Channel<Job> _queue = Channel.CreateBounded<Job>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true });
    private readonly ConcurrencyLimiter _inFlight;
    private readonly SendPacer _pacer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _gate = new();
    private readonly HashSet<SendBatch> _active = [];
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private bool _accepting = true;
    private Task? _dispatch;

    public MessageSender(
        [FromKeyedServices(BotHost.SenderClientKey)] ITelegramBotClient bot,
        MessageSenderOptions options,
        IRecipientBlocklist blocklist,
        BotMetrics metrics,
        TimeProvider time,
        ILogger<MessageSender> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bot = bot;
        _options = options;
        _blocklist = blocklist;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _pacer = new SendPacer(options.RatePerSecond);
        _inFlight = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrency,
            // The dispatch loop waits for one permit; shutdown waits for all of them.
            QueueLimit = options.MaxConcurrency + 1,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>A new, empty batch: <see cref="SendBatch.Add"/> messages, then <see cref="SendBatch.Start"/> it and await <see cref="SendBatch.Completion"/>.</summary>
    public SendBatch CreateBatch(string name) => new(this, name, _time);

    /// <summary>Sends <paramref name="messages"/> as one batch and waits for its result; <paramref name="ct"/> cancels what is not sent yet.</summary>
    public Task<SendBatchResult> SendAsync(string name, IEnumerable<OutgoingMessage> messages, CancellationToken ct = default)
    {
        var batch = CreateBatch(name);
        batch.AddRange(messages);
        batch.Start(ct);
        return batch.Completion;
    }

    /// <summary>Starts the dispatch loop (batches started earlier wait in the queue until then).</summary>
    public Task StartAsync(CancellationToken ct)
    {
        _dispatch ??= Task.Run(() => DispatchAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops taking sends, lets the ones in flight finish (until <paramref name="ct"/>), and reports what was left unsent.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_accepting)
            {
                return;
            }

            _accepting = false;
        }

        await _stopping.CancelAsync();
        if (_dispatch is not null)
        {
            await _dispatch;
        }

        // Holding every permit means nothing is in flight any more.
        try
        {
            using var all = await _inFlight.AcquireAsync(_options.MaxConcurrency, ct);
        }
        catch (OperationCanceledException)
        {
            LogAbandoning();
            await _abort.CancelAsync();
            using var all = await _inFlight.AcquireAsync(_options.MaxConcurrency, CancellationToken.None);
        }

        SendBatch[] open;
        lock (_gate)
        {
            open = [.. _active];
        }

        var unsent = open.Sum(b => b.CloseRemaining());
        try
        {
            // Lets the last blocked-user updates reach the database.
            await Task.WhenAll(open.Select(b => b.Completion)).WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
        }

        LogStopped(unsent > 0 ? LogLevel.Warning : LogLevel.Information, unsent, open.Length);
    }

    public void Dispose()
    {
        _inFlight.Dispose();
        _stopping.Dispose();
        _abort.Dispose();
    }

    internal void Enqueue(SendBatch batch, IReadOnlyList<Job> jobs, CancellationToken ct)
    {
        bool accepted;
        lock (_gate)
        {
            // Under the lock StopAsync takes too, so a batch is either refused here or seen by StopAsync.
            accepted = _accepting && _active.Add(batch);
        }

        if (accepted)
        {
            _ = PumpAsync(jobs, ct);
            return;
        }

        LogRefusedAfterStop(batch.Name, jobs.Count);
        batch.CloseRemaining();
    }

    internal async Task CompleteAsync(SendBatch batch, SendBatchResult result, IReadOnlyCollection<long> blocked)
    {
        if (blocked.Count > 0)
        {
            try
            {
                // Not tied to shutdown: recording refusals is worth a moment of it.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _blocklist.MarkBlockedAsync(blocked, timeout.Token);
            }
            catch (Exception ex)
            {
                LogBlockMarkFailed(ex, blocked.Count, batch.Name);
            }
        }

        lock (_gate)
        {
            _active.Remove(batch);
        }

        LogBatch(result.Name, result.Sent, result.Blocked, result.DroppedAfterRetries, result.Failed, result.Unsent, result.Total, result.Elapsed.TotalSeconds);
        _metrics.SendBatchCompleted(result.Name, result.Elapsed);
    }

    internal void CallbackFailed(Exception ex, Job job) => LogCallbackFailed(ex, job.Message.ChatId, job.Batch.Name);

    private void Finished(Job job, SendOutcome outcome, string? error = null) =>
        job.Batch.Finish(job, outcome, () => Record(job, outcome, error));

    // Metrics and the log line of a final outcome; runs before the batch can complete (see SendBatch.Finish).
    private void Record(Job job, SendOutcome outcome, string? error)
    {
        _metrics.Sent(outcome switch
        {
            SendOutcome.Sent => "sent",
            SendOutcome.Blocked => "blocked",
            SendOutcome.DroppedAfterRetries => "dropped",
            SendOutcome.Failed => "failed",
            _ => "unsent",
        });
        switch (outcome)
        {
            case SendOutcome.Blocked:
                LogBlocked(job.Message.ChatId, job.Message.Tag, error);
                break;
            case SendOutcome.DroppedAfterRetries:
                LogDropped(job.Message.ChatId, job.Message.Tag, job.Attempts);
                break;
            case SendOutcome.Failed:
                LogFailed(job.Message.ChatId, job.Message.Tag, error);
                break;
            default:
                break;
        }
    }

    // Feeds one batch into the shared queue. Cancelled: the rest is unsent at once. Shutdown: StopAsync counts it.
    private async Task PumpAsync(IReadOnlyList<Job> jobs, CancellationToken batchCt)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(batchCt, _stopping.Token);
        for (var i = 0; i < jobs.Count; i++)
        {
            try
            {
                await _queue.Writer.WriteAsync(jobs[i], both.Token);
            }
            catch (OperationCanceledException)
            {
                if (batchCt.IsCancellationRequested)
                {
                    for (var j = i; j < jobs.Count; j++)
                    {
                        Finished(jobs[j], SendOutcome.Unsent);
                    }
                }

                return;
            }
        }
    }

    private async Task DispatchAsync(CancellationToken stop)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stop))
            {
                while (_queue.Reader.TryRead(out var job))
                {
                    if (job.Batch.Cancellation.IsCancellationRequested)
                    {
                        Finished(job, SendOutcome.Unsent);
                        continue;
                    }

                    // This chat had a message less than a second ago: park this one rather than hold up the queue.
                    if (_pacer.ChatBusy(job.Message.ChatId, _time.GetUtcNow()) is { } previous)
                    {
                        _ = RequeueAsync(job, previous);
                        continue;
                    }

                    var lease = await _inFlight.AcquireAsync(1, stop);
                    try
                    {
                        await WaitForTurnAsync(stop);
                    }
                    catch
                    {
                        lease.Dispose();
                        throw;
                    }

                    var startedAt = _time.GetUtcNow();
                    _pacer.Record(job.Message.ChatId, startedAt, SendOneAsync(job, lease));
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Shutdown: whatever is still queued is counted unsent by StopAsync.
        }
    }

    // Waits out a 429 pause and the global cap; re-checked in a loop because a 429 may arrive while waiting for a slot.
    private async Task WaitForTurnAsync(CancellationToken stop)
    {
        while (true)
        {
            var next = await _pacer.NextSlotAsync(stop);
            DateTimeOffset pausedUntil;
            lock (_gate)
            {
                pausedUntil = _pausedUntil;
            }

            var until = pausedUntil > next ? pausedUntil : next;
            var now = _time.GetUtcNow();
            if (until <= now)
            {
                return;
            }

            await Task.Delay(until - now, _time, stop);
        }
    }

    // Never throws: every outcome is recorded here. Returns when the answer came back, for the pacer.
    private async Task<DateTimeOffset> SendOneAsync(Job job, RateLimitLease lease)
    {
        SendOutcome? outcome = null;
        string? error = null;
        TimeSpan? retryAfter = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
            timeout.CancelAfter(_options.SendTimeout);
            await _bot.SendMessage(job.Message.ChatId, job.Message.Html, ParseMode.Html, replyMarkup: job.Message.Keyboard, cancellationToken: timeout.Token);
            outcome = SendOutcome.Sent;
        }
        catch (ApiRequestException ex) when (ex.ErrorCode == 429)
        {
            retryAfter = TimeSpan.FromSeconds(Math.Max(1, ex.Parameters?.RetryAfter ?? 1));
        }
        catch (ApiRequestException ex) when (IsRefusal(ex))
        {
            (outcome, error) = (SendOutcome.Blocked, ex.Message);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // Abandoned at shutdown: left for StopAsync to count as unsent.
        }
        catch (Exception ex)
        {
            (outcome, error) = (SendOutcome.Failed, ex.Message);
        }
        finally
        {
            lease.Dispose();
        }

        var answeredAt = _time.GetUtcNow();
        if (retryAfter is { } pause)
        {
            job.Attempts++;
            Pause(pause, job);
            if (job.Attempts <= _options.MaxRetry)
            {
                _ = RequeueAsync(job, previous: null);
            }
            else
            {
                outcome = SendOutcome.DroppedAfterRetries;
            }
        }

        if (outcome is { } final)
        {
            Finished(job, final, error);
        }

        return answeredAt;
    }

    // Back into the shared queue one window after the answer to `previous` (the chat's last send), or at once after a
    // 429: the pause gate holds every send then anyway.
    private async Task RequeueAsync(Job job, Task<DateTimeOffset>? previous)
    {
        try
        {
            if (previous is not null)
            {
                // A loop, because a timer may wake a hair before the wall clock gets there; parked again, it would lose a second.
                var due = await previous.WaitAsync(_stopping.Token) + SendPacer.Window;
                for (var wait = due - _time.GetUtcNow(); wait > TimeSpan.Zero; wait = due - _time.GetUtcNow())
                {
                    await Task.Delay(wait, _time, _stopping.Token);
                }
            }

            await _queue.Writer.WriteAsync(job, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Shutdown: counted unsent by StopAsync.
        }
    }

    private void Pause(TimeSpan retryAfter, Job job)
    {
        var until = _time.GetUtcNow() + retryAfter;
        lock (_gate)
        {
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }

        _metrics.SendPaused(retryAfter);
        LogPaused(job.Message.ChatId, job.Attempts, retryAfter.TotalSeconds);
    }

    // 403 covers "bot was blocked by the user", "user is deactivated" and "bot can't initiate conversation".
    private static bool IsRefusal(ApiRequestException ex) =>
        ex.ErrorCode == 403
        || (ex.ErrorCode == 400 && ex.Message.Contains("chat not found", StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram said 429 for chat {ChatId} (attempt {Attempt}): pausing all sends for {Seconds} s")]
    private partial void LogPaused(long chatId, int attempt, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat {ChatId} ({Tag}) refuses messages ({Error}); marking it blocked")]
    private partial void LogBlocked(long chatId, string? tag, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped the message to chat {ChatId} ({Tag}) after {Attempts} answers of 429")]
    private partial void LogDropped(long chatId, string? tag, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send to chat {ChatId} ({Tag}): {Error}; dropped, the batch goes on")]
    private partial void LogFailed(long chatId, string? tag, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not mark {Count} chats of batch {Batch} blocked")]
    private partial void LogBlockMarkFailed(Exception ex, int count, string batch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {Batch}: {Sent} sent, {Blocked} blocked, {Dropped} dropped after retries, {Failed} failed, {Unsent} unsent of {Total} in {Seconds:0.0} s")]
    private partial void LogBatch(string batch, int sent, int blocked, int dropped, int failed, int unsent, int total, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {Batch} arrived after shutdown began: its {Count} messages stay unsent")]
    private partial void LogRefusedAfterStop(string batch, int count);

    [LoggerMessage(Message = "Sender stopped: {Unsent} messages of {Batches} unfinished batches left unsent")]
    private partial void LogStopped(LogLevel level, int unsent, int batches);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sends still in flight after the grace period; abandoning them")]
    private partial void LogAbandoning();

    [LoggerMessage(Level = LogLevel.Error, Message = "The outcome callback of a message to chat {ChatId} (batch {Batch}) threw")]
    private partial void LogCallbackFailed(Exception ex, long chatId, string batch);
}
