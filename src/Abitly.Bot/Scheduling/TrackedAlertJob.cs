using Abitly.Bot.Configuration;
using Abitly.Bot.FanOuts;
using Abitly.Domain.OpenDays;
using Quartz;

namespace Abitly.Bot.Scheduling;

/// <summary>
/// The tracked-offer alert pass on a schedule: every poll interval (30 s) it catches up on completed import runs no
/// pass has covered (one completed by the import command, or while the bot was down, or whose importer died before its
/// nudge) and sends held changes that fell due; at 08:00 local it also fires on the dot, when the quiet hours end.
/// Clustered Quartz fires it on one instance, and the pass lock keeps it from overlapping an importer's nudge.
/// </summary>
[DisallowConcurrentExecution]
public sealed class TrackedAlertJob(IServiceScopeFactory scopes) : IJob
{
    public static readonly JobKey Key = new("tracked-alerts", "abitly");
    public static readonly TriggerKey PollTriggerKey = new("tracked-alerts-poll", "abitly");
    public static readonly TriggerKey MorningTriggerKey = new("tracked-alerts-0800", "abitly");

    /// <summary>When quiet hours end (the held alerts' time).</summary>
    public const string MorningCron = "0 0 8 * * ?";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TrackedAlertRun>().RunAsync(cancellationToken);
    }

    /// <summary>Adds the job and its two triggers, or updates them when the schedule or zone changed.</summary>
    public static async Task EnsureTriggersAsync(IScheduler scheduler, AbitlySettings settings, TimeSpan pollInterval, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(settings);
        if (!await scheduler.Exists(Key, ct))
        {
            await scheduler.AddJob(JobBuilder.Create<TrackedAlertJob>().WithIdentity(Key).StoreDurably().Build(), AddJobOptions.Replacing, ct);
        }

        if (await scheduler.GetTrigger(PollTriggerKey, ct) is not ISimpleTrigger { } poll || poll.RepeatInterval != pollInterval)
        {
            // A missed poll needs no catching up: the next one covers everything.
            var trigger = TriggerBuilder.Create().WithIdentity(PollTriggerKey).ForJob(Key).StartNow()
                .WithSimpleSchedule(s => s.WithInterval(pollInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
                .Build();
            if (await scheduler.Exists(PollTriggerKey, ct))
            {
                await scheduler.RescheduleJob(PollTriggerKey, trigger, ct);
            }
            else
            {
                await scheduler.ScheduleUnlessStoredAsync(trigger, ct);
            }
        }

        var zone = OpenDayZone.Resolve(settings.TimeZoneId);
        if (await scheduler.GetTrigger(MorningTriggerKey, ct) is ICronTrigger existing && existing.TimeZone.Id == zone.Id)
        {
            return;
        }

        var morning = TriggerBuilder.Create().WithIdentity(MorningTriggerKey).ForJob(Key)
            .WithCronSchedule(MorningCron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
            .Build();
        if (await scheduler.Exists(MorningTriggerKey, ct))
        {
            await scheduler.RescheduleJob(MorningTriggerKey, morning, ct);
        }
        else
        {
            await scheduler.ScheduleUnlessStoredAsync(morning, ct);
        }
    }
}
