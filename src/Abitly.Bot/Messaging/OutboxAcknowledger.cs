using System.Threading.Channels;
using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Microsoft.Extensions.Logging;

namespace Abitly.Bot.Messaging;

/// <summary>
/// Records the outcome of replies the pipeline sent after commit, in batches (one UPDATE per ~50 ms, not one per reply),
/// so recording costs the hot path nothing. A reply whose outcome is lost (a crash in between) is sent again from the
/// outbox once its lease lapses: at most the replies in flight at a crash go out twice.
/// </summary>
public sealed partial class ReplyAcknowledger(IServiceScopeFactory scopes, ILogger<ReplyAcknowledger> logger) : IRuntimeComponent, IDisposable
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(50);

    private readonly Channel<OutboxOutcome> _outcomes = Channel.CreateUnbounded<OutboxOutcome>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public void Record(long outboxId, OutboxStatus status, string? error = null) =>
        _outcomes.Writer.TryWrite(new OutboxOutcome(outboxId, status, 0, error is { Length: > 500 } ? error[..500] : error));

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
        while (await _outcomes.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            try
            {
                await Task.Delay(FlushEvery, ct);
            }
            catch (OperationCanceledException)
            {
            }

            while (_outcomes.Reader.TryRead(out var outcome))
            {
                batch.Add(outcome);
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IOutboxStore>().CompleteAsync(batch, CancellationToken.None);
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
                batch.Clear();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} reply outcomes not recorded yet: the database is unreachable ({Error})")]
    private partial void LogDeferred(int count, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} reply outcomes could not be recorded")]
    private partial void LogFailed(Exception ex, int count);
}
