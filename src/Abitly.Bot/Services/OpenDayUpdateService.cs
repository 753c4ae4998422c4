using Abitly.Bot.Data;

namespace Abitly.Bot.Services;

/// <summary>What today's update fan-out found: the open days edited today and every user whose filters match one.</summary>
public sealed record OpenDayUpdatePlan(DateOnly Today, IReadOnlyDictionary<int, OpenDayCard> UpdatedDays, IReadOnlyList<OpenDayMatch> Matches)
{
    /// <summary>The notification_log kind; ref_id is the open day id, for_date today's local date.</summary>
    public const string LogKind = "open_day_update";

    public static NotificationKey Key(OpenDayMatch match)
    {
        ArgumentNullException.ThrowIfNull(match);
        return new(match.TelegramUserId, LogKind, match.OpenDayId);
    }
}

/// <summary>/notifyOpenDaysUpdate: open days whose updated_at falls on today's local date, and the users whose filters match them.</summary>
public sealed class OpenDayUpdateService(OpenDayStore store, IOpenDayMatchQuery matches, LocalCalendar calendar)
{
    public async Task<OpenDayUpdatePlan> PlanAsync(CancellationToken ct)
    {
        var today = calendar.Today();
        var (from, to) = calendar.DayRangeUtc(today);
        var days = (await store.UpdatedWithinAsync(from, to, ct)).ToDictionary(d => d.Id, d => OpenDayService.Card(d, calendar));
        if (days.Count == 0)
        {
            return new OpenDayUpdatePlan(today, days, []);
        }

        // A day edited between the two queries may match without being loaded; it is left for the next run.
        var found = (await matches.FindAsync(from, to, ct)).Where(m => days.ContainsKey(m.OpenDayId)).ToList();
        return new OpenDayUpdatePlan(today, days, found);
    }
}
