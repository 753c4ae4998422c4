namespace Abitly.Domain.Allocation;

/// <summary>One competitive offer in the allocation: its budget places and the quota places carved out of them.</summary>
/// <param name="OfferId">The EDBO offer id, carried through to the outcome.</param>
/// <param name="BudgetPlaces">Budget places (the max state order); 0 for a contract-only offer, which seats nobody.</param>
/// <param name="Quota1Places">Quota-1 places within <paramref name="BudgetPlaces"/>.</param>
/// <param name="Quota2Places">Quota-2 places within <paramref name="BudgetPlaces"/>.</param>
public readonly record struct AllocationOffer(long OfferId, int BudgetPlaces, int Quota1Places, int Quota2Places);
