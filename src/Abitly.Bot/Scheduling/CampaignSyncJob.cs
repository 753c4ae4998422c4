using Abitly.Bot.Configuration;
using Abitly.Bot.Import;
using Abitly.Domain.OpenDays;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Abitly.Bot.Scheduling;

/// <summary>
/// The scheduled sync: imports IMPORT_SOURCE on IMPORT_CRON. Clustered Quartz fires it on one instance at a time, and
/// the import lock keeps it from overlapping an import started by hand.
/// </summary>
[DisallowConcurrentExecution]
public sealed class CampaignSyncJob(IServiceScopeFactory scopes, AbitlySettings settings, ILogger<CampaignSyncJob> logger) : IJob
{
    public static readonly JobKey Key = new("campaign-sync", "abitly");
    public static readonly TriggerKey TriggerKey = new("campaign-sync-cron", "abitly");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (settings.ImportSource is not { } source)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<CampaignImporter>().ImportAsync(new ImportRequest(source, "sync"), cancellationToken);
        if (report.Outcome is ImportOutcome.Failed or ImportOutcome.Refused)
        {
            logger.LogWarning("Scheduled sync run {RunId} {Outcome}: {Message}", report.RunId, report.Outcome, report.Message);
        }
    }

    /// <summary>Adds, updates or removes the sync trigger to match IMPORT_SOURCE and IMPORT_CRON.</summary>
    public static async Task EnsureTriggerAsync(IScheduler scheduler, AbitlySettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ImportSource is null)
        {
            await scheduler.DeleteJob(Key, ct);
            return;
        }

        var zone = OpenDayZone.Resolve(settings.TimeZoneId);
        if (!await scheduler.Exists(Key, ct))
        {
            await scheduler.AddJob(JobBuilder.Create<CampaignSyncJob>().WithIdentity(Key).StoreDurably().Build(), AddJobOptions.Replacing, ct);
        }

        if (await scheduler.GetTrigger(TriggerKey, ct) is ICronTrigger existing && existing.CronExpressionString == settings.ImportCron && existing.TimeZone.Id == zone.Id)
        {
            return;
        }

        // A missed sync is not worth catching up on: the next one reads the newest lists anyway.
        var trigger = TriggerBuilder.Create()
            .WithIdentity(TriggerKey)
            .ForJob(Key)
            .WithCronSchedule(settings.ImportCron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
            .Build();
        if (await scheduler.Exists(TriggerKey, ct))
        {
            await scheduler.RescheduleJob(TriggerKey, trigger, ct);
        }
        else
        {
            await scheduler.ScheduleUnlessStoredAsync(trigger, ct);
        }
    }
}
