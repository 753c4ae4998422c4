using Abitly.Bot.FanOuts;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Abitly.Bot.Scheduling;

/// <summary>The 07:00 Kyiv job: its own DI scope (it runs outside the update pipeline), then the daily reminder run.</summary>
[DisallowConcurrentExecution]
public sealed class DailyOpenDaysJob(IServiceScopeFactory scopes, ILogger<DailyOpenDaysJob> logger) : IJob
{
    public static readonly JobKey Key = new("daily-open-days", "abitly");
    public static readonly TriggerKey TriggerKey = new("daily-open-days-cron", "abitly");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var scope = scopes.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DailyReminderRun>().RunAsync(adminChatId: null, cancellationToken);
        logger.LogInformation(
            "Daily open-day job (scheduled {Scheduled:u}): {Queued} queued in fan-out {BatchId}, {Already} sent earlier today",
            context.ScheduledFireTimeUtc, result.Queued.Queued, result.Queued.BatchId, result.Queued.AlreadySent);
    }
}
