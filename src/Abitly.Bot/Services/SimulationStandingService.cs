using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Data.Simulation;
using Abitly.Campaign;
using Abitly.Domain.Allocation;
using Abitly.Domain.Scoring;

namespace Abitly.Bot.Services;

/// <summary>The newest finished simulation of the campaign year: when its lists were taken, whether it is shown, and why not.</summary>
/// <param name="RunId">The simulation run (the data version an alert may remember).</param>
/// <param name="ImportRunId">The import run whose lists were simulated.</param>
/// <param name="TakenAtLocal">When those lists were taken, in the bot's time zone.</param>
/// <param name="Shown">False when persons could not be matched reliably: then there are no results, only the reason.</param>
/// <param name="HiddenReason">Why it is not shown.</param>
/// <param name="MatchedShare">The share of budget applications whose person was matched without a choice.</param>
/// <param name="ListsNewer">A newer import changed the lists since: a newer simulation is due.</param>
public sealed record SimulationRunView(
    long RunId,
    long ImportRunId,
    DateTimeOffset? TakenAtLocal,
    bool Shown,
    SimulationHiddenReason HiddenReason,
    double? MatchedShare,
    bool ListsNewer);

/// <summary>An offer's simulated budget competition.</summary>
/// <param name="CutOff">The score on the last general seat; null when a general seat is left or there are none.</param>
/// <param name="GeneralPlaces">Budget places minus the quota seats filled.</param>
public sealed record SimulatedOfferView(int? BudgetPlaces, int GeneralPlaces, int Quota1Seated, int Quota2Seated, int GeneralSeated, decimal? CutOff, int Competing)
{
    /// <summary>Applications holding a seat here, of every kind.</summary>
    public int Admitted => Quota1Seated + Quota2Seated + GeneralSeated;
}

/// <summary>The asker's own application as the simulation left it.</summary>
/// <param name="Priority">Its priority at this offer.</param>
/// <param name="Place">Its place on the list once those placed at a higher priority elsewhere have left it (<see cref="ApplicationStanding.Place"/>).</param>
/// <param name="HeldOfferId">Where the person holds a seat when it is another offer.</param>
/// <param name="HeldOfferLabel">That offer as «short university name, speciality code programme».</param>
public sealed record SimulatedOwnApplication(int Priority, SimulatedOutcome Outcome, AllocationSeat Seat, int Place, long? HeldOfferId, int? HeldPriority, string? HeldOfferLabel);

/// <summary>
/// What the newest finished simulation says about one offer for one asker: the run, the offer's competition, and either
/// their own application (found on the list by stored name and score) or where their score falls against the simulated
/// cut-off. <see cref="Offer"/> is null when the run is not shown or the offer was not in it.
/// </summary>
/// <param name="Own">Their application, when found on a list that has not changed since the simulation.</param>
/// <param name="ScoreForPriorities1To2">Against the cut-off, when their application was not found (the score with ГК).</param>
/// <param name="ScoreForOtherPriorities">The same for priorities 3–5, when ГК makes the scores differ.</param>
public sealed record SimulatedStanding(
    SimulationRunView Run,
    SimulatedOfferView? Offer,
    SimulatedOwnApplication? Own,
    ScoreAgainstCutOff? ScoreForPriorities1To2,
    ScoreAgainstCutOff? ScoreForOtherPriorities);

/// <summary>Who asks about an offer: their name as the web profile has it and their computed scores there.</summary>
/// <param name="DisplayName">The profile's name («Олена Демченко» or «Демченко Олена Петрівна»); null or one word finds no application.</param>
/// <param name="ScoreForPriorities1To2">The competitive score of a priority 1–2 application (with ГК where it applies).</param>
/// <param name="ScoreForOtherPriorities">The score of a priority 3–5 application; equal to the first where ГК does not apply.</param>
public sealed record SimulationAsker(string? DisplayName, decimal ScoreForPriorities1To2, decimal ScoreForOtherPriorities);

/// <summary>
/// The simulated standing on an offer, for the offer view and the tracked-offer alerts: one indexed query over the newest
/// finished simulation of the campaign year (docs/allocation.md, "What the bot shows").
/// </summary>
public sealed class SimulationStandingService(SimulationQueries queries, OfferQueries offers, WebUserQueries webUsers, AbitlySettings settings, LocalCalendar calendar)
{
    /// <summary>
    /// A web user's simulated standing on an offer, for features beside the offer view (the tracked-offer alerts): their
    /// score there computed from their profile's grades, then <see cref="GetStandingAsync"/>. Null when the offer is not
    /// of the campaign year or the year has no finished simulation; without the user or a score, the offer's competition
    /// only. <see cref="SimulationRunView.RunId"/> tells a new simulation run (a data boundary) from the same one read again.
    /// </summary>
    public async Task<SimulatedStanding?> GetForWebUserAsync(long offerId, long webUserId, CancellationToken ct)
    {
        var head = await offers.GetHeadAsync(offerId, ct);
        if (head is null || head.Offer.Year != settings.CampaignYear)
        {
            return null;
        }

        var user = await webUsers.GetWithGradesAsync(webUserId, ct);
        return await GetStandingAsync(offerId, user is null ? null : AskerAt(head.Offer, user), ct);
    }

    /// <summary>The user as the simulation looks for them on an offer's list: their name and their scores there; null without a score.</summary>
    public static SimulationAsker? AskerAt(Offer offer, WebUser user)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(user);
        if (!offer.Subjects.Any(s => s.Slot is 1 or 2 or 3))
        {
            return null;   // weights not published yet: no score to look for
        }

        var applicant = ApplicantGrades.FromResults(user.Grades.Select(g => new GradeResult(g.Subject, g.Score, g.Year)), offer.PreparatoryPointsApply);
        var outcome = CompetitiveScoreCalculator.Calculate(OfferService.WeightsOf(offer), applicant);
        return outcome.Score is { } score ? new SimulationAsker(user.DisplayName, score.WithPriorityBonus, score.WithoutPriorityBonus) : null;
    }

    /// <summary>
    /// The standing on <paramref name="offerId"/> in the newest finished simulation of the campaign year, for
    /// <paramref name="asker"/> (null: the offer's competition only); null when the year has no finished simulation.
    /// </summary>
    public async Task<SimulatedStanding?> GetStandingAsync(long offerId, SimulationAsker? asker, CancellationToken ct)
    {
        var key = asker is null ? null : new OwnApplicationKey(StoredNameForms(asker.DisplayName), [asker.ScoreForPriorities1To2, asker.ScoreForOtherPriorities]);
        var row = await queries.StandingAsync(settings.CampaignYear, offerId, key, ct);
        if (row is null)
        {
            return null;
        }

        var run = new SimulationRunView(
            row.RunId, row.ImportRunId, row.TakenAtUtc is { } taken ? calendar.ToLocal(taken) : null, row.Status == SimulationRunStatus.Shown,
            row.HiddenReason, row.MatchedShare, row.NewestImportRunId > row.ImportRunId);
        if (!run.Shown || row.Offer is not { } o)
        {
            return new SimulatedStanding(run, null, null, null, null);
        }

        var offer = new SimulatedOfferView(o.BudgetPlaces, o.GeneralPlaces, o.Quota1Seated, o.Quota2Seated, o.GeneralSeated, o.CutOff, o.Competing);
        // A list re-imported since the simulation has new positions: its rows no longer point at the same applications.
        var listUnchanged = row.OfferImportRunId is null || row.OfferImportRunId <= row.ImportRunId;
        if (row.Own is { } own && listUnchanged)
        {
            return new SimulatedStanding(run, offer,
                new SimulatedOwnApplication(own.Priority, own.Outcome, own.Seat, own.Place, own.HeldOfferId, own.HeldPriority, row.HeldOfferLabel), null, null);
        }

        if (asker is null)
        {
            return new SimulatedStanding(run, offer, null, null, null);
        }

        var first = SimulatedCutOff.Place(asker.ScoreForPriorities1To2, offer.CutOff, offer.GeneralPlaces);
        var other = asker.ScoreForOtherPriorities != asker.ScoreForPriorities1To2
            ? SimulatedCutOff.Place(asker.ScoreForOtherPriorities, offer.CutOff, offer.GeneralPlaces)
            : (ScoreAgainstCutOff?)null;
        return new SimulatedStanding(run, offer, null, first, other);
    }

    /// <summary>
    /// The forms a profile's name takes on a list: the surname and the first name's initial («Демченко О.»), trying the
    /// surname last («Олена Демченко») and first («Демченко Олена Петрівна»). Lists store names the same way
    /// (<see cref="PublishedNames.ToInitials"/>), with the patronymic's initial after it, which the query allows.
    /// </summary>
    public static IReadOnlyList<string> StoredNameForms(string? displayName)
    {
        var words = (displayName ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length < 2)
        {
            return [];
        }

        return new[] { PublishedNames.ToInitials(words[^1] + " " + words[0]), PublishedNames.ToInitials(words[0] + " " + words[1]) }
            .Distinct(StringComparer.Ordinal).ToList();
    }
}
