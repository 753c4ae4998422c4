using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.Telegram;
using Microsoft.Extensions.Logging;
using Telegram.Bot;

namespace Abitly.Bot.FanOuts;

/// <summary>
/// Keeps running fan-outs' progress messages current and ends them: one instance at a time holds a fan-out (a lease that
/// another instance takes over when it lapses, e.g. after a crash), counts its outbox rows, edits the admin's progress
/// message now and then, and when nothing is pending marks it finished and writes the closing edit and the summary as
/// reply rows in the same transaction — so the summary comes exactly once, across restarts and instances.
/// </summary>
public sealed partial class FanOutMonitor(
    IServiceScopeFactory scopes,
    ITelegramBotClient bot,
    OutboxAcknowledger acknowledger,
    InstanceIdentity instance,
    BotMetrics metrics,
    TimeProvider time,
    ILogger<FanOutMonitor> logger) : IRuntimeComponent, IDisposable
{
    /// <summary>How often running fan-outs are counted.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    /// <summary>A monitor that stops renewing (a crash) loses its fan-outs to another instance after this.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    private readonly ProgressEditPacing _pacing = new(time);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public Task StartAsync(CancellationToken ct)
    {
        _loop ??= Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken ct)
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.WaitAsync(ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
            {
                LogDatabaseAway(ex.GetBaseException().Message);
            }
            catch (Exception ex)
            {
                LogCheckFailed(ex);
            }

            try
            {
                await Task.Delay(Every, time, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round over the running fan-outs this instance holds or may take.</summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var batches = scope.ServiceProvider.GetRequiredService<FanOutBatchStore>();
        var outbox = scope.ServiceProvider.GetRequiredService<IOutboxStore>();
        foreach (var batch in await batches.LeaseRunningAsync(instance.Name, Lease, ct))
        {
            var tally = FanOutTally.From(await outbox.CountBatchAsync(batch.Id, ct));
            if (tally.Pending == 0)
            {
                await FinishAsync(scope.ServiceProvider, batch, tally, ct);
            }
            else if (batch is { AdminChatId: { } chat, ProgressMessageId: { } message })
            {
                var progress = FanOutRenderer.Progress(batch, tally, stoppable: true);
                if (_pacing.ShouldEdit(batch.Id, progress.Html, new DateTimeOffset(batch.CreatedAt, TimeSpan.Zero)))
                {
                    await EditAsync(new EditReply(chat, message, progress, null, null, null), ct);
                    _pacing.Edited(batch.Id, progress.Html);
                }
            }
        }
    }

    private async Task FinishAsync(IServiceProvider services, FanOutBatch batch, FanOutTally tally, CancellationToken ct)
    {
        var db = services.GetRequiredService<AbitlyDbContext>();
        var elapsed = time.GetUtcNow().UtcDateTime - batch.CreatedAt;
        List<OutboxMessage> rows;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            if (!await services.GetRequiredService<FanOutBatchStore>().TryEndAsync(batch.Id, FanOutStatus.Finished, ct))
            {
                return;
            }

            rows = ClosingReplies(batch, FanOutRenderer.Ended(batch, tally, elapsed, cancelled: false));
            await services.GetRequiredService<IOutboxStore>().AddAsync(rows, ct);
            await transaction.CommitAsync(ct);
        }

        metrics.FanOutCompleted(batch.Kind, elapsed);
        LogFinished(batch.Id, batch.Kind, tally.Sent, tally.Blocked, tally.Failed, tally.Cancelled, tally.Total, elapsed.TotalSeconds);

        // Telegram limits edits of one message: the closing edit keeps the spacing of the progress edits.
        var wait = _pacing.UntilNextEdit(batch.Id);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, ct);
        }

        _pacing.Forget(batch.Id);
        foreach (var row in rows)
        {
            string? error = null;
            try
            {
                await ReplySink.SendAsync(bot, OutboxPayload.FromJson(row.Payload).ToReply(), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error = ex.Message;
            }

            acknowledger.Record(row.Id, error is null ? OutboxStatus.Sent : OutboxStatus.Failed, error);
        }
    }

    /// <summary>The closing edit of the progress message and the summary, as reply rows this instance sends right away.</summary>
    private List<OutboxMessage> ClosingReplies(FanOutBatch batch, FanOutEnd end)
    {
        var replies = new List<Reply>();
        if (batch is { AdminChatId: { } chat })
        {
            if (batch.ProgressMessageId is { } message)
            {
                replies.Add(new EditReply(chat, message, end.Progress, null, null, null));
            }

            replies.Add(new SendReply(chat, end.Summary));
        }

        var now = time.GetUtcNow().UtcDateTime;
        return [.. replies.Select(r => new OutboxMessage
        {
            Lane = OutboxLane.Reply,
            Kind = batch.Kind + "_summary",
            ChatId = batch.AdminChatId ?? 0,
            Payload = OutboxPayload.From(r).ToJson(),
            NotBefore = now,
            LeaseUntil = now + UpdatePipeline.ReplyLease,
            LeaseOwner = instance.Name,
            CreatedAt = now,
        })];
    }

    private async Task EditAsync(EditReply edit, CancellationToken ct)
    {
        try
        {
            await ReplySink.EditOrKeepAsync(bot, edit, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Progress is a courtesy: a failed edit must not stop the fan-out.
            LogEditFailed(ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fan-out {BatchId} ({Kind}) finished: {Sent} sent, {Blocked} blocked, {Failed} failed, {Cancelled} cancelled of {Total} in {Seconds:0.0} s")]
    private partial void LogFinished(long batchId, string kind, int sent, int blocked, int failed, int cancelled, int total, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not edit a fan-out's progress: {Error}")]
    private partial void LogEditFailed(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fan-out progress paused: the database is unreachable ({Error})")]
    private partial void LogDatabaseAway(string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Checking running fan-outs failed; trying again")]
    private partial void LogCheckFailed(Exception ex);
}

/// <summary>
/// When a fan-out's progress message may be edited: only when its text changed and at least <see cref="Interval"/>
/// after the previous edit (Telegram limits edits of one message).
/// </summary>
public sealed class ProgressEditPacing(TimeProvider time)
{
    /// <summary>The least time between two edits of one progress message.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    // Timers and Telegram's clock differ by milliseconds; the margin keeps edits strictly apart.
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<long, (string Shown, DateTimeOffset At)> _edits = [];

    /// <summary>
    /// True when <paramref name="html"/> differs from what was shown and the interval has passed since the last edit, or
    /// since <paramref name="startedAt"/> (when the message got its first text) if this instance has not edited it yet.
    /// </summary>
    public bool ShouldEdit(long batchId, string html, DateTimeOffset startedAt)
    {
        var last = _edits.TryGetValue(batchId, out var known) ? known : (Shown: "", At: startedAt);
        return last.Shown != html && time.GetUtcNow() - last.At >= Interval + Slack;
    }

    public void Edited(long batchId, string html) => _edits[batchId] = (html, time.GetUtcNow());

    /// <summary>How long until the next edit is allowed (zero when it is now).</summary>
    public TimeSpan UntilNextEdit(long batchId) =>
        _edits.TryGetValue(batchId, out var last) && last.At + Interval + Slack - time.GetUtcNow() is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;

    public void Forget(long batchId) => _edits.Remove(batchId);
}
