using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Abitly.Bot.State;
using Abitly.Bot.Telegram;
using Microsoft.EntityFrameworkCore;
using Telegram.Bot;

namespace Abitly.Bot.Messaging;

/// <summary>How the outbox is worked and kept (OUTBOX_RETENTION_HOURS).</summary>
public sealed record OutboxOptions
{
    /// <summary>
    /// How long a worker holds fan-out rows it leased (renewed every third of it while they wait for the sender); a crashed
    /// worker's rows go to others after it.
    /// </summary>
    public TimeSpan FanOutLease { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Finished rows are deleted after this.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Handled-update records are deleted after this: long enough for any re-delivery, shorter than the week of quiet after
    /// which Telegram starts update ids afresh.
    /// </summary>
    public TimeSpan UpdateRetention { get; init; } = TimeSpan.FromDays(3);

    /// <summary>How often a worker looks for due rows when nobody nudged it (rows of other instances, retries, lapsed leases).</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Works the outbox on every instance: leases due fan-out rows (a window of about two seconds of sends, so a crash strands
/// little and other instances share the rest), feeds them to the paced <see cref="MessageSender"/>, and records each
/// outcome — a 429 or a 5xx puts the row back for later, up to SEND_MAX_RETRY. It also re-sends replies a crash left
/// unsent once their lease lapses, keeps the depth for /metrics and /readyz, and prunes finished rows and old update records.
/// </summary>
public sealed partial class OutboxWorker(
    IServiceScopeFactory scopes,
    MessageSender sender,
    OutboxAcknowledger acknowledger,
    OutboxSignal signal,
    InstanceIdentity instance,
    ITelegramBotClient bot,
    PhotoFileIds photoFileIds,
    MessageSenderOptions senderOptions,
    OutboxOptions options,
    BotMetrics metrics,
    TimeProvider time,
    ILogger<OutboxWorker> logger) : IRuntimeComponent, IDisposable
{
    private static readonly TimeSpan HousekeepingEvery = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan DepthEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReplyRecoveryEvery = TimeSpan.FromSeconds(5);

    private readonly int _window = Math.Max(2 * senderOptions.RatePerSecond, 2 * senderOptions.MaxConcurrency);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    // Leased fan-out rows not answered yet, by id: their leases are renewed while they wait.
    private readonly Dictionary<long, Task> _inHand = [];
    private readonly Dictionary<long, (bool Cancelled, DateTimeOffset CheckedAt)> _batches = [];
    private Task? _loop;

    /// <summary>The depth last measured (null before the first measurement or while the database is away).</summary>
    public OutboxDepth? Depth { get; private set; }

    public Task StartAsync(CancellationToken ct)
    {
        _loop ??= Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops leasing; the sender answers what it still holds, and those rows go back to the outbox for whoever is alive.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await sender.StopAsync(ct);
        Task[] inHand;
        lock (_gate)
        {
            inHand = [.. _inHand.Values];
        }

        await Task.WhenAll(inHand).WaitAsync(ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _stopping.Dispose();

    private int InHand
    {
        get
        {
            lock (_gate)
            {
                return _inHand.Count;
            }
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var nextReplies = DateTimeOffset.MinValue;
        var nextRenewal = time.GetUtcNow() + (options.FanOutLease / 3);
        var nextDepth = DateTimeOffset.MinValue;
        var nextHousekeeping = time.GetUtcNow() + TimeSpan.FromMinutes(1);
        while (!stop.IsCancellationRequested)
        {
            var leased = 0;
            try
            {
                var now = time.GetUtcNow();
                if (now >= nextReplies)
                {
                    await RecoverRepliesAsync(stop);
                    nextReplies = now + ReplyRecoveryEvery;
                }

                if (now >= nextRenewal)
                {
                    await RenewLeasesAsync(stop);
                    nextRenewal = now + (options.FanOutLease / 3);
                }

                var free = _window - InHand;
                if (free >= Math.Max(1, _window / 4))
                {
                    leased = await LeaseFanOutAsync(free, stop);
                }

                if (now >= nextDepth)
                {
                    await MeasureDepthAsync(stop);
                    nextDepth = now + DepthEvery;
                }

                if (now >= nextHousekeeping)
                {
                    await PruneAsync(stop);
                    nextHousekeeping = now + HousekeepingEvery;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
            {
                Depth = null;
                LogDatabaseAway(ex.GetBaseException().Message);
            }
            catch (Exception ex)
            {
                LogLoopFailed(ex);
            }

            try
            {
                if (leased == 0)
                {
                    // Nothing due here now: sleep until nudged (rows committed on this instance) or the next poll.
                    await signal.WaitAsync(options.Poll, stop);
                }
                else if (_window - InHand < Math.Max(1, _window / 4))
                {
                    // The window is full: look again when a good part of it has gone out.
                    await Task.Delay(TimeSpan.FromMilliseconds(100), time, stop);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<int> LeaseFanOutAsync(int max, CancellationToken stop)
    {
        IReadOnlyList<LeasedMessage> rows;
        await using (var scope = scopes.CreateAsyncScope())
        {
            rows = await scope.ServiceProvider.GetRequiredService<IOutboxStore>().LeaseAsync(instance.Name, OutboxLane.FanOut, max, options.FanOutLease, stop);
            await RefreshBatchesAsync(scope.ServiceProvider.GetRequiredService<AbitlyDbContext>(), rows, stop);
        }

        foreach (var row in rows)
        {
            var task = SendAsync(row);
            lock (_gate)
            {
                if (!task.IsCompleted)
                {
                    _inHand[row.Id] = task;
                }
            }

            var id = row.Id;
            _ = task.ContinueWith(_ =>
            {
                lock (_gate)
                {
                    _inHand.Remove(id);
                }
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return rows.Count;
    }

    // Rows waiting in the sender (behind the cap, a 429's pause or their chat's gap) stay this worker's.
    private async Task RenewLeasesAsync(CancellationToken stop)
    {
        long[] ids;
        lock (_gate)
        {
            ids = [.. _inHand.Keys];
        }

        if (ids.Length == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IOutboxStore>().RenewAsync(instance.Name, ids, options.FanOutLease, stop);
    }

    // Never throws: the outcome (or the row's return to the outbox) is always recorded.
    private async Task SendAsync(LeasedMessage row)
    {
        OutboxOutcome outcome;
        try
        {
            if (IsCancelled(row.BatchId))
            {
                outcome = new OutboxOutcome(row.Id, OutboxStatus.Cancelled, row.Attempts, null);
            }
            else
            {
                var call = OutboxPayload.FromJson(row.Payload).ToReply(row.ChatId);
                var result = await sender.SendAsync(new OutgoingMessage(row.ChatId, call, $"{row.Kind} {row.BatchId}"));
                outcome = Outcome(row, result);
            }
        }
        catch (Exception ex)
        {
            // A payload that cannot be read will not get better by waiting.
            outcome = new OutboxOutcome(row.Id, OutboxStatus.Failed, row.Attempts, ex.Message);
        }

        acknowledger.Record(outcome);
    }

    private OutboxOutcome Outcome(LeasedMessage row, SendResult result)
    {
        var now = time.GetUtcNow().UtcDateTime;
        switch (result.Outcome)
        {
            case SendOutcome.Sent:
                return new(row.Id, OutboxStatus.Sent, row.Attempts, null);
            case SendOutcome.Blocked:
                return new(row.Id, OutboxStatus.Blocked, row.Attempts, result.Error);
            case SendOutcome.RetryLater when row.Attempts + 1 > senderOptions.MaxRetry:
                LogDropped(row.ChatId, row.Kind, row.Attempts + 1);
                return new(row.Id, OutboxStatus.Dropped, row.Attempts + 1, result.Error);
            case SendOutcome.RetryLater:
                return new(row.Id, OutboxStatus.Pending, row.Attempts + 1, result.Error, now + result.RetryAfter);
            case SendOutcome.Unsent:
                // Back to the outbox at once, for this instance after a restart or for another one now.
                return new(row.Id, OutboxStatus.Pending, row.Attempts, null, now);
            default:
                return new(row.Id, OutboxStatus.Failed, row.Attempts, result.Error);
        }
    }

    // A cancelled broadcast's rows that were leased before the cancel must not go out: batch states are looked up once a second.
    private async Task RefreshBatchesAsync(AbitlyDbContext db, IReadOnlyList<LeasedMessage> rows, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        long[] stale;
        lock (_gate)
        {
            stale = [.. rows.Where(r => r.BatchId is { } id && (!_batches.TryGetValue(id, out var known) || now - known.CheckedAt > TimeSpan.FromSeconds(1)))
                .Select(r => r.BatchId!.Value).Distinct()];
        }

        if (stale.Length == 0)
        {
            return;
        }

        var cancelled = await db.FanOutBatches.AsNoTracking().Where(b => stale.Contains(b.Id) && b.Status == FanOutStatus.Cancelled).Select(b => b.Id).ToListAsync(ct);
        lock (_gate)
        {
            foreach (var id in stale)
            {
                _batches[id] = (cancelled.Contains(id), now);
            }

            if (_batches.Count > 1000)
            {
                foreach (var id in _batches.Where(b => now - b.Value.CheckedAt > TimeSpan.FromMinutes(10)).Select(b => b.Key).ToList())
                {
                    _batches.Remove(id);
                }
            }
        }
    }

    private bool IsCancelled(long? batchId)
    {
        lock (_gate)
        {
            return batchId is { } id && _batches.TryGetValue(id, out var known) && known.Cancelled;
        }
    }

    // Replies whose pipeline crashed between commit and send (their lease lapsed): sent in order, one at a time.
    private async Task RecoverRepliesAsync(CancellationToken stop)
    {
        IReadOnlyList<LeasedMessage> rows;
        await using (var scope = scopes.CreateAsyncScope())
        {
            rows = await scope.ServiceProvider.GetRequiredService<IOutboxStore>().LeaseAsync(instance.Name, OutboxLane.Reply, 100, UpdatePipeline.ReplyLease, stop);
        }

        if (rows.Count > 0)
        {
            LogRecoveringReplies(rows.Count);
        }

        await ReplySink.SendRecoveredAsync(bot, rows, acknowledger, photoFileIds, stop);
    }

    private async Task MeasureDepthAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var depth = await scope.ServiceProvider.GetRequiredService<IOutboxStore>().DepthAsync(ct);
        Depth = depth;
        metrics.OutboxDepth(depth.Replies, depth.FanOut);
    }

    private async Task PruneAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var now = time.GetUtcNow().UtcDateTime;
        var rows = await scope.ServiceProvider.GetRequiredService<IOutboxStore>().PruneAsync(now - options.Retention, 20_000, ct);
        var updates = await scope.ServiceProvider.GetRequiredService<UpdateLog>().PruneAsync(now - options.UpdateRetention, ct);
        if (rows + updates > 0)
        {
            LogPruned(rows, updates);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped the message to chat {ChatId} ({Kind}) after {Attempts} answers of 429 or 5xx")]
    private partial void LogDropped(long chatId, string kind, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sending {Count} replies that a crash left unsent")]
    private partial void LogRecoveringReplies(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox paused: the database is unreachable ({Error})")]
    private partial void LogDatabaseAway(string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The outbox loop failed; it goes on")]
    private partial void LogLoopFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Rows} finished outbox rows and {Updates} old update records")]
    private partial void LogPruned(int rows, int updates);
}
