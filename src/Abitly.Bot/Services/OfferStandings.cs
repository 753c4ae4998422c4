using Abitly.Bot.Data;
using Abitly.Domain.Ranking;
using Abitly.Domain.Tracking;

namespace Abitly.Bot.Services;

/// <summary>
/// A followed offer's standing by the offer view's own rules: the cut-off and general seats of the one cut-off rule
/// (<see cref="BudgetCompetition"/>) and the linked user's score and place from <see cref="OfferService.Evaluate(Offer, BudgetCompetition, IEnumerable{UserGrade})"/>.
/// /tracked, following and the alert pass all call this, so an alert never says what the view would not.
/// </summary>
public static class OfferStandings
{
    /// <summary>The standing; <paramref name="grades"/> null for an unlinked user (no personal part).</summary>
    public static OfferStanding Of(Offer offer, BudgetCompetition competition, IEnumerable<UserGrade>? grades)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(competition);
        PersonalStanding? personal = null;
        if (grades is not null && OfferService.Evaluate(offer, competition, grades) is { Outcome.HasScore: true, Rank: { } rank } result)
        {
            // The estimate the view shows first: priorities 1–2 (with ГК where it applies).
            personal = PersonalStanding.From(result.Outcome.Score.WithPriorityBonus, rank);
        }

        return new OfferStanding(competition.CutOff, offer.BudgetPlaces, competition.GeneralSeats, offer.WithdrawnAt is not null, personal);
    }
}
