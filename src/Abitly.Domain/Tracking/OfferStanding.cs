using Abitly.Domain.Ranking;

namespace Abitly.Domain.Tracking;

/// <summary>Which side of an offer's budget line an applicant's estimated place is on.</summary>
public enum BudgetSide
{
    /// <summary>The best estimated place is within the general competition's budget seats (on the line counts as in).</summary>
    Inside = 0,

    /// <summary>The best estimated place is past the last budget seat.</summary>
    Outside = 1,

    /// <summary>The offer has no budget seats for the general competition (contract only, or all taken by quotas).</summary>
    NoBudget = 2,
}

/// <summary>
/// The linked applicant's part of a followed offer's standing: their competitive score (priorities 1–2, as the offer view
/// shows first), the estimated place (a range on ties), the side of the budget line and the points to the last budget seat.
/// </summary>
public sealed record PersonalStanding(decimal Score, int Place, int PlaceWorst, BudgetSide Side, decimal? Gap)
{
    /// <summary>The standing of <paramref name="score"/> by the offer view's estimate of it.</summary>
    public static PersonalStanding From(decimal score, RankEstimate rank)
    {
        ArgumentNullException.ThrowIfNull(rank);
        return new PersonalStanding(score, rank.BestPlace, rank.WorstPlace, SideOf(rank.BestPlace, rank.BudgetPlacesForGeneralCompetition), rank.GapToLastBudgetPlace);
    }

    /// <summary>Inside when the place is within the seats; no budget when there are no seats.</summary>
    public static BudgetSide SideOf(int place, int? generalSeats) =>
        generalSeats is not > 0 ? BudgetSide.NoBudget : place <= generalSeats ? BudgetSide.Inside : BudgetSide.Outside;
}

/// <summary>
/// What a follower knows about one offer: the cut-off by the one rule, the budget places, whether the offer is withdrawn,
/// and — for a linked user whose score the offer's weights give — their personal standing.
/// </summary>
public sealed record OfferStanding(decimal? CutOff, int? BudgetPlaces, int? GeneralSeats, bool Withdrawn, PersonalStanding? Personal);
