using Abitly.Campaign;
using Abitly.Domain.Ranking;

namespace Abitly.Bot.Import;

/// <summary>One list entry as it is stored: initials only, never the published full name.</summary>
public sealed record PreparedApplicant(int Position, string FullName, decimal? Score, int? Priority, string Status, QuotaKind Quota, string? PersonKey);

/// <summary>
/// An offer of a snapshot ready to be written: its row, its list as stored, and what is computed from the list at import
/// (analytics and the snapshot row with the cut-off by the one rule).
/// </summary>
public sealed record PreparedOffer(
    SnapshotOffer Offer,
    int Year,
    string ContentHash,
    int UniversityId,
    int SpecialityId,
    IReadOnlyList<PreparedApplicant> Applicants,
    int ApplicationsBudget,
    decimal? AverageScore,
    int ActiveApplications,
    int ActiveBudgetApplications,
    decimal? CutOff,
    bool IsNew)
{
    /// <summary>Pure: the stored list and the figures of one offer.</summary>
    public static PreparedOffer From(SnapshotOffer offer, int year, string contentHash, int universityId, int specialityId, bool isNew)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var applicants = new PreparedApplicant[offer.Applications.Count];
        var ranked = new RankedApplication[offer.Applications.Count];
        int active = 0, activeBudget = 0;
        decimal scoreSum = 0m;
        var scored = 0;
        for (var i = 0; i < applicants.Length; i++)
        {
            var a = offer.Applications[i];
            applicants[i] = new PreparedApplicant(a.Position, PublishedNames.ToInitials(a.Name), a.Score, a.Priority, a.Status, a.Quota, a.PersonKey);
            ranked[i] = new RankedApplication(a.Score, a.Priority, a.Status, a.Quota);
            if (!ApplicationStatuses.IsActive(a.Status))
            {
                continue;
            }

            active++;
            if (a.Priority is not null)
            {
                activeBudget++;
            }

            if (a.Score is { } score)
            {
                scoreSum += score;
                scored++;
            }
        }

        var competition = BudgetCompetition.From(ranked, new BudgetSeats(offer.BudgetPlaces, offer.Quota1Places, offer.Quota2Places));
        return new PreparedOffer(
            offer, year, contentHash, universityId, specialityId, applicants, activeBudget,
            scored == 0 ? null : Math.Round(scoreSum / scored, 3, MidpointRounding.AwayFromZero),
            active, competition.ActiveBudgetApplications, competition.CutOff, isNew);
    }
}
