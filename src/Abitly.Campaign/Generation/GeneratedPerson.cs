using Abitly.Domain.Ranking;
using Abitly.Domain.Scoring;

namespace Abitly.Campaign.Generation;

/// <summary>The ground truth behind generated lists: one person, their results and every application they made.</summary>
/// <param name="PersonKey">The key on each of their applications.</param>
/// <param name="FullName">The name as the lists publish it (surname, given name, patronymic).</param>
/// <param name="Grades">NMT scores, the creative score where they sat one, and preparatory-course points (ОУ).</param>
/// <param name="Quota">The quota they are entitled to; their budget applications carry it where the offer has such places.</param>
/// <param name="Applications">Their applications: budget ones by priority, then contract ones by offer id.</param>
public sealed record GeneratedPerson(string PersonKey, string FullName, ApplicantGrades Grades, QuotaKind Quota, IReadOnlyList<GeneratedApplication> Applications)
{
    /// <summary>The grades that count for an offer: preparatory-course points only where the offer lets them apply.</summary>
    public ApplicantGrades GradesFor(SnapshotOffer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return offer.PreparatoryPointsApply || Grades.PreparatoryPoints == 0m ? Grades : Grades with { PreparatoryPoints = 0m };
    }
}

/// <summary>One application of a generated person.</summary>
/// <param name="OfferEdboId">The offer applied to.</param>
/// <param name="Priority">Budget priority 1–5, or null for a contract application.</param>
public sealed record GeneratedApplication(long OfferEdboId, int? Priority);
