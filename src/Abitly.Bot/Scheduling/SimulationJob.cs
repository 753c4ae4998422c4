using Abitly.Bot.Simulation;
using Quartz;

namespace Abitly.Bot.Scheduling;

/// <summary>
/// Runs the allocation simulation for import runs that need it (<see cref="SimulationRunner"/>). It fires once a minute to
/// catch up — a run completed while no bot was up, or by an import command in another process, or whose simulation's
/// owner died — and at once when an import in this process completes (<see cref="SimulationNudge"/>). Clustered Quartz
/// fires it on one instance at a time; the claim row makes a run simulated once even if two ever overlap.
/// </summary>
[DisallowConcurrentExecution]
public sealed class SimulationJob(IServiceScopeFactory scopes) : IJob
{
    public static readonly JobKey Key = new("allocation-simulation", "abitly");
    public static readonly TriggerKey TriggerKey = new("allocation-simulation-catch-up", "abitly");

    /// <summary>How often the catch-up looks for import runs without a finished simulation (one indexed query when none).</summary>
    public static readonly TimeSpan CatchUpInterval = TimeSpan.FromMinutes(1);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SimulationRunner>().RunPendingAsync(cancellationToken);
    }

    /// <summary>Adds the job and its catch-up trigger when absent (kept as they are otherwise, like the other jobs).</summary>
    public static async Task EnsureTriggerAsync(IScheduler scheduler, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        if (!await scheduler.Exists(Key, ct))
        {
            await scheduler.AddJob(JobBuilder.Create<SimulationJob>().WithIdentity(Key).StoreDurably().Build(), AddJobOptions.Replacing, ct);
        }

        if (await scheduler.Exists(TriggerKey, ct))
        {
            return;
        }

        // Missed firings are not worth repeating: the next one does all that is due.
        var trigger = TriggerBuilder.Create()
            .WithIdentity(TriggerKey)
            .ForJob(Key)
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(CatchUpInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
            .Build();
        await scheduler.ScheduleUnlessStoredAsync(trigger, ct);
    }
}
