using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Rendering;
using Abitly.Domain.Ranking;
using Abitly.Domain.Scoring;
using Microsoft.EntityFrameworkCore;
using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Services;

/// <summary>Whether an offer could be shown.</summary>
public enum OfferViewStatus
{
    Ok,
    NotFound,
    InvalidYear,
}

/// <summary>A rendered answer to an offer link: status, HTML text and inline keyboard.</summary>
public sealed record OfferView(OfferViewStatus Status, string Text, InlineKeyboardMarkup? Keyboard);

/// <summary>The data an offer view is built from, read in three queries (offer, applicants, grades).</summary>
public sealed record OfferSnapshot(
    Offer Offer,
    OfferAnalytics? Analytics,
    OfferApplications Applications,
    WebUser? WebUser,
    IReadOnlyList<UserGrade> Grades);

/// <summary>An offer's list prepared once per version: the budget competition for ranking and the score distribution.</summary>
public sealed record OfferApplications(BudgetCompetition Competition, int ActiveCount, IReadOnlyList<ScoreBucket> Distribution)
{
    public static OfferApplications Prepare(IReadOnlyCollection<RankedApplication> applications, int quotaPlaces)
    {
        var active = applications.Where(a => ApplicationStatuses.IsActive(a.Status)).ToList();
        return new OfferApplications(BudgetCompetition.From(applications, quotaPlaces), active.Count, ScoreBuckets.Build(active.Select(a => a.Score)));
    }
}

/// <summary>Builds the offer view: reads the offer, scores and ranks the linked applicant (pure rules), renders.</summary>
public sealed class OfferService(AbitlyDbContext db, AbitlySettings settings, OfferApplicationsCache applicationsCache)
{
    public async Task<OfferView> BuildOfferViewAsync(long offerId, int? linkYear, TelegramUser? user, CancellationToken ct)
    {
        if (linkYear is { } year && year != settings.CampaignYear)
        {
            return new OfferView(OfferViewStatus.InvalidYear, OfferViewRenderer.InvalidYear(year, settings.CampaignYear), null);
        }

        var snapshot = await LoadAsync(offerId, user?.WebUserId, ct);
        if (snapshot is null)
        {
            return new OfferView(OfferViewStatus.NotFound, OfferViewRenderer.NotFound(offerId, settings.CampaignYear), null);
        }

        if (snapshot.Offer.Year != settings.CampaignYear)
        {
            return new OfferView(OfferViewStatus.InvalidYear, OfferViewRenderer.InvalidYear(snapshot.Offer.Year, settings.CampaignYear), null);
        }

        var personal = snapshot.WebUser is null ? null : Evaluate(snapshot);
        return new OfferView(
            OfferViewStatus.Ok,
            OfferViewRenderer.Render(snapshot, personal),
            OfferViewRenderer.Keyboard(snapshot.Offer, linked: snapshot.WebUser is not null, settings.LinkWebUrl));
    }

    /// <summary>The offer's rows; null when no such offer is stored.</summary>
    public async Task<OfferSnapshot?> LoadAsync(long offerId, long? webUserId, CancellationToken ct)
    {
        var head = await db.Offers.AsNoTracking()
            .Where(o => o.Id == offerId)
            .Select(o => new
            {
                Offer = o,
                o.University,
                o.Speciality,
                o.Subjects,
                Analytics = db.OfferAnalytics.FirstOrDefault(a => a.OfferId == o.Id),
            })
            .FirstOrDefaultAsync(ct);
        if (head is null)
        {
            return null;
        }

        head.Offer.University = head.University;
        head.Offer.Speciality = head.Speciality;
        head.Offer.Subjects = head.Subjects;

        // Only what ranking needs, never the names; prepared once and reused while the offer's updated_at is unchanged.
        var applications = applicationsCache.Get(offerId, head.Offer.UpdatedAt);
        if (applications is null)
        {
            var rows = await db.Applicants.AsNoTracking()
                .Where(a => a.OfferId == offerId)
                .Select(a => new RankedApplication(a.Score, a.Priority, a.Status, a.Quota))
                .ToArrayAsync(ct);
            applications = OfferApplications.Prepare(rows, head.Offer.Quota1Places + head.Offer.Quota2Places);
            applicationsCache.Put(offerId, head.Offer.UpdatedAt, applications);
        }

        WebUser? webUser = null;
        IReadOnlyList<UserGrade> grades = [];
        if (webUserId is { } id)
        {
            webUser = await db.Users.AsNoTracking().Include(u => u.Grades).FirstOrDefaultAsync(u => u.Id == id, ct);
            grades = webUser?.Grades ?? [];
        }

        return new OfferSnapshot(head.Offer, head.Analytics, applications, webUser, grades);
    }

    /// <summary>The linked applicant's score and place for this offer (pure rules over the snapshot).</summary>
    public static PersonalResult Evaluate(OfferSnapshot snapshot)
    {
        var offer = snapshot.Offer;
        if (!offer.Subjects.Any(s => s.Slot is 1 or 2 or 3))
        {
            return new PersonalResult(null, null, null);   // weights not published yet: nothing to compute
        }

        var weights = WeightsOf(offer);
        var grades = ApplicantGrades.FromResults(snapshot.Grades.Select(g => new GradeResult(g.Subject, g.Score, g.Year)), offer.PreparatoryPointsApply);
        var outcome = CompetitiveScoreCalculator.Calculate(weights, grades);
        if (!outcome.HasScore)
        {
            return new PersonalResult(outcome, null, null);
        }

        var competition = snapshot.Applications.Competition;
        var rank = RankEstimator.Estimate(competition, outcome.Score.WithPriorityBonus, offer.BudgetPlaces);
        var rankOther = outcome.Score.PriorityBonusDiffers
            ? RankEstimator.Estimate(competition, outcome.Score.WithoutPriorityBonus, offer.BudgetPlaces)
            : null;
        return new PersonalResult(outcome, rank, rankOther);
    }

    public static OfferWeights WeightsOf(Offer offer) => new(
        offer.Year,
        offer.Subjects.FirstOrDefault(s => s.Slot == 1)?.Coefficient ?? 0m,
        offer.Subjects.FirstOrDefault(s => s.Slot == 2)?.Coefficient ?? 0m,
        offer.Subjects.FirstOrDefault(s => s.Slot == 3)?.Coefficient ?? 0m,
        offer.Subjects.Where(s => s.Slot == 4).ToDictionary(s => s.Subject, s => s.Coefficient),
        offer.Subjects.FirstOrDefault(s => s.Slot == 5)?.Coefficient,
        offer.RegionalCoefficient,
        offer.SectoralCoefficientApplies,
        offer.Speciality.Code,
        offer.Subjects.Where(s => s.MinScore is not null).GroupBy(s => s.Subject).ToDictionary(g => g.Key, g => g.First().MinScore!.Value));
}

/// <summary>The linked applicant's score for an offer and the place estimates (priority 1–2, and other priorities when different); no outcome when the offer has no weights.</summary>
public sealed record PersonalResult(ScoreOutcome? Outcome, RankEstimate? Rank, RankEstimate? RankOtherPriorities);

/// <summary>
/// The prepared lists of popular offers, kept per offer together with the offer's updated_at: an entry is
/// used only while the stored offer still has that updated_at, so it is never older than the offer.
/// </summary>
public sealed class OfferApplicationsCache
{
    private const int MaxOffers = 512;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, (DateTime UpdatedAt, OfferApplications Applications)> _entries = new();

    public OfferApplications? Get(long offerId, DateTime updatedAt) =>
        _entries.TryGetValue(offerId, out var entry) && entry.UpdatedAt == updatedAt ? entry.Applications : null;

    public void Put(long offerId, DateTime updatedAt, OfferApplications applications)
    {
        if (_entries.Count >= MaxOffers)
        {
            _entries.Clear();   // crude but bounded; a campaign has a few hundred popular offers at most
        }

        _entries[offerId] = (updatedAt, applications);
    }
}
