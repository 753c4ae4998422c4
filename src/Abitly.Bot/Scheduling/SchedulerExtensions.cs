using Quartz;

namespace Abitly.Bot.Scheduling;

/// <summary>Scheduling that tolerates several instances starting at once on one Quartz cluster.</summary>
public static class SchedulerExtensions
{
    /// <summary>
    /// Schedules a new trigger; when another instance starting at the same moment stored the same trigger first, that one
    /// stands (every instance builds it from the same settings).
    /// </summary>
    public static async Task ScheduleUnlessStoredAsync(this IScheduler scheduler, ITrigger trigger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        try
        {
            await scheduler.ScheduleJob(trigger, new ScheduleJobOptions(), ct);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Lost the race to another instance: its trigger is the same.
        }
    }
}
