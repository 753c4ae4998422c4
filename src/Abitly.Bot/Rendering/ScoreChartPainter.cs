using System.Diagnostics;
using System.Threading.RateLimiting;
using Abitly.Bot.Hosting;
using Abitly.Charts;
using Microsoft.Extensions.Logging;

namespace Abitly.Bot.Rendering;

/// <summary>
/// Draws score charts for the bot a couple at a time. A render keeps a core busy for tens of milliseconds; more at once
/// would only queue for the CPU while each waiting update holds its database transaction, so a few wait their turn and
/// beyond that the press is answered "try again". The first render (fonts, native library, code paths) runs at start.
/// </summary>
public sealed partial class ScoreChartPainter(BotMetrics metrics, ILogger<ScoreChartPainter> logger) : IRuntimeComponent, IDisposable
{
    /// <summary>Renders at once: the machine's cores are shared with everything else the bot does.</summary>
    public const int MaxConcurrentRenders = 2;

    /// <summary>Renders waiting for a turn; with two at a time and ~30 ms each, the last waits about a quarter of a second.</summary>
    public const int MaxWaitingRenders = 16;

    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = MaxConcurrentRenders,
        QueueLimit = MaxWaitingRenders,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    private Task? _warming;

    /// <summary>Starts the warm-up render in the background, so receiving does not wait for it.</summary>
    public Task StartAsync(CancellationToken ct)
    {
        _warming ??= Task.Run(WarmAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_warming is not null)
        {
            await _warming.WaitAsync(ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>The chart, or null when too many renders are already waiting (the caller asks the user to try again).</summary>
    public async Task<ScoreChart?> TryRenderAsync(ScoreChartInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var lease = await _limiter.AcquireAsync(1, ct);
        if (!lease.IsAcquired)
        {
            metrics.ChartAnswered("busy");
            return null;
        }

        var started = Stopwatch.GetTimestamp();
        var chart = ScoreChartRenderer.Render(input);
        metrics.ChartRendered(Stopwatch.GetElapsedTime(started));
        metrics.ChartAnswered("rendered");
        return chart;
    }

    public void Dispose() => _limiter.Dispose();

    private async Task WarmAsync()
    {
        try
        {
            using var lease = await _limiter.AcquireAsync(1);
            var started = Stopwatch.GetTimestamp();
            ScoreChartRenderer.Warm();
            LogWarmed(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex)
        {
            // Not fatal: everything but the chart works; each chart press will fail the same way and be logged.
            LogWarmFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Score chart renderer warmed in {Milliseconds:0} ms")]
    private partial void LogWarmed(double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Score chart renderer could not warm up; charts will fail")]
    private partial void LogWarmFailed(Exception ex);
}
