using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Domain.Ranking;
using Abitly.Domain.Scoring;

namespace Abitly.Bot.Services;

/// <summary>Whether an offer could be shown.</summary>
public enum OfferViewStatus
{
    Ok,
    NotFound,
    InvalidYear,
}

/// <summary>
/// The answer to an offer link as data: status, the offer and its list, and the linked applicant's result. A renderer turns
/// it into text and buttons. <see cref="OtherYear"/> is the year that did not match when the status is InvalidYear.
/// <see cref="Simulation"/> is the newest finished allocation simulation's word on the offer (and on the linked applicant);
/// <see cref="Tracked"/> says whether the user follows the offer (its ⭐ button).
/// </summary>
public sealed record OfferView(
    OfferViewStatus Status,
    long OfferId,
    int CampaignYear,
    int? OtherYear,
    OfferDetails? Details,
    PersonalResult? Personal,
    bool Linked,
    string? ProfileLinkUrl,
    SimulatedStanding? Simulation = null,
    bool Tracked = false)
{
    public static OfferView NotFound(long offerId, int campaignYear) => new(OfferViewStatus.NotFound, offerId, campaignYear, null, null, null, false, null);

    public static OfferView InvalidYear(long offerId, int campaignYear, int otherYear) =>
        new(OfferViewStatus.InvalidYear, offerId, campaignYear, otherYear, null, null, false, null);
}

/// <summary>What the view shows of an offer, its weights, analytics and list (never a name from the list).</summary>
public sealed record OfferDetails(
    long Id,
    int Year,
    string UniversityShortName,
    string UniversityName,
    string SpecialityCode,
    string SpecialityName,
    string ProgramName,
    string? Faculty,
    string EducationForm,
    string Degree,
    int? BudgetPlaces,
    int Quota1Places,
    int Quota2Places,
    int? LicenseVolume,
    IReadOnlyList<SubjectWeight> Weights,
    decimal RegionalCoefficient,
    bool SectoralCoefficientApplies,
    string? SourceUrl,
    OfferAnalyticsView? Analytics,
    int ActiveApplications,
    IReadOnlyList<ScoreBucket> Distribution,
    int? GeneralSeats = null,
    decimal? CutOff = null,
    CutOffTrend? Trend = null,
    DateTimeOffset? DataAsOfLocal = null,
    bool Withdrawn = false,
    string? ListVersion = null);

/// <summary>One weight of the offer's score formula.</summary>
public sealed record SubjectWeight(int Slot, string Subject, decimal Coefficient, decimal? MinScore);

/// <summary>The offer's stored analytics.</summary>
public sealed record OfferAnalyticsView(int ApplicationsTotal, int ApplicationsBudget, decimal? MinBudgetScoreLastYear, decimal? AvgScore);

/// <summary>The linked applicant's score for an offer and the place estimates (priority 1–2, and other priorities when different); no outcome when the offer has no weights.</summary>
public sealed record PersonalResult(ScoreOutcome? Outcome, RankEstimate? Rank, RankEstimate? RankOtherPriorities);

/// <summary>An offer's list prepared once per version: the budget competition for ranking, the score distribution and the cut-off's trend.</summary>
public sealed record OfferApplications(BudgetCompetition Competition, int ActiveCount, IReadOnlyList<ScoreBucket> Distribution, CutOffTrend? Trend = null)
{
    public static OfferApplications Prepare(IReadOnlyCollection<RankedApplication> applications, BudgetSeats seats, IReadOnlyList<CutOffPoint>? history = null)
    {
        ArgumentNullException.ThrowIfNull(applications);
        var statuses = new ActiveStatusMemo();
        var activeScores = new List<decimal?>(applications.Count);
        foreach (var application in applications)
        {
            if (statuses.IsActive(application.Status))
            {
                activeScores.Add(application.Score);
            }
        }

        return new OfferApplications(BudgetCompetition.From(applications, seats), activeScores.Count, ScoreBuckets.Build(activeScores),
            history is null ? null : CutOffTrend.From(history));
    }

    /// <summary>
    /// Roughly what the prepared list holds in memory, for the cache's budget: 16 bytes per general score (the bulk), the
    /// buckets, and a fixed share for the objects around them and the cache's own entry. An estimate, checked against the
    /// heap by the offer benchmark.
    /// </summary>
    public long EstimatedBytes =>
        FixedBytes + ((long)Competition.GeneralScoresDescending.Count * sizeof(decimal)) + ((long)Distribution.Count * BucketBytes);

    private const long FixedBytes = 640;
    private const long BucketBytes = 64;
}

/// <summary>Builds the offer view: reads the offer, scores and ranks the linked applicant with the pure rules.</summary>
public sealed class OfferService(
    OfferQueries offers,
    WebUserQueries webUsers,
    AbitlySettings settings,
    LocalCalendar calendar,
    OfferApplicationsCache applicationsCache,
    SimulationStandingService simulation)
{
    public async Task<OfferView> BuildOfferViewAsync(long offerId, int? linkYear, TelegramUser? user, CancellationToken ct)
    {
        if (linkYear is { } year && year != settings.CampaignYear)
        {
            return OfferView.InvalidYear(offerId, settings.CampaignYear, year);
        }

        // Round trips are most of a view's time: the head, the data's age and the ⭐ state come in one query; the list
        // only when its version is not cached; then the linked profile and the simulation's word.
        var view = await offers.GetViewHeadAsync(offerId, user?.Id, ct);
        if (view is null)
        {
            return OfferView.NotFound(offerId, settings.CampaignYear);
        }

        var head = view.Head;
        var offer = head.Offer;
        if (offer.Year != settings.CampaignYear)
        {
            return OfferView.InvalidYear(offerId, settings.CampaignYear, offer.Year);
        }

        var applications = await PreparedApplicationsAsync(offer, ct);
        var webUser = await LinkedWebUserAsync(user, ct);
        var personal = webUser is null ? null : Evaluate(offer, applications, webUser.Grades);
        var details = Details(head, applications) with { DataAsOfLocal = view.DataTakenAt is { } takenAt ? calendar.ToLocal(takenAt) : null };
        // One more indexed query: the newest simulation's word on this offer, and on the user's own application.
        var asker = personal?.Outcome?.Score is { } score ? new SimulationAsker(webUser!.DisplayName, score.WithPriorityBonus, score.WithoutPriorityBonus) : null;
        var simulated = await simulation.GetStandingAsync(offerId, asker, ct);
        return new OfferView(OfferViewStatus.Ok, offerId, settings.CampaignYear, null, details, personal,
            Linked: webUser is not null, ProfileLinkUrl: webUser is null ? settings.LinkWebUrl : null, Simulation: simulated,
            Tracked: view.Following);
    }

    /// <summary>The offer's list prepared by the one cut-off rule; prepared once and reused while the offer's list version is unchanged.</summary>
    public async Task<OfferApplications> PreparedApplicationsAsync(Offer offer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var version = OfferListVersion.Of(offer);
        var applications = applicationsCache.Get(offer.Id, version);
        if (applications is null)
        {
            // Snapshot rows are only added when the offer changes (which bumps updated_at), so the trend is cached with the list.
            var rows = await offers.GetListAsync(offer.Id, ct);
            applications = OfferApplications.Prepare(rows.Applications, SeatsOf(offer), rows.History);
            applicationsCache.Put(offer.Id, version, applications);
        }

        return applications;
    }

    /// <summary>When the newest completed import of the year read its lists, in local time.</summary>
    public async Task<DateTimeOffset?> DataAsOfLocalAsync(int year, CancellationToken ct) =>
        await offers.DataTakenAtAsync(year, ct) is { } takenAt ? calendar.ToLocal(takenAt) : null;

    /// <summary>The linked user's web profile with their NMT results, or null when the account is not linked.</summary>
    public async Task<WebUser?> LinkedWebUserAsync(TelegramUser? user, CancellationToken ct) =>
        user?.WebUserId is { } webUserId ? await webUsers.GetWithGradesAsync(webUserId, ct) : null;

    /// <summary>The linked applicant's score and place for this offer (pure rules over the stored rows).</summary>
    public static PersonalResult Evaluate(Offer offer, OfferApplications applications, IEnumerable<UserGrade> grades)
    {
        ArgumentNullException.ThrowIfNull(applications);
        return Evaluate(offer, applications.Competition, grades);
    }

    /// <summary>
    /// The same over the offer's budget competition: the one evaluation the offer view, /tracked and the tracked-offer
    /// alerts share.
    /// </summary>
    public static PersonalResult Evaluate(Offer offer, BudgetCompetition competition, IEnumerable<UserGrade> grades)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(competition);
        ArgumentNullException.ThrowIfNull(grades);
        if (!offer.Subjects.Any(s => s.Slot is 1 or 2 or 3))
        {
            return new PersonalResult(null, null, null);   // weights not published yet: nothing to compute
        }

        var applicant = ApplicantGrades.FromResults(grades.Select(g => new GradeResult(g.Subject, g.Score, g.Year)), offer.PreparatoryPointsApply);
        var outcome = CompetitiveScoreCalculator.Calculate(WeightsOf(offer), applicant);
        if (!outcome.HasScore)
        {
            return new PersonalResult(outcome, null, null);
        }

        var rank = RankEstimator.Estimate(competition, outcome.Score.WithPriorityBonus);
        var rankOther = outcome.Score.PriorityBonusDiffers
            ? RankEstimator.Estimate(competition, outcome.Score.WithoutPriorityBonus)
            : null;
        return new PersonalResult(outcome, rank, rankOther);
    }

    /// <summary>A stored offer's budget seats.</summary>
    public static BudgetSeats SeatsOf(Offer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return new BudgetSeats(offer.BudgetPlaces, offer.Quota1Places, offer.Quota2Places);
    }

    /// <summary>The score formula's inputs that belong to a stored offer.</summary>
    public static OfferWeights WeightsOf(Offer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return new(
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

    private static OfferDetails Details(OfferHead head, OfferApplications applications)
    {
        var offer = head.Offer;
        return new OfferDetails(
            offer.Id, offer.Year, offer.University.ShortName, offer.University.Name, offer.Speciality.Code, offer.Speciality.Name,
            offer.ProgramName, offer.Faculty, offer.EducationForm, offer.Degree, offer.BudgetPlaces, offer.Quota1Places, offer.Quota2Places,
            offer.LicenseVolume, [.. offer.Subjects.Select(s => new SubjectWeight(s.Slot, s.Subject, s.Coefficient, s.MinScore))],
            offer.RegionalCoefficient, offer.SectoralCoefficientApplies, offer.SourceUrl,
            head.Analytics is { } a ? new OfferAnalyticsView(a.ApplicationsTotal, a.ApplicationsBudget, a.MinBudgetScoreLastYear, a.AvgScore) : null,
            applications.ActiveCount, applications.Distribution, applications.Competition.GeneralSeats, applications.Competition.CutOff,
            applications.Trend, null, offer.WithdrawnAt is not null, OfferListVersion.Of(offer));
    }
}
