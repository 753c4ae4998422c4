namespace Abitly.Domain.Ranking;

/// <summary>An offer's budget seats: the maximum state order and its quota-1 and quota-2 places (null budget = contract only).</summary>
public sealed record BudgetSeats(int? BudgetPlaces, int Quota1Places, int Quota2Places)
{
    /// <summary>Quota places as they can be used: never negative, never more than the budget (quota 1 is cut last).</summary>
    public (int Quota1, int Quota2) UsableQuotaPlaces
    {
        get
        {
            var budget = Math.Max(0, BudgetPlaces ?? 0);
            var quota1 = Math.Clamp(Quota1Places, 0, budget);
            return (quota1, Math.Clamp(Quota2Places, 0, budget - quota1));
        }
    }
}
