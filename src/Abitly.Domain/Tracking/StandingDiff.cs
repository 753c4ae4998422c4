namespace Abitly.Domain.Tracking;

/// <summary>What changed about a followed offer since the user was last told, as far as it alerts.</summary>
[Flags]
public enum AlertTriggers
{
    None = 0,

    /// <summary>The estimated place crossed the budget line, in either direction (important).</summary>
    BudgetLineCrossed = 1,

    /// <summary>The estimated place moved by at least the threshold.</summary>
    PlaceMoved = 2,

    /// <summary>The cut-off moved by at least 0.5 points, appeared or disappeared (all changes only).</summary>
    CutOffMoved = 4,

    /// <summary>The offer's budget places changed (important).</summary>
    SeatsChanged = 8,

    /// <summary>The offer was withdrawn (important).</summary>
    Withdrawn = 16,

    /// <summary>A withdrawn offer is listed again (important).</summary>
    Reinstated = 32,
}

/// <summary>
/// Compares a followed offer's standing now with the last one the user was told about. Pure: the alert pass, the tests and
/// anything else that needs "would this alert?" ask here.
/// </summary>
public static class StandingDiff
{
    /// <summary>The triggers the important mode keeps besides a large place move.</summary>
    public const AlertTriggers Important = AlertTriggers.BudgetLineCrossed | AlertTriggers.SeatsChanged | AlertTriggers.Withdrawn | AlertTriggers.Reinstated;

    /// <summary>
    /// The triggers of the change from <paramref name="told"/> to <paramref name="now"/> under <paramref name="preference"/>.
    /// Personal triggers (budget line, place) need a personal standing on both sides with the same score: a user who
    /// unlinked falls back to the offer-level triggers, and a changed score is the user's doing, not the list's (see
    /// <see cref="Rebaseline"/>). A withdrawn offer reports only its withdrawal.
    /// </summary>
    public static AlertTriggers Compare(OfferStanding told, OfferStanding now, AlertPreference preference)
    {
        ArgumentNullException.ThrowIfNull(told);
        ArgumentNullException.ThrowIfNull(now);
        ArgumentNullException.ThrowIfNull(preference);
        if (preference.EffectivePlaceThreshold is not { } placeThreshold)
        {
            return AlertTriggers.None;
        }

        if (now.Withdrawn != told.Withdrawn)
        {
            return now.Withdrawn ? AlertTriggers.Withdrawn : AlertTriggers.Reinstated;
        }

        if (now.Withdrawn)
        {
            return AlertTriggers.None;
        }

        var triggers = AlertTriggers.None;
        if (now.BudgetPlaces != told.BudgetPlaces)
        {
            triggers |= AlertTriggers.SeatsChanged;
        }

        if (CutOffMoved(told.CutOff, now.CutOff))
        {
            triggers |= AlertTriggers.CutOffMoved;
        }

        if (told.Personal is { } before && now.Personal is { } after && before.Score == after.Score)
        {
            if (before.Side != after.Side && before.Side != BudgetSide.NoBudget && after.Side != BudgetSide.NoBudget)
            {
                triggers |= AlertTriggers.BudgetLineCrossed;
            }

            if (Math.Abs(after.Place - before.Place) >= placeThreshold)
            {
                triggers |= AlertTriggers.PlaceMoved;
            }
        }

        return preference.Mode == AlertMode.Important
            ? triggers & (Important | AlertTriggers.PlaceMoved)
            : triggers;
    }

    /// <summary>Whether the cut-off moved by at least <see cref="AlertPreference.CutOffStep"/>, or appeared or disappeared.</summary>
    public static bool CutOffMoved(decimal? told, decimal? now) =>
        (told, now) switch
        {
            (null, null) => false,
            ({ } a, { } b) => Math.Abs(b - a) >= AlertPreference.CutOffStep,
            _ => true,
        };

    /// <summary>
    /// The told standing to compare against from now on, when it must move without a message: a personal standing appears
    /// (the user linked a profile, or the offer's weights were published) or the user's score changed (new grades). Null
    /// when the told standing stays as it is.
    /// </summary>
    public static OfferStanding? Rebaseline(OfferStanding told, OfferStanding now)
    {
        ArgumentNullException.ThrowIfNull(told);
        ArgumentNullException.ThrowIfNull(now);
        return now.Personal is { } personal && (told.Personal is null || told.Personal.Score != personal.Score)
            ? told with { Personal = personal }
            : null;
    }
}
