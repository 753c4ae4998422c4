using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Abitly.Bot.State;
using Abitly.Charts;
using Abitly.Domain.Ranking;

namespace Abitly.Bot.Services;

/// <summary>Whether an offer's score chart can be drawn.</summary>
public enum OfferChartStatus
{
    Ok,
    NotFound,

    /// <summary>No application to draw: the bot answers in text instead of an empty chart.</summary>
    NoApplications,
}

/// <summary>
/// An offer's score chart as data: what the picture and its caption show, by the one cut-off rule. <see cref="Stale"/> is
/// true when the pressed button was drawn from another version of the list than the current one, which this view shows.
/// </summary>
public sealed record OfferChartView(OfferChartStatus Status, long OfferId, bool Stale, OfferChartFacts? Facts)
{
    public static OfferChartView NotFound(long offerId) => new(OfferChartStatus.NotFound, offerId, false, null);
}

/// <summary>
/// The numbers of an offer's chart; never a name from the list.
/// </summary>
/// <param name="ListVersion">The list version drawn (<see cref="OfferListVersion"/>).</param>
/// <param name="ContractOnly">No budget places: the chart draws every active scored application, without a budget line.</param>
/// <param name="Applications">Applications drawn: active budget applications with a score (every active scored one on a contract-only offer).</param>
/// <param name="BudgetPlaces">The offer's budget places (max state order); null for contract only.</param>
/// <param name="GeneralSeats">Budget places minus the quota seats filled.</param>
/// <param name="Quota1Seated">Quota-1 seats filled.</param>
/// <param name="Quota2Seated">Quota-2 seats filled.</param>
/// <param name="CutOff">The score on the last general seat; null while the seats are not all taken.</param>
/// <param name="Linked">The user has linked a web profile.</param>
/// <param name="Personal">The linked user's score (priorities 1–2 first) and estimated place.</param>
/// <param name="DataAsOfLocal">When the newest import read the lists, in local time.</param>
public sealed record OfferChartFacts(
    string ListVersion,
    string UniversityShortName,
    string SpecialityCode,
    string SpecialityName,
    string ProgramName,
    bool ContractOnly,
    int Applications,
    int? BudgetPlaces,
    int Quota1Places,
    int Quota2Places,
    int? GeneralSeats,
    int Quota1Seated,
    int Quota2Seated,
    decimal? CutOff,
    bool Linked,
    PersonalResult? Personal,
    DateTimeOffset? DataAsOfLocal)
{
    /// <summary>The linked user's score for priorities 1–2 (with ГК where it applies), when it can be computed.</summary>
    public decimal? UserScore => Personal?.Outcome is { HasScore: true } outcome ? outcome.Score.WithPriorityBonus : null;
}

/// <summary>
/// Builds an offer's score chart data from its list by the one cut-off rule (the prepared list the offer view uses), reads
/// the applications to draw only when a picture must be drawn, and looks up pictures uploaded before.
/// </summary>
public sealed class OfferChartService(OfferQueries offers, OfferService offerService, PhotoFileIds photoFileIds, BotMetrics metrics)
{
    /// <summary>
    /// The chart's data for the current list. <paramref name="pressedVersion"/> is the version the button was drawn from;
    /// when it differs, the view is marked stale (and still shows the current list).
    /// </summary>
    public async Task<OfferChartView> BuildAsync(long offerId, string? pressedVersion, TelegramUser? user, CancellationToken ct)
    {
        var head = await offers.GetHeadAsync(offerId, ct);
        if (head is null)
        {
            return OfferChartView.NotFound(offerId);
        }

        var offer = head.Offer;
        var version = OfferListVersion.Of(offer);
        var stale = pressedVersion is not null && !string.Equals(pressedVersion, version, StringComparison.Ordinal);
        var applications = await offerService.PreparedApplicationsAsync(offer, ct);
        var competition = applications.Competition;
        var contractOnly = offer.BudgetPlaces is null;
        var drawn = contractOnly ? applications.Distribution.Sum(b => b.Count) : competition.ActiveBudgetApplications;

        var webUser = drawn > 0 ? await offerService.LinkedWebUserAsync(user, ct) : null;
        var facts = new OfferChartFacts(
            version, offer.University.ShortName, offer.Speciality.Code, offer.Speciality.Name, offer.ProgramName, contractOnly, drawn,
            offer.BudgetPlaces, offer.Quota1Places, offer.Quota2Places, competition.GeneralSeats, competition.Quota1Seated, competition.Quota2Seated,
            competition.CutOff, webUser is not null, webUser is null ? null : OfferService.Evaluate(offer, applications, webUser.Grades),
            drawn > 0 ? await offerService.DataAsOfLocalAsync(offer.Year, ct) : null);
        return new OfferChartView(drawn > 0 ? OfferChartStatus.Ok : OfferChartStatus.NoApplications, offerId, stale, facts);
    }

    /// <summary>
    /// The applications the chart draws, by score and quota kind only: the budget competition's (active, budget priority,
    /// scored), or every active scored one on a contract-only offer. Scores off the 100–200 scale (a damaged list) are left out.
    /// </summary>
    public async Task<IReadOnlyList<ChartApplication>> DrawnApplicationsAsync(long offerId, bool contractOnly, CancellationToken ct)
    {
        var list = await offers.GetRankedApplicationsAsync(offerId, ct);
        return [.. list
            .Where(a => contractOnly ? a.Score is not null && ApplicationStatuses.IsActive(a.Status) : BudgetCompetition.Competes(a))
            .Where(a => a.Score is >= ScoreHistogram.AxisMinimum and <= ScoreHistogram.AxisMaximum)
            .Select(a => new ChartApplication(a.Score!.Value, a.Quota))];
    }

    /// <summary>The file id of a picture uploaded before under <paramref name="imageKey"/>, or null.</summary>
    public async Task<string?> FindUploadedAsync(string imageKey)
    {
        var fileId = await photoFileIds.FindAsync(imageKey);
        if (fileId is not null)
        {
            metrics.ChartAnswered("cached");
        }

        return fileId;
    }
}
