namespace Abitly.Domain.Allocation;

/// <summary>What the stable allocation did with one application, from its person's point of view.</summary>
public enum SimulatedOutcome : byte
{
    /// <summary>The person holds a budget seat through this application.</summary>
    RecommendedHere = 1,

    /// <summary>The person holds a seat at an offer they put at a higher priority (a smaller number), so this list loses them.</summary>
    HigherPriorityElsewhere = 2,

    /// <summary>This offer did not keep them; they hold a seat at an offer of a lower priority.</summary>
    LowerPriorityElsewhere = 3,

    /// <summary>No budget seat anywhere.</summary>
    NotRecommended = 4,
}

/// <summary>One application's simulated outcome and its place in the offer's admission order.</summary>
/// <param name="Outcome">Here, at a higher priority elsewhere, at a lower priority elsewhere, or nowhere.</param>
/// <param name="Seat">The seat this application holds (<see cref="AllocationSeat.None"/> unless <see cref="SimulatedOutcome.RecommendedHere"/>).</param>
/// <param name="Place">
/// Its place on the offer's list once everyone who holds a seat at a higher priority elsewhere has left it: 1 + the
/// offer's applications that rank before it (score, then priority, then tie rank) and whose persons stay in this list's
/// competition. For a general seat holder it is its place among the admitted; it compares with the list-based estimate,
/// which counts everyone.
/// </param>
/// <param name="HeldApplication">The index of the application whose seat the person holds, or -1.</param>
public readonly record struct ApplicationStanding(SimulatedOutcome Outcome, AllocationSeat Seat, int Place, int HeldApplication);
