using System.Diagnostics;
using Abitly.Bot.Data;
using Abitly.Bot.Import;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Microsoft.Extensions.Logging;

namespace Abitly.Bot.FanOuts;

/// <summary>The tally of one alert pass.</summary>
public sealed record TrackedAlertRunResult(long? PassId, long? ThroughRunId, int FollowsEvaluated, int Queued, int UsersHeld, TimeSpan Elapsed);

/// <summary>
/// One tracked-offer alert pass, exactly once: inside one transaction (holding the pass lock) it decides the pass
/// (<see cref="TrackedAlertService"/>), records it, claims and queues one message per alerted user under the pass's id
/// (<see cref="NotificationFanOut.EnqueueOnceAsync"/>), and writes the follows' told and held states. A crash before the
/// commit leaves nothing (the next pass does it all again); after it, the outbox workers send the rows.
/// </summary>
public sealed partial class TrackedAlertRun(TrackedAlertService alerts, NotificationFanOut fanOut, OutboxSignal signal, ILogger<TrackedAlertRun> logger)
{
    public async Task<TrackedAlertRunResult> RunAsync(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await using var transaction = await alerts.BeginAsync(ct);
        var plan = await alerts.PlanAsync(ct);
        if (plan.IsEmpty)
        {
            return new TrackedAlertRunResult(null, null, 0, 0, 0, watch.Elapsed);
        }

        var pass = await alerts.RecordAsync(plan, ct);
        var notifications = plan.Alerts
            .Select(a => new KeyedNotification(new NotificationKey(a.TelegramUserId, TrackedAlertService.LogKind, pass.Id), TrackedRenderer.Alert(a), $"tracked-alert pass {pass.Id}"))
            .ToList();
        var queued = await fanOut.EnqueueOnceAsync(TrackedAlertService.LogKind, plan.Day, notifications, null, ct);
        await alerts.CompleteAsync(plan, pass, queued.BatchId, ct);
        await transaction.CommitAsync(ct);
        if (queued.Queued > 0)
        {
            signal.Nudge();
        }

        LogPass(pass.Id, plan.ThroughRunId, plan.FollowsEvaluated, queued.Queued, plan.UsersHeld, watch.Elapsed.TotalMilliseconds);
        return new TrackedAlertRunResult(pass.Id, plan.ThroughRunId, plan.FollowsEvaluated, queued.Queued, plan.UsersHeld, watch.Elapsed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tracked-offer alert pass {PassId} (through import run {RunId}): {Follows} follows evaluated, {Queued} alerts queued, {Held} users held until later, {Ms:0} ms")]
    private partial void LogPass(long passId, long? runId, int follows, int queued, int held, double ms);
}

/// <summary>
/// Runs an alert pass as soon as an import run completes in this process (the scheduled sync, /syncnow, the sandbox). Only
/// a nudge: a failure is logged and the periodic <c>TrackedAlertJob</c> catches up, as it does for runs completed by the
/// import command or while the bot was down.
/// </summary>
public sealed partial class TrackedAlertObserver(IServiceScopeFactory scopes, ILogger<TrackedAlertObserver> logger) : IImportRunObserver
{
    public async Task RunCompletedAsync(long runId, int campaignYear, IReadOnlyList<long> changedOffers, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<TrackedAlertRun>().RunAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogFailed(ex, runId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tracked-offer alerts after import run {RunId} failed; the periodic pass will catch up")]
    private partial void LogFailed(Exception ex, long runId);
}
