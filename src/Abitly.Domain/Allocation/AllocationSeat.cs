namespace Abitly.Domain.Allocation;

/// <summary>The seat an application holds when the allocation is stable.</summary>
public enum AllocationSeat : byte
{
    /// <summary>No budget seat at this offer.</summary>
    None = 0,

    /// <summary>A quota-1 seat.</summary>
    Quota1 = 1,

    /// <summary>A quota-2 seat.</summary>
    Quota2 = 2,

    /// <summary>A seat in the general competition.</summary>
    General = 3,
}
