namespace Abitly.Domain.Allocation;

/// <summary>Where a score falls against an offer's simulated general competition.</summary>
public enum ScoreAgainstCutOff
{
    /// <summary>Above the score on the last general seat: the offer would keep it (ignoring the cascade it starts).</summary>
    Above,

    /// <summary>Equal to it: the priority and criteria the lists do not show decide.</summary>
    AtCutOff,

    /// <summary>Below it: the general seats are taken by higher scores.</summary>
    Below,

    /// <summary>A general seat is left over: anyone eligible who applied would get one.</summary>
    FreeSeat,

    /// <summary>The offer has no general seats (contract only, or quotas take every budget place).</summary>
    NoGeneralSeats,
}

/// <summary>Compares a score with an offer's simulated cut-off, for a person whose own application the lists do not show.</summary>
public static class SimulatedCutOff
{
    /// <summary>Where <paramref name="score"/> falls; the general competition is assumed (the person's quota, if any, is not known).</summary>
    /// <param name="score">The competitive score at this offer.</param>
    /// <param name="cutOff">The score on the last general seat, null when a seat is left or there are none (<see cref="OfferOutcome.GeneralCutOff"/>).</param>
    /// <param name="generalPlaces">General seats: budget places minus the quota seats filled.</param>
    public static ScoreAgainstCutOff Place(decimal score, decimal? cutOff, int generalPlaces) => (cutOff, generalPlaces) switch
    {
        (_, <= 0) => ScoreAgainstCutOff.NoGeneralSeats,
        (null, _) => ScoreAgainstCutOff.FreeSeat,
        ({ } c, _) when score > c => ScoreAgainstCutOff.Above,
        ({ } c, _) when score == c => ScoreAgainstCutOff.AtCutOff,
        _ => ScoreAgainstCutOff.Below,
    };
}
