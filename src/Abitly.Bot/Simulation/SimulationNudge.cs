using Abitly.Bot.Import;
using Abitly.Bot.Scheduling;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Abitly.Bot.Simulation;

/// <summary>
/// After an import run in this process completes with changes, fires the simulation job now instead of at its next
/// catch-up. It only nudges: the job decides what is due, and a lost nudge costs at most a minute.
/// </summary>
public sealed partial class SimulationNudge(ISchedulerFactory schedulers, ILogger<SimulationNudge> logger) : IImportRunObserver
{
    public async Task RunCompletedAsync(long runId, int campaignYear, IReadOnlyList<long> changedOffers, CancellationToken ct)
    {
        try
        {
            var scheduler = await schedulers.GetScheduler(ct);
            await scheduler.TriggerJob(SimulationJob.Key, ct);
        }
        catch (Exception ex) when (ex is SchedulerException or InvalidOperationException)
        {
            LogNudgeFailed(ex, runId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not start the simulation after import run {RunId}; the catch-up will")]
    private partial void LogNudgeFailed(Exception ex, long runId);
}
