using Abitly.Domain.Tracking;

namespace Abitly.Bot.Data;

/// <summary>
/// A user follows a competitive offer (at most <c>TrackingService.MaxFollows</c> of the campaign year). The told_* columns
/// are the standing the user was last told about — the baseline every alert diffs against; it only moves when a message
/// is queued (or silently, when the user's own score changes). due_at holds changes waiting out quiet hours or the daily
/// limit. seen_* and previous_place carry the place before and after the last run that changed the offer (for /tracked).
/// </summary>
public sealed class TrackedOffer
{
    public long TelegramUserId { get; set; }
    public long OfferId { get; set; }
    public DateTime CreatedAt { get; set; }
    public decimal? ToldCutOff { get; set; }
    public int? ToldBudgetPlaces { get; set; }
    public bool ToldWithdrawn { get; set; }
    /// <summary>The user's competitive score the told place was estimated for; null when the user had none (unlinked).</summary>
    public decimal? ToldScore { get; set; }
    public int? ToldPlace { get; set; }
    public BudgetSide? ToldSide { get; set; }
    public DateTime ToldAt { get; set; }
    /// <summary>When held changes fall due (the end of the quiet hours, or the next day's first message); null when nothing waits.</summary>
    public DateTime? DueAt { get; set; }
    /// <summary>The import run <see cref="SeenPlace"/> was estimated after.</summary>
    public long? SeenRunId { get; set; }
    public int? SeenPlace { get; set; }
    /// <summary>The place before the run <see cref="SeenRunId"/>: /tracked shows the change since the previous run.</summary>
    public int? PreviousPlace { get; set; }

    /// <summary>The told columns as a standing.</summary>
    public OfferStanding Told => new(ToldCutOff, ToldBudgetPlaces, null, ToldWithdrawn,
        ToldScore is { } score && ToldPlace is { } place ? new PersonalStanding(score, place, place, ToldSide ?? BudgetSide.NoBudget, null) : null);

    /// <summary>Sets the told columns from <paramref name="standing"/>.</summary>
    public void Tell(OfferStanding standing, DateTime atUtc)
    {
        ArgumentNullException.ThrowIfNull(standing);
        (ToldCutOff, ToldBudgetPlaces, ToldWithdrawn) = (standing.CutOff, standing.BudgetPlaces, standing.Withdrawn);
        (ToldScore, ToldPlace, ToldSide) = (standing.Personal?.Score, standing.Personal?.Place, standing.Personal?.Side);
        ToldAt = atUtc;
    }

    public TrackedOffer Copy() => (TrackedOffer)MemberwiseClone();

    /// <summary>Whether the told, due and seen columns equal <paramref name="other"/>'s (the key and creation are not compared).</summary>
    public bool SameStateAs(TrackedOffer other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return (ToldCutOff, ToldBudgetPlaces, ToldWithdrawn, ToldScore, ToldPlace, ToldSide, ToldAt)
                == (other.ToldCutOff, other.ToldBudgetPlaces, other.ToldWithdrawn, other.ToldScore, other.ToldPlace, other.ToldSide, other.ToldAt)
            && (DueAt, SeenRunId, SeenPlace, PreviousPlace) == (other.DueAt, other.SeenRunId, other.SeenPlace, other.PreviousPlace);
    }
}

/// <summary>A user's alert preference for followed offers; no row means <see cref="AlertPreference.Default"/>.</summary>
public sealed class TrackingPreference
{
    public long TelegramUserId { get; set; }
    public AlertMode Mode { get; set; }
    public int PlaceThreshold { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// One alert pass: the id every alert of the pass is claimed under (notification_log ref_id), the import run it has
/// processed everything up to (the processed marker: the next pass starts after it), and what it did.
/// </summary>
public sealed class TrackedAlertPass
{
    public long Id { get; set; }
    /// <summary>The newest completed run of the campaign year this pass covered; null for a pass that only sent held changes.</summary>
    public long? ThroughRunId { get; set; }
    /// <summary>The local day the alerts are counted on (the daily limit).</summary>
    public DateOnly Day { get; set; }
    public DateTime CreatedAt { get; set; }
    public int FollowsEvaluated { get; set; }
    public int UsersAlerted { get; set; }
    public int UsersHeld { get; set; }
    /// <summary>The fan-out batch its messages were queued under.</summary>
    public long? FanOutBatchId { get; set; }
}
