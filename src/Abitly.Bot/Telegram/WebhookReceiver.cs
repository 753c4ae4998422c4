using System.Text.Json;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Abitly.Bot.Telegram;

/// <summary>How the webhook endpoint answers a delivery.</summary>
public enum WebhookAcceptance
{
    /// <summary>Stored in the inbox (200): it will be handled even if this instance dies now.</summary>
    Accepted,

    /// <summary>The database is unreachable (503): Telegram delivers it again later, maybe to another instance.</summary>
    Unavailable,

    /// <summary>This instance is stopping (503): Telegram delivers it again, to an instance that is not.</summary>
    Stopping,
}

/// <summary>
/// Webhook mode, for several instances behind one URL: each delivery is stored in the inbox (<c>updates</c>) before the
/// endpoint answers 200 and is handled here at once; the update log keeps each update once and one chat's updates in
/// order across instances (an update behind an older one of its chat waits, and whoever finishes the older one runs it).
/// A sweep picks up deliveries an instance left behind when it stopped or died. setWebhook is called at start (and
/// retried until Telegram takes it); every instance sets the same URL, which changes nothing for the others.
/// </summary>
public sealed partial class WebhookReceiver(
    ITelegramBotClient bot,
    UpdateDispatcher dispatcher,
    IServiceScopeFactory scopes,
    AbitlySettings settings,
    BotMetrics metrics,
    TimeProvider time,
    ILogger<WebhookReceiver> logger) : IUpdateReceiver, IDisposable
{
    /// <summary>A delivery this old and not handled is taken by any instance (its receiver handles it within this).</summary>
    public static readonly TimeSpan OrphanAge = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(1);
    private const int SweepBatch = 50;

    private CancellationTokenSource? _stopping;
    private Task? _loop;
    private volatile bool _accepting;

    public bool IsRunning => _loop is { IsCompleted: false };

    /// <summary>Whether Telegram has taken our setWebhook (for /readyz).</summary>
    public bool Registered { get; private set; }

    public Task StartAsync(CancellationToken ct)
    {
        _stopping = new CancellationTokenSource();
        _accepting = true;
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken ct)
    {
        // New deliveries get 503 and go to another instance; what is running finishes, what is not stays in the inbox.
        _accepting = false;
        if (_stopping is null || _loop is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _loop.WaitAsync(ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var unfinished = await dispatcher.DrainAsync(TimeSpan.FromSeconds(settings.ShutdownGraceSeconds), ct);
        if (unfinished > 0)
        {
            LogUnfinished(unfinished);
        }
    }

    public void Dispose() => _stopping?.Dispose();

    /// <summary>Stores one delivery (its raw JSON) in the inbox and starts it here when there is room.</summary>
    public async Task<WebhookAcceptance> AcceptAsync(Update update, string json, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (!_accepting)
        {
            metrics.WebhookDelivery("stopping");
            return WebhookAcceptance.Stopping;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<UpdateLog>().AcceptAsync(update.Id, UpdateDispatcher.ChatKey(update), json, ct);
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            LogInboxUnavailable(update.Id, ex.GetBaseException().Message);
            metrics.WebhookDelivery("unavailable");
            return WebhookAcceptance.Unavailable;
        }

        metrics.WebhookDelivery("accepted");
        if (dispatcher.HasCapacity)
        {
            dispatcher.Enqueue(update, RunNextOfChatAsync);
        }

        return WebhookAcceptance.Accepted;
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var registered = RegisterAsync(stop);
        using var timer = new PeriodicTimer(SweepEvery, time);
        var failures = 0;
        do
        {
            try
            {
                await SweepAsync(stop);
                failures = 0;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The database is away or busy: the deliveries stay in the inbox for the next sweep.
                if (failures++ % 30 == 0)
                {
                    LogSweepFailed(ex.GetBaseException().Message);
                }
            }
        }
        while (await WaitAsync(timer, stop));

        await registered;
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task RegisterAsync(CancellationToken stop)
    {
        for (var attempt = 1; !stop.IsCancellationRequested; attempt++)
        {
            try
            {
                await bot.SetWebhook(settings.WebhookUrl!, secretToken: settings.WebhookSecret, cancellationToken: stop);
                Registered = true;
                LogRegistered(new Uri(settings.WebhookUrl!).GetLeftPart(UriPartial.Path));
                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                var delay = LongPollingReceiver.Backoff(attempt);
                LogRegisterFailed(ex.Message, delay);
                try
                {
                    await Task.Delay(delay, time, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    // Deliveries an instance left behind (it stopped or died before handling them), and updates that waited for an
    // older one of their chat: the oldest of each chat that has nothing running here.
    private async Task SweepAsync(CancellationToken stop)
    {
        if (!dispatcher.HasCapacity)
        {
            return;
        }

        IReadOnlyList<InboxUpdate> rows;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var receivedBefore = time.GetUtcNow().UtcDateTime - OrphanAge;
            rows = await scope.ServiceProvider.GetRequiredService<UpdateLog>().NextPerChatAsync(SweepBatch, dispatcher.BusyChats, receivedBefore, stop);
        }

        foreach (var row in rows)
        {
            await StartFromInboxAsync(row, stop);
        }
    }

    // Runs in the chat's turn after one of its updates finished: the chat's next delivery, wherever it arrived.
    private async Task RunNextOfChatAsync(Update finished)
    {
        try
        {
            InboxUpdate? next;
            await using (var scope = scopes.CreateAsyncScope())
            {
                next = await scope.ServiceProvider.GetRequiredService<UpdateLog>().NextOfChatAsync(UpdateDispatcher.ChatKey(finished), CancellationToken.None);
            }

            if (next is not null && next.UpdateId != finished.Id && dispatcher.HasCapacity)
            {
                await StartFromInboxAsync(next, CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            // The sweep finds it later.
            LogSweepFailed(ex.GetBaseException().Message);
        }
    }

    private async Task StartFromInboxAsync(InboxUpdate row, CancellationToken ct)
    {
        Update? update;
        try
        {
            update = JsonSerializer.Deserialize<Update>(row.Payload, JsonBotAPI.Options);
        }
        catch (JsonException ex)
        {
            update = null;
            LogUnreadable(row.UpdateId, ex.Message);
        }

        if (update is null)
        {
            // It parsed when it was accepted; if it no longer does, it must not hold its chat up for ever.
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<UpdateLog>().TryBeginAsync(row.UpdateId, row.ChatKey, inChatOrder: false, ct);
            return;
        }

        dispatcher.Enqueue(update, RunNextOfChatAsync);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook set: Telegram delivers updates to {Url}")]
    private partial void LogRegistered(string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "setWebhook failed ({Error}); trying again in {Delay}")]
    private partial void LogRegisterFailed(string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Update {UpdateId} not accepted: the inbox is unreachable ({Error}); Telegram will deliver it again")]
    private partial void LogInboxUnavailable(int updateId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox sweep failed ({Error}); the deliveries wait for the next one")]
    private partial void LogSweepFailed(string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbox update {UpdateId} cannot be read any more ({Error}); skipped")]
    private partial void LogUnreadable(long updateId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} updates were still running at shutdown; they stay in the inbox for another instance")]
    private partial void LogUnfinished(int count);
}
