namespace Abitly.Domain.Allocation;

/// <summary>What an offer's final choice would do with one extra applicant, against the stable outcome and ignoring cascades.</summary>
/// <param name="Seat">The seat the offer would give them; <see cref="AllocationSeat.None"/> when it would not keep them.</param>
/// <param name="Place">Their place (1-based) in admission order among the offer's admitted applications and them.</param>
/// <param name="AdmittedBefore">How many applications the offer admitted in the stable outcome.</param>
public readonly record struct HypotheticalAdmission(AllocationSeat Seat, int Place, int AdmittedBefore)
{
    /// <summary>True when the offer would keep them, on any kind of seat.</summary>
    public bool Admitted => Seat != AllocationSeat.None;
}
