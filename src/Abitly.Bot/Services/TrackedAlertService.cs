using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Domain.Tracking;

namespace Abitly.Bot.Services;

/// <summary>
/// When alerts may go out (the sandbox drops quiet hours and the limit, so a person sees the alert at once), and how often
/// the scheduled pass catches up on runs no nudge covered.
/// </summary>
public sealed record TrackedAlertOptions(AlertWindow Window, TimeSpan PollInterval)
{
    public static TrackedAlertOptions Default { get; } = new(AlertWindow.Default, TimeSpan.FromSeconds(30));
}

/// <summary>One offer's part of an alert: what the user was told, the standing now, and why it alerts.</summary>
public sealed record TrackedChange(TrackedOfferCard Offer, OfferStanding Told, OfferStanding Now, AlertTriggers Triggers);

/// <summary>One user's alert message: every followed offer with something to tell, in the order /tracked lists them.</summary>
public sealed record TrackedAlert(long TelegramUserId, IReadOnlyList<TrackedChange> Changes);

/// <summary>
/// What one alert pass decided: the messages to queue now, the new states (told, held, seen) of the follows whose state
/// changed, how many follows it looked at, the run it covers. <see cref="IsEmpty"/> when there is nothing to record (no
/// new run, no follow looked at).
/// </summary>
public sealed record TrackedAlertPlan(
    long? ThroughRunId,
    DateOnly Day,
    IReadOnlyList<TrackedAlert> Alerts,
    IReadOnlyList<TrackedOffer> States,
    int FollowsEvaluated,
    int UsersHeld)
{
    public bool IsEmpty => ThroughRunId is null && FollowsEvaluated == 0;
}

/// <summary>
/// The tracked-offer alert pass as data. For every follower of every offer changed since the last processed run, and for
/// every held change now due, it computes the standing now by the offer view's rules (<see cref="OfferStandings"/>),
/// diffs it against the told standing with the user's preference (<see cref="StandingDiff"/>), and decides per user —
/// quiet hours and the daily limit (<see cref="AlertSchedule"/>) — whether one message goes now or the changes wait.
/// The told standing moves only with a queued message, so what waits is diffed again when it falls due and merges with
/// anything newer. Set-based: a handful of queries whatever the number of followers.
/// </summary>
public sealed class TrackedAlertService(TrackedOfferStore store, AbitlySettings settings, LocalCalendar calendar, TrackedAlertOptions options, TimeProvider time)
{
    /// <summary>The notification_log kind and outbox kind of alerts; the claim's ref_id is the pass id.</summary>
    public const string LogKind = FanOutKinds.TrackedAlert;

    /// <summary>The pass's transaction, holding the pass lock (one pass at a time across instances).</summary>
    public Task<AlertPassTransaction> BeginAsync(CancellationToken ct) => store.BeginAlertPassAsync(ct);

    /// <summary>Decides the pass (call inside <see cref="BeginAsync"/>'s transaction).</summary>
    public async Task<TrackedAlertPlan> PlanAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var nowUtc = now.UtcDateTime;
        var day = AlertSchedule.LocalDay(now, calendar.Zone);
        var watermark = await store.AlertWatermarkAsync(ct);
        var latest = await store.LatestCompletedRunAsync(settings.CampaignYear, ct);
        long? throughRun = latest is { } l && (watermark is null || l > watermark) ? l : null;
        // Offers changed by any run after the marker (a failed run's committed offers included) up to the newest completed one.
        var candidates = await store.AlertCandidatesAsync(settings.CampaignYear, throughRun is null ? null : watermark ?? 0, nowUtc, ct);
        if (candidates.Count == 0)
        {
            return new TrackedAlertPlan(throughRun, day, [], [], 0, 0);
        }

        var offers = await store.OffersAsync([.. candidates.Select(c => c.Follow.OfferId).Distinct()], ct);
        var competitions = await store.BudgetCompetitionsAsync(offers, ct);
        var grades = await store.GradesAsync([.. candidates.Select(c => c.WebUserId).OfType<long>().Distinct()], ct);
        var states = new List<(TrackedOffer Before, TrackedOffer After)>(candidates.Count);
        var triggered = new Dictionary<long, List<(TrackedOffer State, TrackedChange Change)>>();
        foreach (var candidate in candidates.OrderBy(c => c.Follow.CreatedAt).ThenBy(c => c.Follow.OfferId))
        {
            var follow = candidate.Follow;
            var offer = offers[follow.OfferId];
            var userGrades = candidate.WebUserId is { } webUser ? grades.GetValueOrDefault(webUser) ?? [] : null;
            var standing = OfferStandings.Of(offer, competitions[offer.Id], userGrades);
            var state = follow.Copy();
            if (candidate.OfferChanged && standing.Personal?.Place != follow.SeenPlace)
            {
                // /tracked's "since the previous run": only a place that moved has a "before" worth showing.
                (state.PreviousPlace, state.SeenPlace, state.SeenRunId) = (follow.SeenPlace, standing.Personal?.Place, throughRun);
            }

            var told = follow.Told;
            var triggers = StandingDiff.Compare(told, standing, candidate.Preference);
            if (triggers != AlertTriggers.None)
            {
                if (!triggered.TryGetValue(follow.TelegramUserId, out var list))
                {
                    triggered[follow.TelegramUserId] = list = [];
                }

                list.Add((state, new TrackedChange(TrackingService.Card(offer), told, standing, triggers)));
            }
            else
            {
                // Nothing to tell (any more): what was held has gone back, or never was.
                state.DueAt = null;
                if (StandingDiff.Rebaseline(told, standing) is { } baseline)
                {
                    state.Tell(baseline, follow.ToldAt);
                }
            }

            states.Add((follow, state));
        }

        var alerts = new List<TrackedAlert>();
        var held = 0;
        var sentToday = triggered.Count == 0 ? [] : await store.AlertsOnDayAsync(triggered.Keys, LogKind, day, ct);
        foreach (var (user, changes) in triggered)
        {
            if (AlertSchedule.HoldUntil(now, sentToday.GetValueOrDefault(user), options.Window, calendar.Zone) is { } due)
            {
                held++;
                foreach (var (state, _) in changes)
                {
                    state.DueAt = due.UtcDateTime;
                }

                continue;
            }

            foreach (var (state, change) in changes)
            {
                state.Tell(change.Now, nowUtc);
                state.DueAt = null;
            }

            alerts.Add(new TrackedAlert(user, [.. changes.Select(c => c.Change)]));
        }

        // Only the follows whose state moved are written back: most of a large run's followers have nothing new.
        return new TrackedAlertPlan(throughRun, day, alerts, [.. states.Where(s => !s.After.SameStateAs(s.Before)).Select(s => s.After)], candidates.Count, held);
    }

    /// <summary>Records the pass; its id is what each of its alerts is claimed under.</summary>
    public Task<TrackedAlertPass> RecordAsync(TrackedAlertPlan plan, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return store.AddPassAsync(new TrackedAlertPass
        {
            ThroughRunId = plan.ThroughRunId,
            Day = plan.Day,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            FollowsEvaluated = plan.FollowsEvaluated,
            UsersAlerted = plan.Alerts.Count,
            UsersHeld = plan.UsersHeld,
        }, ct);
    }

    /// <summary>Writes the follows' new states and the pass's batch, in the pass's transaction.</summary>
    public async Task CompleteAsync(TrackedAlertPlan plan, TrackedAlertPass pass, long? fanOutBatchId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(pass);
        await store.WriteStatesAsync(plan.States, ct);
        pass.FanOutBatchId = fanOutBatchId;
        await store.SavePassAsync(ct);
    }
}
