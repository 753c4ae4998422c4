using Abitly.Bot.Configuration;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace Abitly.Bot.Telegram;

/// <summary>Where updates come from (long polling today; a webhook later) — handlers never know which.</summary>
public interface IUpdateReceiver
{
    Task StartAsync(CancellationToken ct);
    /// <summary>Stops taking updates, lets in-flight ones finish (bounded), confirms what was handled.</summary>
    Task StopAsync(CancellationToken ct);
    bool IsRunning { get; }
}

/// <summary>
/// Our own getUpdates loop. Telegram.Bot's receiver handles one update at a time and does not
/// confirm the last batch on stop; this one runs chats concurrently (bounded), keeps each chat in
/// order, and moves the offset only past updates whose handling finished.
/// </summary>
public sealed class LongPollingReceiver(
    ITelegramBotClient bot,
    UpdateDispatcher dispatcher,
    AbitlySettings settings,
    ILogger<LongPollingReceiver> logger) : IUpdateReceiver, IDisposable
{
    private CancellationTokenSource? _stopping;
    private Task? _loop;

    public bool IsRunning => _loop is { IsCompleted: false };

    public async Task StartAsync(CancellationToken ct)
    {
        // Long polling and a webhook exclude each other; a leftover webhook would make getUpdates fail with 409.
        try
        {
            await bot.DeleteWebhook(cancellationToken: ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Telegram may be unreachable for a while; the poll loop backs off and retries.
            logger.LogWarning("deleteWebhook failed ({Error}); polling anyway", ex.Message);
        }

        _stopping = new CancellationTokenSource();
        _loop = Task.Run(() => PollAsync(_stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_stopping is null || _loop is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _loop.WaitAsync(ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var unfinished = await dispatcher.DrainAsync(TimeSpan.FromSeconds(settings.ShutdownGraceSeconds), ct);
        if (unfinished > 0)
        {
            logger.LogWarning("{Count} updates were still running at shutdown; Telegram will deliver them again", unfinished);
        }

        await ConfirmAsync(ct);
    }

    public void Dispose() => _stopping?.Dispose();

    private async Task PollAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await dispatcher.WaitForCapacityAsync(ct);
                var updates = await bot.GetUpdates(dispatcher.Offset, limit: 100, timeout: settings.PollTimeoutSeconds, cancellationToken: ct);
                failures = 0;
                if (dispatcher.Dispatch(updates) == 0 && updates.Length > 0)
                {
                    // Only re-deliveries of updates still running: wait for one to finish instead of spinning.
                    await dispatcher.WaitForProgressAsync(TimeSpan.FromSeconds(1), ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = Backoff(failures);
                if (ex is ApiRequestException { ErrorCode: 409 })
                {
                    logger.LogError("getUpdates conflict (409): another instance polls with this token, or a webhook is set; retrying in {Delay}", delay);
                }
                else
                {
                    logger.LogWarning("getUpdates failed ({Error}); retrying in {Delay}", ex.Message, delay);
                }

                try
                {
                    await Task.Delay(delay, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Exponential back-off with full jitter, 0.5 s up to 30 s.</summary>
    public static TimeSpan Backoff(int failures)
    {
        var cap = Math.Min(30_000, 500 * Math.Pow(2, Math.Min(failures - 1, 10)));
        return TimeSpan.FromMilliseconds(250 + (Random.Shared.NextDouble() * cap));
    }

    /// <summary>getUpdates with the next offset is how Telegram learns what was handled.</summary>
    private async Task ConfirmAsync(CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            _ = await bot.GetUpdates(dispatcher.Offset, limit: 1, timeout: 0, cancellationToken: timeout.Token);
            logger.LogInformation("Confirmed updates below {Offset}", dispatcher.Offset);
        }
        catch (Exception ex)
        {
            logger.LogWarning("Could not confirm handled updates on stop ({Error}); they may be delivered again", ex.Message);
        }
    }
}
