namespace Abitly.Domain.Allocation;

/// <summary>An offer's budget competition once the allocation is stable: seats filled per kind and the scores at their ends.</summary>
/// <param name="OfferId">The EDBO offer id.</param>
/// <param name="BudgetPlaces">Budget places as given.</param>
/// <param name="Quota1Seated">Applications on quota-1 seats.</param>
/// <param name="Quota2Seated">Applications on quota-2 seats.</param>
/// <param name="GeneralSeated">Applications on general seats (quota applicants who missed a quota seat included).</param>
/// <param name="GeneralPlaces">General seats: budget places minus the quota seats actually filled.</param>
/// <param name="LowestQuota1Score">Lowest score on a quota-1 seat; null when none is filled.</param>
/// <param name="LowestQuota2Score">Lowest score on a quota-2 seat; null when none is filled.</param>
/// <param name="LowestGeneralScore">Lowest score on a general seat; null when none is filled.</param>
/// <param name="GeneralCutOff">
/// The score on the last general seat when every general seat is filled; null when a general seat is left, so any
/// eligible applicant would get one, or when the offer has no general seats at all (see <see cref="GeneralPlaces"/>).
/// </param>
public readonly record struct OfferOutcome(
    long OfferId,
    int BudgetPlaces,
    int Quota1Seated,
    int Quota2Seated,
    int GeneralSeated,
    int GeneralPlaces,
    int? LowestQuota1Score,
    int? LowestQuota2Score,
    int? LowestGeneralScore,
    int? GeneralCutOff)
{
    /// <summary>Applications holding a seat here, of every kind.</summary>
    public int Admitted => Quota1Seated + Quota2Seated + GeneralSeated;

    /// <summary>True when a general seat is left: any eligible applicant who applied here would get in.</summary>
    public bool HasFreeGeneralSeat => GeneralSeated < GeneralPlaces;
}
