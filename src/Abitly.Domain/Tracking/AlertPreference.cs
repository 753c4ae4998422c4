namespace Abitly.Domain.Tracking;

/// <summary>Which changes of followed offers a user wants to hear about.</summary>
public enum AlertMode
{
    /// <summary>Every trigger: budget line, place by the user's threshold, cut-off by 0.5, seats, withdrawal.</summary>
    All = 0,

    /// <summary>Budget-line crossings, seats changed, withdrawn, and the place moving by at least 5 (or the threshold, if larger).</summary>
    Important = 1,

    /// <summary>No alerts.</summary>
    Off = 2,
}

/// <summary>A user's alert preference: the mode and the place threshold (how many places the estimate must move).</summary>
public sealed record AlertPreference(AlertMode Mode, int PlaceThreshold)
{
    /// <summary>What a user who never chose gets.</summary>
    public static AlertPreference Default { get; } = new(AlertMode.All, 3);

    /// <summary>The thresholds a user can choose from.</summary>
    public static IReadOnlyList<int> Thresholds { get; } = [1, 3, 5, 10, 20];

    /// <summary>"Important" counts a place move from this many places.</summary>
    public const int ImportantPlaceMove = 5;

    /// <summary>The smallest cut-off move that alerts.</summary>
    public const decimal CutOffStep = 0.5m;

    /// <summary>How many places the estimate must move to alert in this mode (null: never).</summary>
    public int? EffectivePlaceThreshold => Mode switch
    {
        AlertMode.All => Math.Max(1, PlaceThreshold),
        AlertMode.Important => Math.Max(ImportantPlaceMove, PlaceThreshold),
        _ => null,
    };
}
