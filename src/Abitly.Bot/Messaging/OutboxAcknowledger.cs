using System.Threading.Channels;
using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Microsoft.Extensions.Logging;

namespace Abitly.Bot.Messaging;

/// <summary>
/// Records the outcomes of outbox rows (replies sent after commit, fan-out messages sent by the workers) off the hot
/// path: one writer that takes whatever has gathered since its last write (group commit), so under load one UPDATE
/// covers many rows and at rest an outcome is written within a database round trip. A row whose outcome is lost (a crash
/// in between) is sent again once its lease lapses: at most the rows in flight at a crash go out twice.
/// </summary>
public sealed partial class OutboxAcknowledger(IServiceScopeFactory scopes, ILogger<OutboxAcknowledger> logger) : IRuntimeComponent, IDisposable
{
    private const int MaxBatch = 500;

    private readonly Channel<OutboxOutcome> _outcomes = Channel.CreateUnbounded<OutboxOutcome>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    private int _pending;

    /// <summary>Outcomes not written yet.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public void Record(long outboxId, OutboxStatus status, string? error = null) => Record(new OutboxOutcome(outboxId, status, 0, error));

    public void Record(OutboxOutcome outcome)
    {
        Interlocked.Increment(ref _pending);
        _outcomes.Writer.TryWrite(outcome with { Error = outcome.Error is { Length: > 500 } e ? e[..500] : outcome.Error });
    }

    public Task StartAsync(CancellationToken ct)
    {
        _loop ??= Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken ct)
    {
        _outcomes.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.WaitAsync(ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync(CancellationToken ct)
    {
        var batch = new List<OutboxOutcome>();
        // Kept outcomes (the database was away) are retried even when nothing new comes in.
        while (batch.Count > 0 || await _outcomes.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _outcomes.Reader.TryRead(out var outcome))
            {
                batch.Add(outcome);
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IOutboxStore>().CompleteAsync(batch, CancellationToken.None);
                Interlocked.Add(ref _pending, -batch.Count);
                batch.Clear();
            }
            catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
            {
                // Kept for the next flush; if the process stops first, the rows' leases lapse and they are sent again.
                LogDeferred(batch.Count, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogFailed(ex, batch.Count);
                Interlocked.Add(ref _pending, -batch.Count);
                batch.Clear();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} outbox outcomes not recorded yet: the database is unreachable ({Error})")]
    private partial void LogDeferred(int count, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} outbox outcomes could not be recorded")]
    private partial void LogFailed(Exception ex, int count);
}
