using Abitly.Bot.Data;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Microsoft.Extensions.Logging;

namespace Abitly.Bot.FanOuts;

/// <summary>/notifyOpenDaysUpdate: today's edited open days to the users whose filters match, each pair once a day, through the outbox.</summary>
public sealed class OpenDayUpdateRun(OpenDayUpdateService updates, NotificationFanOut fanOut, ILogger<OpenDayUpdateRun> logger)
{
    public async Task<FanOutEnqueued> RunAsync(long adminChatId, CancellationToken ct)
    {
        var plan = await updates.PlanAsync(ct);
        var texts = plan.UpdatedDays.ToDictionary(d => d.Key, d => OpenDayRenderer.Update(d.Value));
        var notifications = plan.Matches
            .Select(m => new KeyedNotification(OpenDayUpdatePlan.Key(m), texts[m.OpenDayId], $"open-day {m.OpenDayId} update"))
            .ToList();
        var origin = new FanOutOrigin(adminChatId, (queued, already) => AdminRenderer.OpenDaysUpdateHeading(plan.Today, plan.UpdatedDays.Count, plan.Matches.Count, already));
        var result = await fanOut.EnqueueOnceAsync(FanOutKinds.OpenDayUpdate, plan.Today, notifications, origin, ct);
        logger.LogInformation("Open-day update: {Days} days updated today, {Matched} matches, {Queued} queued, {Already} sent earlier today",
            plan.UpdatedDays.Count, plan.Matches.Count, result.Queued, result.AlreadySent);
        return result;
    }
}
