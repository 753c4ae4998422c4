using Abitly.Bot.Configuration;
using Abitly.Bot.Hosting;
using Abitly.Domain.OpenDays;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Abitly.Bot.Scheduling;

/// <summary>
/// Quartz on PostgreSQL (clustered, so several instances fire once): ensures the daily reminders' trigger, the campaign
/// sync's and the simulation's triggers and the tracked-offer alert pass's triggers exist and starts the scheduler after
/// the database check; shuts it down after receiving stops.
/// </summary>
public sealed class DailyScheduler(ISchedulerFactory factory, AbitlySettings settings, Services.TrackedAlertOptions trackedAlerts, ILogger<DailyScheduler> logger) : IRuntimeComponent
{
    /// <summary>A run missed by up to this much still fires once on start-up; an older one is skipped.</summary>
    public static readonly TimeSpan MisfireThreshold = TimeSpan.FromHours(1);

    private IScheduler? _scheduler;

    public async Task StartAsync(CancellationToken ct)
    {
        _scheduler = await factory.GetScheduler(ct);
        _scheduler.ListenerManager.AddTriggerListener(new MisfireLogger(logger));
        await EnsureDailyTriggerAsync(_scheduler, settings, ct);
        await CampaignSyncJob.EnsureTriggerAsync(_scheduler, settings, ct);
        await TrackedAlertJob.EnsureTriggersAsync(_scheduler, settings, trackedAlerts.PollInterval, ct);
        await SimulationJob.EnsureTriggerAsync(_scheduler, ct);
        var catchUp = await MissedRunWithinThresholdAsync(_scheduler, settings, DateTimeOffset.UtcNow, ct);
        await _scheduler.Start(ct);
        if (catchUp is { } missed)
        {
            logger.LogWarning("Daily run of {Missed:u} was missed while the scheduler was down for longer; running it now", missed);
            await _scheduler.TriggerJob(DailyOpenDaysJob.Key, new JobDataMap(), ct);
        }

        var next = (await _scheduler.GetTrigger(DailyOpenDaysJob.TriggerKey, ct))?.NextFireTimeUtc;
        logger.LogInformation("Scheduler started; next daily reminders at {Next:u}", next);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_scheduler is not null)
        {
            await _scheduler.Shutdown(waitForJobsToComplete: true, ct);
        }
    }

    /// <summary>
    /// After several missed days the stored next fire time is days old, so Quartz skips it as a misfire — and with
    /// it a run missed only minutes ago. Returns that recent run's time when it should still happen.
    /// </summary>
    public static async Task<DateTimeOffset?> MissedRunWithinThresholdAsync(IScheduler scheduler, AbitlySettings settings, DateTimeOffset now, CancellationToken ct)
    {
        if (await scheduler.GetTrigger(DailyOpenDaysJob.TriggerKey, ct) is not ICronTrigger { NextFireTimeUtc: { } next } || next >= now - MisfireThreshold)
        {
            return null;   // no trigger yet, or Quartz's own misfire rule covers it
        }

        var last = new CronExpression(settings.DailyJobCron, OpenDayZone.Resolve(settings.TimeZoneId)).GetPreviousValidTimeBefore(now);
        return last is { } run && run > next && now - run <= MisfireThreshold ? run : null;
    }

    /// <summary>
    /// Keeps an existing trigger with the same schedule as it is — replacing it on every start would forget
    /// a run missed while the process was down.
    /// </summary>
    public static async Task EnsureDailyTriggerAsync(IScheduler scheduler, AbitlySettings settings, CancellationToken ct)
    {
        var zone = OpenDayZone.Resolve(settings.TimeZoneId);
        var job = JobBuilder.Create<DailyOpenDaysJob>().WithIdentity(DailyOpenDaysJob.Key).StoreDurably().Build();
        if (!await scheduler.Exists(DailyOpenDaysJob.Key, ct))
        {
            await scheduler.AddJob(job, AddJobOptions.Replacing, ct);
        }

        if (await scheduler.GetTrigger(DailyOpenDaysJob.TriggerKey, ct) is ICronTrigger existing
            && existing.CronExpressionString == settings.DailyJobCron
            && existing.TimeZone.Id == zone.Id)
        {
            return;
        }

        var trigger = TriggerBuilder.Create()
            .WithIdentity(DailyOpenDaysJob.TriggerKey)
            .ForJob(DailyOpenDaysJob.Key)
            .WithCronSchedule(settings.DailyJobCron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
            .Build();
        if (await scheduler.Exists(DailyOpenDaysJob.TriggerKey, ct))
        {
            await scheduler.RescheduleJob(DailyOpenDaysJob.TriggerKey, trigger, ct);
        }
        else
        {
            await scheduler.ScheduleUnlessStoredAsync(trigger, ct);
        }
    }

    /// <summary>Quartz skips a run missed by more than the threshold; say so in the log.</summary>
    private sealed class MisfireLogger(ILogger logger) : ITriggerListener
    {
        public string Name => "abitly-misfire-logger";

        public ValueTask TriggerMisfired(ITrigger trigger, IScheduler scheduler, CancellationToken cancellationToken = default)
        {
            logger.LogWarning("Daily run of {Trigger} was missed by more than {Threshold}; skipped until the next scheduled time", trigger.Key, MisfireThreshold);
            return default;
        }
    }
}
