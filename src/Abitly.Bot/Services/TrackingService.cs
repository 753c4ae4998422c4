using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Domain.Tracking;

namespace Abitly.Bot.Services;

/// <summary>What a follow press did.</summary>
public enum TrackOutcome
{
    Followed,
    AlreadyFollowing,
    /// <summary>The user follows <see cref="TrackingService.MaxFollows"/> offers of the campaign already.</summary>
    LimitReached,
    /// <summary>The offer belongs to another campaign year (a stale button after the roll-over, or an old offer).</summary>
    OtherYear,
    Withdrawn,
    NotFound,
}

/// <summary>An offer as the tracked-offer messages name it.</summary>
public sealed record TrackedOfferCard(long OfferId, string University, string SpecialityCode, string ProgramName);

/// <summary>
/// One line of /tracked: the offer, its standing now, and the change since the previous run (null when the offer did not
/// change in the newest run, or it is not known).
/// </summary>
public sealed record TrackedEntry(TrackedOfferCard Offer, OfferStanding Now, int? PreviousPlace, decimal? CutOffChange, bool ChangedInLatestRun);

/// <summary>/tracked as data: the followed offers of the campaign year, the preference, and what the roll-over dropped.</summary>
public sealed record TrackedList(IReadOnlyList<TrackedEntry> Entries, AlertPreference Preference, bool Linked, int CampaignYear, int DroppedOtherYears);

/// <summary>Following offers, /tracked and the alert preference (the alerts themselves: <see cref="TrackedAlertService"/>).</summary>
public sealed class TrackingService(TrackedOfferStore store, OfferQueries offers, OfferService offerService, WebUserQueries webUsers, AbitlySettings settings, TimeProvider time)
{
    /// <summary>How many offers of the campaign one user may follow.</summary>
    public const int MaxFollows = 20;

    /// <summary>
    /// Follows <paramref name="offerId"/>: the offer must be of the campaign year and not withdrawn, and the user below the
    /// limit. The told standing starts as the standing now (what the offer view shows the user), so the first alert
    /// reports changes after the press.
    /// </summary>
    public async Task<TrackOutcome> FollowAsync(TelegramUser user, long offerId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var head = await offers.GetHeadAsync(offerId, ct);
        if (head is null)
        {
            return TrackOutcome.NotFound;
        }

        var offer = head.Offer;
        if (offer.Year != settings.CampaignYear)
        {
            return TrackOutcome.OtherYear;
        }

        if (await store.IsFollowingAsync(user.Id, offerId, ct))
        {
            return TrackOutcome.AlreadyFollowing;
        }

        if (offer.WithdrawnAt is not null)
        {
            return TrackOutcome.Withdrawn;
        }

        if (await store.CountAsync(user.Id, settings.CampaignYear, ct) >= MaxFollows)
        {
            return TrackOutcome.LimitReached;
        }

        var grades = await GradesAsync(user, ct);
        var standing = OfferStandings.Of(offer, (await offerService.PreparedApplicationsAsync(offer, ct)).Competition, grades);
        var now = time.GetUtcNow().UtcDateTime;
        var follow = new TrackedOffer
        {
            TelegramUserId = user.Id,
            OfferId = offerId,
            CreatedAt = now,
            SeenRunId = await store.LatestCompletedRunAsync(settings.CampaignYear, ct),
            SeenPlace = standing.Personal?.Place,
        };
        follow.Tell(standing, now);
        await store.AddAsync(follow, ct);
        return TrackOutcome.Followed;
    }

    /// <summary>Stops following; false when the user did not follow it.</summary>
    public Task<bool> UnfollowAsync(long telegramUserId, long offerId, CancellationToken ct) => store.RemoveAsync(telegramUserId, offerId, ct);

    /// <summary>
    /// The followed offers with their standings now. Follows of other campaign years are removed here (the roll-over): they
    /// stopped alerting when the year changed, and the list says how many went.
    /// </summary>
    public async Task<TrackedList> GetListAsync(TelegramUser user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var dropped = await store.RemoveOtherYearsAsync(user.Id, settings.CampaignYear, ct);
        var followed = await store.FollowedAsync(user.Id, settings.CampaignYear, ct);
        var grades = await GradesAsync(user, ct);
        var latestRun = await store.LatestCompletedRunAsync(settings.CampaignYear, ct);
        var cutOffs = await store.CutOffChangesAsync([.. followed.Select(f => f.Offer.Id)], ct);
        var entries = new List<TrackedEntry>(followed.Count);
        foreach (var (follow, offer) in followed)
        {
            var now = OfferStandings.Of(offer, (await offerService.PreparedApplicationsAsync(offer, ct)).Competition, grades);
            var cutOff = cutOffs.GetValueOrDefault(offer.Id);
            var changedInLatest = latestRun is not null && cutOff?.RunId == latestRun;
            decimal? cutOffChange = changedInLatest && cutOff!.HasPrevious && cutOff.CutOff is { } a && cutOff.PreviousCutOff is { } b ? a - b : null;
            var previousPlace = changedInLatest && follow.SeenRunId == latestRun ? follow.PreviousPlace : null;
            entries.Add(new TrackedEntry(Card(offer), now, previousPlace, cutOffChange, changedInLatest));
        }

        return new TrackedList(entries, await store.PreferenceAsync(user.Id, ct), grades is not null, settings.CampaignYear, dropped);
    }

    public Task<AlertPreference> GetPreferenceAsync(long telegramUserId, CancellationToken ct) => store.PreferenceAsync(telegramUserId, ct);

    /// <summary>
    /// Sets the mode. Turning alerts back on starts from the standings now (nothing stored up while they were off floods
    /// in); turning them off drops what was held.
    /// </summary>
    public async Task<AlertPreference> SetModeAsync(TelegramUser user, AlertMode mode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var before = await store.PreferenceAsync(user.Id, ct);
        var after = before with { Mode = mode };
        if (after == before)
        {
            return before;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await store.SavePreferenceAsync(user.Id, after, now, ct);
        if (before.Mode == AlertMode.Off || mode == AlertMode.Off)
        {
            var grades = await GradesAsync(user, ct);
            var states = new List<TrackedOffer>();
            foreach (var (follow, offer) in await store.FollowedAsync(user.Id, settings.CampaignYear, ct))
            {
                var state = follow.Copy();
                state.DueAt = null;
                if (before.Mode == AlertMode.Off)
                {
                    state.Tell(OfferStandings.Of(offer, (await offerService.PreparedApplicationsAsync(offer, ct)).Competition, grades), now);
                }

                states.Add(state);
            }

            await store.WriteStatesAsync(states, ct);
        }

        return after;
    }

    /// <summary>Sets the place threshold (one of <see cref="AlertPreference.Thresholds"/>).</summary>
    public async Task<AlertPreference> SetThresholdAsync(long telegramUserId, int threshold, CancellationToken ct)
    {
        var before = await store.PreferenceAsync(telegramUserId, ct);
        if (!AlertPreference.Thresholds.Contains(threshold) || before.PlaceThreshold == threshold)
        {
            return before;
        }

        var after = before with { PlaceThreshold = threshold };
        await store.SavePreferenceAsync(telegramUserId, after, time.GetUtcNow().UtcDateTime, ct);
        return after;
    }

    /// <summary>The offer as tracked-offer messages name it.</summary>
    public static TrackedOfferCard Card(Offer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return new TrackedOfferCard(offer.Id, offer.University.ShortName, offer.Speciality.Code, offer.ProgramName);
    }

    private async Task<List<UserGrade>?> GradesAsync(TelegramUser user, CancellationToken ct) =>
        user.WebUserId is { } id && await webUsers.GetWithGradesAsync(id, ct) is { } webUser ? webUser.Grades : null;
}
