using System.Threading.Channels;
using System.Threading.RateLimiting;
using Abitly.Bot.Configuration;
using Abitly.Bot.Hosting;
using Abitly.Bot.Telegram;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace Abitly.Bot.Messaging;

/// <summary>Limits of the <see cref="MessageSender"/>; from SEND_MAX_CONCURRENCY, SEND_RATE_PER_SECOND and SEND_MAX_RETRY.</summary>
public sealed record MessageSenderOptions
{
    /// <summary>Sends in flight at once (per instance).</summary>
    public int MaxConcurrency { get; init; } = 8;

    /// <summary>Global cap: sends started per second, by all instances together.</summary>
    public int RatePerSecond { get; init; } = 25;

    /// <summary>Retries after a 429 (or a 5xx) before a message is dropped (0: the first such answer drops it).</summary>
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
/// The one paced path to Telegram for every fan-out message (the outbox workers feed it): one dispatch loop takes a
/// send slot from <see cref="ISendSlots"/> (the global cap and the per-chat second, shared by all instances), waits for
/// it and starts the send without waiting for the answer, up to <see cref="MessageSenderOptions.MaxConcurrency"/> in
/// flight. A 429 pauses every instance for its retry_after. Outcomes go back to the caller, which records them.
/// </summary>
public sealed partial class MessageSender : IRuntimeComponent, IDisposable
{
    // A chat busy on another instance is looked at again this often (its answer is not seen here).
    private static readonly TimeSpan MaxPark = TimeSpan.FromSeconds(1);

    private readonly ITelegramBotClient _bot;
    private readonly MessageSenderOptions _options;
    private readonly ISendSlots _slots;
    private readonly BotMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<MessageSender> _logger;
    private readonly Channel<Job> _queue = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrencyLimiter _inFlight;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _gate = new();
    // Chats with a message in flight (or one woken and about to be), and the messages waiting behind it in order.
    private readonly HashSet<long> _busyChats = [];
    private readonly Dictionary<long, LinkedList<Job>> _waitingChats = [];
    private int _parked;
    private Task? _dispatch;
    // When a 429 seen here lifts (UTC ticks): a slot reserved before it came must not be used inside it.
    private long _pausedUntil;

    public MessageSender(
        [FromKeyedServices(BotHost.SenderClientKey)] ITelegramBotClient bot,
        MessageSenderOptions options,
        ISendSlots slots,
        BotMetrics metrics,
        TimeProvider time,
        ILogger<MessageSender> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bot = bot;
        _options = options;
        _slots = slots;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _inFlight = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrency,
            // The dispatch loop waits for one permit; shutdown waits for all of them.
            QueueLimit = options.MaxConcurrency + 1,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Messages waiting for a slot (queued or parked behind their chat's previous message).</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _queue.Reader.Count + _parked;
            }
        }
    }

    /// <summary>Queues one message; the task completes with its outcome (<see cref="SendOutcome.Unsent"/> at shutdown or when <paramref name="ct"/> fires first).</summary>
    public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var job = new Job(message, ct);
        if (_stopping.IsCancellationRequested || !_queue.Writer.TryWrite(job))
        {
            return Task.FromResult(new SendResult(SendOutcome.Unsent));
        }

        return job.Done.Task;
    }

    public Task StartAsync(CancellationToken ct)
    {
        _dispatch ??= Task.Run(() => DispatchAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops starting sends, lets the ones in flight finish (until <paramref name="ct"/>), and answers the rest as unsent.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_dispatch is not null)
        {
            await _dispatch;
        }

        List<Job> left = [];
        while (_queue.Reader.TryRead(out var job))
        {
            left.Add(job);
        }

        lock (_gate)
        {
            left.AddRange(_waitingChats.Values.SelectMany(w => w));
            _waitingChats.Clear();
            _busyChats.Clear();
            _parked = 0;
        }

        var unsent = left.Count(job => job.Done.TrySetResult(new SendResult(SendOutcome.Unsent)));

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

        LogStopped(unsent);
    }

    public void Dispose()
    {
        _inFlight.Dispose();
        _stopping.Dispose();
        _abort.Dispose();
    }

    private async Task DispatchAsync(CancellationToken stop)
    {
        // The message taken off the queue and not yet handed on (parked or sent): a stop while it waits for its
        // permit or slot must still answer it.
        Job? inHand = null;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stop))
            {
                while (_queue.Reader.TryRead(out var job))
                {
                    inHand = job;
                    if (job.Ct.IsCancellationRequested)
                    {
                        inHand = null;
                        job.Done.TrySetResult(new SendResult(SendOutcome.Unsent));
                        if (job.Woken)
                        {
                            ChatDone(job.Message.ChatId, TimeSpan.Zero, stop);
                        }

                        continue;
                    }

                    if (!job.Woken && WaitBehindChat(job))
                    {
                        inHand = null;
                        continue;
                    }

                    // The permit first, then the slot: a slot is used the moment it comes, never saved up for a burst.
                    var lease = await _inFlight.AcquireAsync(1, stop);
                    var started = false;
                    try
                    {
                        var slot = await _slots.ReserveAsync(job.Message.ChatId, stop);
                        if (slot.ChatBusy)
                        {
                            // Within the chat's gap (or another instance is sending to it): this one goes first when it has passed.
                            inHand = null;
                            Park(job, slot.StartIn < MaxPark ? slot.StartIn : MaxPark, stop);
                            continue;
                        }

                        if (slot.StartIn > TimeSpan.Zero)
                        {
                            await Task.Delay(slot.StartIn, _time, stop);
                        }

                        // A 429 answered while this one waited for its slot (or while this loop was slow to wake) holds it too.
                        var paused = new DateTimeOffset(Interlocked.Read(ref _pausedUntil), TimeSpan.Zero) - _time.GetUtcNow();
                        if (paused > TimeSpan.Zero)
                        {
                            await Task.Delay(paused, _time, stop);
                        }

                        started = true;
                        inHand = null;
                        _ = SendOneAsync(job, lease, stop);
                    }
                    finally
                    {
                        if (!started)
                        {
                            lease.Dispose();
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Shutdown: StopAsync answers what is still queued and waiting; the one in hand is answered here.
            inHand?.Done.TrySetResult(new SendResult(SendOutcome.Unsent));
        }
    }

    // A message for a chat with a message in flight, or with messages waiting, goes behind them: one chat's messages keep
    // their order and each waits a gap after the previous one's answer. Otherwise the chat becomes busy with this one.
    private bool WaitBehindChat(Job job)
    {
        lock (_gate)
        {
            var chat = job.Message.ChatId;
            if (_busyChats.Add(chat))
            {
                return false;
            }

            if (!_waitingChats.TryGetValue(chat, out var waiting))
            {
                _waitingChats[chat] = waiting = new LinkedList<Job>();
            }

            waiting.AddLast(job);
            _parked++;
            return true;
        }
    }

    // The slots said the chat is not free yet: the message goes back to the head of its chat's line and is woken later.
    private void Park(Job job, TimeSpan wait, CancellationToken stop)
    {
        lock (_gate)
        {
            if (!_waitingChats.TryGetValue(job.Message.ChatId, out var waiting))
            {
                _waitingChats[job.Message.ChatId] = waiting = new LinkedList<Job>();
            }

            waiting.AddFirst(job);
            _parked++;
        }

        _ = WakeAsync(job.Message.ChatId, wait, stop);
    }

    // The chat's message was answered (or dropped): the next waiting one is woken a gap later, or the chat is free.
    private void ChatDone(long chatId, TimeSpan gap, CancellationToken stop)
    {
        lock (_gate)
        {
            if (!_waitingChats.ContainsKey(chatId))
            {
                _busyChats.Remove(chatId);
                return;
            }
        }

        _ = WakeAsync(chatId, gap, stop);
    }

    // Sends the chat's first waiting message back to the queue; the chat stays busy for it.
    private async Task WakeAsync(long chatId, TimeSpan wait, CancellationToken stop)
    {
        try
        {
            await Task.Delay(wait, _time, stop);
        }
        catch (OperationCanceledException)
        {
            // Shutdown: StopAsync answers the waiting messages.
            return;
        }

        Job? head = null;
        lock (_gate)
        {
            if (_waitingChats.TryGetValue(chatId, out var waiting) && waiting.First is { } first)
            {
                head = first.Value;
                waiting.RemoveFirst();
                _parked--;
                if (waiting.Count == 0)
                {
                    _waitingChats.Remove(chatId);
                }
            }
            else
            {
                _busyChats.Remove(chatId);
            }
        }

        if (head is not null && !_queue.Writer.TryWrite(head with { Woken = true }))
        {
            head.Done.TrySetResult(new SendResult(SendOutcome.Unsent));
        }
    }

    // Never throws: every outcome goes to the job.
    private async Task SendOneAsync(Job job, RateLimitLease lease, CancellationToken stop)
    {
        SendResult result;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
            timeout.CancelAfter(_options.SendTimeout);
            await ReplySink.SendAsync(_bot, job.Message.Call, timeout.Token);
            result = new SendResult(SendOutcome.Sent);
        }
        catch (ApiRequestException ex) when (ex.ErrorCode == 429)
        {
            var pause = TimeSpan.FromSeconds(Math.Max(1, ex.Parameters?.RetryAfter ?? 1));
            var until = (_time.GetUtcNow() + pause).UtcTicks;
            for (var seen = Interlocked.Read(ref _pausedUntil); seen < until; seen = Interlocked.Read(ref _pausedUntil))
            {
                if (Interlocked.CompareExchange(ref _pausedUntil, until, seen) == seen)
                {
                    break;
                }
            }

            result = new SendResult(SendOutcome.RetryLater, ex.Message, pause);
            await PauseAsync(pause, job);
        }
        catch (ApiRequestException ex) when (IsRefusal(ex))
        {
            result = new SendResult(SendOutcome.Blocked, ex.Message);
        }
        catch (ApiRequestException ex) when (ex.ErrorCode >= 500)
        {
            // Telegram says it failed: nothing was delivered, so another try cannot double it.
            result = new SendResult(SendOutcome.RetryLater, ex.Message, TimeSpan.FromSeconds(2));
        }
        catch (RequestException ex) when (ex.InnerException is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
        {
            // The connection was refused before the request went out.
            result = new SendResult(SendOutcome.RetryLater, ex.Message, TimeSpan.FromSeconds(2));
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            result = new SendResult(SendOutcome.Unsent, "abandoned at shutdown");
        }
        catch (Exception ex)
        {
            result = new SendResult(SendOutcome.Failed, ex.Message);
        }
        finally
        {
            lease.Dispose();
        }

        try
        {
            await _slots.ChatAnsweredAsync(job.Message.ChatId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogPauseFailed(ex.Message);
        }

        ChatDone(job.Message.ChatId, SendSlotRules.ChatGap, stop);
        Record(job, result);
        job.Done.TrySetResult(result);
    }

    private async Task PauseAsync(TimeSpan retryAfter, Job job)
    {
        try
        {
            await _slots.PauseAsync(retryAfter, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogPauseFailed(ex.Message);
        }

        _metrics.SendPaused(retryAfter);
        LogPaused(job.Message.ChatId, retryAfter.TotalSeconds);
    }

    private void Record(Job job, SendResult result)
    {
        _metrics.Sent(result.Outcome switch
        {
            SendOutcome.Sent => "sent",
            SendOutcome.Blocked => "blocked",
            SendOutcome.RetryLater => "retry",
            SendOutcome.Failed => "failed",
            _ => "unsent",
        });
        switch (result.Outcome)
        {
            case SendOutcome.Blocked:
                LogBlocked(job.Message.ChatId, job.Message.Tag, result.Error);
                break;
            case SendOutcome.Failed:
                LogFailed(job.Message.ChatId, job.Message.Tag, result.Error);
                break;
            default:
                break;
        }
    }

    // 403 covers "bot was blocked by the user", "user is deactivated" and "bot can't initiate conversation".
    private static bool IsRefusal(ApiRequestException ex) =>
        ex.ErrorCode == 403
        || (ex.ErrorCode == 400 && ex.Message.Contains("chat not found", StringComparison.OrdinalIgnoreCase));

    private sealed record Job(OutgoingMessage Message, CancellationToken Ct)
    {
        public TaskCompletionSource<SendResult> Done { get; init; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Back from waiting for its chat: it goes first, not behind the chat's other waiting messages.</summary>
        public bool Woken { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram said 429 for chat {ChatId}: pausing all sends for {Seconds} s")]
    private partial void LogPaused(long chatId, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not share the pace with other instances: {Error}")]
    private partial void LogPauseFailed(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat {ChatId} ({Tag}) refuses messages ({Error}); marking it blocked")]
    private partial void LogBlocked(long chatId, string? tag, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send to chat {ChatId} ({Tag}): {Error}; dropped, the batch goes on")]
    private partial void LogFailed(long chatId, string? tag, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sender stopped: {Unsent} queued messages left unsent (their outbox rows stay pending)")]
    private partial void LogStopped(int unsent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sends still in flight after the grace period; abandoning them")]
    private partial void LogAbandoning();
}
