using Abitly.Domain.Ranking;
using Abitly.Domain.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Abitly.Bot.Data;

/// <summary>A follow with its offer's head (university, speciality, weights), for /tracked.</summary>
public sealed record FollowedOffer(TrackedOffer Follow, Offer Offer);

/// <summary>A follow the alert pass looks at: the row, the user's link and preference, and whether the pass's runs changed its offer.</summary>
public sealed record AlertCandidate(TrackedOffer Follow, long? WebUserId, AlertPreference Preference, bool OfferChanged);

/// <summary>An offer's cut-off after its newest and its previous snapshot, and the run of the newest.</summary>
public sealed record CutOffChange(long OfferId, long RunId, decimal? CutOff, decimal? PreviousCutOff, bool HasPrevious);

/// <summary>
/// tracked_offers, tracking_preferences and tracked_alert_passes, and the set-based reads of an alert pass: the candidate
/// follows in one query, the offers' heads in one, their budget competitions streamed in one, the grades in one.
/// </summary>
public sealed class TrackedOfferStore(AbitlyDbContext db, ITrackedOfferWrites writes)
{
    public Task<bool> IsFollowingAsync(long telegramUserId, long offerId, CancellationToken ct) =>
        db.TrackedOffers.AnyAsync(t => t.TelegramUserId == telegramUserId && t.OfferId == offerId, ct);

    /// <summary>How many offers of <paramref name="year"/> the user follows.</summary>
    public Task<int> CountAsync(long telegramUserId, int year, CancellationToken ct) =>
        db.TrackedOffers.CountAsync(t => t.TelegramUserId == telegramUserId && db.Offers.Any(o => o.Id == t.OfferId && o.Year == year), ct);

    /// <summary>Adds the follow (the caller checked it is not there; the update's transaction makes it so).</summary>
    public async Task AddAsync(TrackedOffer follow, CancellationToken ct)
    {
        db.TrackedOffers.Add(follow);
        await db.SaveChangesAsync(ct);
        db.Entry(follow).State = EntityState.Detached;
    }

    /// <summary>Removes a follow; false when there was none.</summary>
    public async Task<bool> RemoveAsync(long telegramUserId, long offerId, CancellationToken ct) =>
        await db.TrackedOffers.Where(t => t.TelegramUserId == telegramUserId && t.OfferId == offerId).ExecuteDeleteAsync(ct) > 0;

    /// <summary>Removes the user's follows of offers of other campaign years; returns how many.</summary>
    public Task<int> RemoveOtherYearsAsync(long telegramUserId, int year, CancellationToken ct) =>
        db.TrackedOffers.Where(t => t.TelegramUserId == telegramUserId && db.Offers.Any(o => o.Id == t.OfferId && o.Year != year)).ExecuteDeleteAsync(ct);

    /// <summary>The user's follows of <paramref name="year"/>, oldest first, each with its offer's head.</summary>
    public async Task<List<FollowedOffer>> FollowedAsync(long telegramUserId, int year, CancellationToken ct)
    {
        var rows = await db.TrackedOffers.AsNoTracking()
            .Where(t => t.TelegramUserId == telegramUserId)
            .Join(db.Offers.Where(o => o.Year == year), t => t.OfferId, o => o.Id, (t, o) => new { Follow = t, Offer = o, o.University, o.Speciality, o.Subjects })
            .OrderBy(r => r.Follow.CreatedAt).ThenBy(r => r.Follow.OfferId)
            .ToListAsync(ct);
        return [.. rows.Select(r =>
        {
            (r.Offer.University, r.Offer.Speciality, r.Offer.Subjects) = (r.University, r.Speciality, r.Subjects);
            return new FollowedOffer(r.Follow, r.Offer);
        })];
    }

    public async Task<AlertPreference> PreferenceAsync(long telegramUserId, CancellationToken ct) =>
        await db.TrackingPreferences.AsNoTracking().Where(p => p.TelegramUserId == telegramUserId)
            .Select(p => new AlertPreference(p.Mode, p.PlaceThreshold)).FirstOrDefaultAsync(ct) ?? AlertPreference.Default;

    public async Task SavePreferenceAsync(long telegramUserId, AlertPreference preference, DateTime nowUtc, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(preference);
        var row = await db.TrackingPreferences.FirstOrDefaultAsync(p => p.TelegramUserId == telegramUserId, ct);
        if (row is null)
        {
            row = new TrackingPreference { TelegramUserId = telegramUserId };
            db.TrackingPreferences.Add(row);
        }

        (row.Mode, row.PlaceThreshold, row.UpdatedAt) = (preference.Mode, preference.PlaceThreshold, nowUtc);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Writes follows' told and seen columns and due times (bulk on PostgreSQL).</summary>
    public Task WriteStatesAsync(IReadOnlyList<TrackedOffer> states, CancellationToken ct) => writes.WriteStatesAsync(states, ct);

    /// <summary>The newest completed import run of <paramref name="year"/>: the data version of the campaign.</summary>
    public Task<long?> LatestCompletedRunAsync(int year, CancellationToken ct) =>
        db.ImportRuns.Where(r => r.CampaignYear == year && r.Status == ImportRunStatus.Completed).MaxAsync(r => (long?)r.Id, ct);

    /// <summary>Each offer's newest snapshot's cut-off and the one before it (the change since the previous run).</summary>
    public async Task<Dictionary<long, CutOffChange>> CutOffChangesAsync(IReadOnlyCollection<long> offerIds, CancellationToken ct)
    {
        var ids = offerIds.ToArray();
        var rows = await db.OfferSnapshots.AsNoTracking()
            .Where(s => ids.Contains(s.OfferId))
            .Select(s => new { s.OfferId, s.ImportRunId, s.CutOff })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.OfferId).ToDictionary(g => g.Key, g =>
        {
            var newest = g.OrderByDescending(r => r.ImportRunId).Take(2).ToList();
            return new CutOffChange(g.Key, newest[0].ImportRunId, newest[0].CutOff, newest.Count > 1 ? newest[1].CutOff : null, newest.Count > 1);
        });
    }

    // ---- The alert pass ----

    /// <summary>
    /// Opens the pass's transaction and takes the pass lock, so passes on every instance (and the importer's nudge) run
    /// one at a time; the lock ends with the transaction.
    /// </summary>
    public async Task<AlertPassTransaction> BeginAlertPassAsync(CancellationToken ct)
    {
        var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var held = await writes.LockAlertPassesAsync(ct);
            return new AlertPassTransaction(transaction, held);
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>The newest run an earlier pass covered (the processed marker); null before the first.</summary>
    public Task<long?> AlertWatermarkAsync(CancellationToken ct) =>
        db.TrackedAlertPasses.MaxAsync(p => p.ThroughRunId, ct);

    /// <summary>
    /// The follows a pass looks at, in two queries: of offers of <paramref name="year"/> that a run after
    /// <paramref name="changedAfterRun"/> changed (none when null), or whose held changes are due by <paramref name="nowUtc"/>;
    /// never of users who blocked the bot.
    /// </summary>
    public async Task<List<AlertCandidate>> AlertCandidatesAsync(int year, long? changedAfterRun, DateTime nowUtc, CancellationToken ct)
    {
        // The changed offers first (at most the year's offers), so the follows' filter is a plain list or a due time
        // (each with its index) rather than a subquery per follow.
        long[] changed = changedAfterRun is { } after
            ? [.. await db.Offers.Where(o => o.Year == year && o.ImportRunId > after).Select(o => o.Id).ToListAsync(ct)]
            : [];
        var rows = await (
            from t in db.TrackedOffers.AsNoTracking()
            where changed.Contains(t.OfferId) || t.DueAt <= nowUtc
            join o in db.Offers on t.OfferId equals o.Id
            join u in db.TelegramUsers on t.TelegramUserId equals u.Id
            where o.Year == year && u.BlockedAt == null
            join p in db.TrackingPreferences on t.TelegramUserId equals p.TelegramUserId into preferences
            from p in preferences.DefaultIfEmpty()
            select new
            {
                Follow = t,
                u.WebUserId,
                Mode = p == null ? (AlertMode?)null : p.Mode,
                Threshold = p == null ? 0 : p.PlaceThreshold,
            }).ToListAsync(ct);
        var changedSet = changed.ToHashSet();
        var preferencesByValue = new Dictionary<(AlertMode, int), AlertPreference>();
        return [.. rows.Select(r => new AlertCandidate(
            r.Follow,
            r.WebUserId,
            r.Mode is { } mode ? Preference(mode, r.Threshold) : AlertPreference.Default,
            changedSet.Contains(r.Follow.OfferId)))];

        // A handful of distinct preferences among many follows: one object each.
        AlertPreference Preference(AlertMode mode, int threshold) =>
            preferencesByValue.TryGetValue((mode, threshold), out var known) ? known : preferencesByValue[(mode, threshold)] = new AlertPreference(mode, threshold);
    }

    /// <summary>Offers with their university, speciality and weights, by id, in one query.</summary>
    public async Task<Dictionary<long, Offer>> OffersAsync(IReadOnlyCollection<long> offerIds, CancellationToken ct)
    {
        var ids = offerIds.ToArray();
        var rows = await db.Offers.AsNoTracking().Where(o => ids.Contains(o.Id))
            .Select(o => new { Offer = o, o.University, o.Speciality, o.Subjects })
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.Offer.Id, r =>
        {
            (r.Offer.University, r.Offer.Speciality, r.Offer.Subjects) = (r.University, r.Speciality, r.Subjects);
            return r.Offer;
        });
    }

    /// <summary>
    /// The budget competitions of the offers by the one cut-off rule, from one streamed query over their lists: only
    /// budget applications with a score are read (the rule ignores the rest), one offer's rows in memory at a time.
    /// </summary>
    public async Task<Dictionary<long, BudgetCompetition>> BudgetCompetitionsAsync(IReadOnlyDictionary<long, Offer> offers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(offers);
        var ids = offers.Keys.ToArray();
        var competitions = new Dictionary<long, BudgetCompetition>(ids.Length);
        var rows = db.Applicants.AsNoTracking()
            .Where(a => ids.Contains(a.OfferId) && a.Score != null && a.Priority >= 1 && a.Priority <= RankEstimator.MaxBudgetPriority)
            .OrderBy(a => a.OfferId)
            .Select(a => new { a.OfferId, a.Score, a.Priority, a.Status, a.Quota })
            .AsAsyncEnumerable();
        var current = -1L;
        var list = new List<RankedApplication>();
        await foreach (var row in rows.WithCancellation(ct))
        {
            if (row.OfferId != current)
            {
                Flush();
                current = row.OfferId;
            }

            list.Add(new RankedApplication(row.Score, row.Priority, row.Status, row.Quota));
        }

        Flush();
        foreach (var offer in offers.Values.Where(o => !competitions.ContainsKey(o.Id)))
        {
            competitions[offer.Id] = BudgetCompetition.From([], Seats(offer));   // an empty list (or every application gone)
        }

        return competitions;

        void Flush()
        {
            if (list.Count > 0)
            {
                competitions[current] = BudgetCompetition.From(list, Seats(offers[current]));
                list.Clear();
            }
        }
    }

    /// <summary>The NMT results of web users, by user, in one query.</summary>
    public async Task<Dictionary<long, List<UserGrade>>> GradesAsync(IReadOnlyCollection<long> webUserIds, CancellationToken ct)
    {
        var ids = webUserIds.ToArray();
        var grades = await db.UserGrades.AsNoTracking().Where(g => ids.Contains(g.UserId)).ToListAsync(ct);
        return grades.GroupBy(g => g.UserId).ToDictionary(g => g.Key, g => g.ToList());
    }

    /// <summary>Alert messages claimed for each of the users on <paramref name="day"/> (the daily limit).</summary>
    public async Task<Dictionary<long, int>> AlertsOnDayAsync(IReadOnlyCollection<long> telegramUserIds, string kind, DateOnly day, CancellationToken ct)
    {
        var ids = telegramUserIds.ToArray();
        return await db.NotificationLog.AsNoTracking()
            .Where(l => l.Kind == kind && l.ForDate == day && ids.Contains(l.TelegramUserId))
            .GroupBy(l => l.TelegramUserId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
    }

    /// <summary>Records a pass (its id is the claim reference of its alerts).</summary>
    public async Task<TrackedAlertPass> AddPassAsync(TrackedAlertPass pass, CancellationToken ct)
    {
        db.TrackedAlertPasses.Add(pass);
        await db.SaveChangesAsync(ct);
        return pass;
    }

    /// <summary>Saves changes to a pass recorded with <see cref="AddPassAsync"/>.</summary>
    public Task SavePassAsync(CancellationToken ct) => db.SaveChangesAsync(ct);

    private static BudgetSeats Seats(Offer offer) => new(offer.BudgetPlaces, offer.Quota1Places, offer.Quota2Places);
}

/// <summary>An alert pass's transaction and lock: commit to make its claims, outbox rows and told states real at once.</summary>
public sealed class AlertPassTransaction(IDbContextTransaction transaction, IAsyncDisposable held) : IAsyncDisposable
{
    public Task CommitAsync(CancellationToken ct) => transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await held.DisposeAsync();
    }
}
