using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Microsoft.Extensions.Logging;

namespace Abitly.Bot.FanOuts;

/// <summary>/notifyOpenDaysUpdate: today's edited open days to the users whose filters match, each pair once a day.</summary>
public sealed class OpenDayUpdateRun(OpenDayUpdateService updates, NotificationFanOut fanOut, ILogger<OpenDayUpdateRun> logger)
{
    public async Task<RenderedMessage> RunAsync(CancellationToken ct)
    {
        var plan = await updates.PlanAsync(ct);
        var texts = plan.UpdatedDays.ToDictionary(d => d.Key, d => OpenDayRenderer.Update(d.Value));
        var notifications = plan.Matches
            .Select(m => new KeyedNotification(OpenDayUpdatePlan.Key(m), texts[m.OpenDayId], $"open-day {m.OpenDayId} update"))
            .ToList();
        var result = await fanOut.SendOnceAsync("open-day-updates", plan.Today, notifications, ct);
        logger.LogInformation("Open-day update: {Days} days updated today, {Matched} matches, {New} not sent before, {Sent} sent",
            plan.UpdatedDays.Count, plan.Matches.Count, plan.Matches.Count - result.AlreadySent, result.Send.Sent);
        return AdminRenderer.OpenDaysUpdateSummary(plan.Today, plan.UpdatedDays.Count, plan.Matches.Count, result.AlreadySent, result.Send);
    }
}
