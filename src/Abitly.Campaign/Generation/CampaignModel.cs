using Abitly.Domain.Ranking;
using Abitly.Domain.Scoring;

namespace Abitly.Campaign.Generation;

/// <summary>Published statuses the generator uses.</summary>
internal static class GeneratedStatus
{
    public const byte Admitted = 0;
    public const byte Registered = 1;
    public const byte Cancelled = 2;
    public const byte Refused = 3;
    public const byte Recommended = 4;

    public static readonly string[] Texts = ["Допущено", "Зареєстровано", "Скасовано вступником", "Відмова", "Рекомендовано (бюджет)"];

    public static bool IsActive(byte status) => status is Admitted or Registered or Recommended;
}

/// <summary>One application on a generated list, kept small: a national campaign holds over a million of them.</summary>
internal struct ApplicationRow
{
    public int Person;
    public byte Priority; // 0 = contract
    public byte Status;
    public QuotaKind Quota;
    public decimal? Score;
}

/// <summary>A generated offer: its fixed description and its list, which revisions change.</summary>
internal sealed class OfferModel
{
    public required long EdboId { get; init; }
    public required CatalogSpeciality Speciality { get; init; }
    public required SnapshotUniversity University { get; init; }
    public required SnapshotSpeciality SpecialityRecord { get; init; }
    public required string Program { get; init; }
    public required string? Faculty { get; init; }
    public required string Form { get; init; }
    public required decimal RegionalCoefficient { get; init; }
    public required bool Sectoral { get; init; }
    public required bool PreparatoryPointsApply { get; init; }
    public required IReadOnlyList<SnapshotWeight> Weights { get; init; }
    public required OfferWeights Formula { get; init; }
    public required string? SourceUrl { get; init; }
    public required decimal? MinBudgetScoreLastYear { get; init; }
    public required double Prestige { get; init; }
    public string Degree { get; init; } = "Бакалавр";

    /// <summary>Whether a caller pinned it (<see cref="PinnedOffer"/>): its definition never changes, only its list.</summary>
    public bool Pinned { get; init; }

    /// <summary>A pinned offer's pull relative to an ordinary offer (<see cref="PinnedOffer.Demand"/>); 1 for generated ones.</summary>
    public double Demand { get; init; } = 1.0;

    /// <summary>A pinned offer nobody applies to, in any revision.</summary>
    public bool NoApplications { get; init; }

    /// <summary>The applications a pinned offer draws at least (<see cref="PinnedOffer.Demand"/>); 0 for generated ones.</summary>
    public int Target { get; init; }

    public int? BudgetPlaces { get; set; }
    public int Quota1Places { get; set; }
    public int Quota2Places { get; set; }
    public int? LicenseVolume { get; set; }
    public List<ApplicationRow> Rows { get; } = [];

    /// <summary>How strongly the offer draws applicants beside its prestige: bigger offers draw more, and pinned ones by their demand.</summary>
    public double Capacity => ((BudgetPlaces ?? 0) + 8.0) * Demand;

    public void SetBudget(int? places)
    {
        BudgetPlaces = places;
        Quota1Places = places is { } b ? (int)Math.Round(b * 0.10, MidpointRounding.AwayFromZero) : 0;
        Quota2Places = places is { } c ? (int)Math.Round(c * 0.05, MidpointRounding.AwayFromZero) : 0;
    }
}

/// <summary>A generated person while the campaign is being built.</summary>
internal sealed class PersonModel
{
    /// <summary>The person's place in the campaign's list of persons, set when their applications are added.</summary>
    public int Index { get; set; } = -1;
    public required string Key { get; init; }
    public required string Name { get; init; }
    public required ApplicantGrades Grades { get; init; }
    public required QuotaKind Quota { get; init; }
    public required double Ability { get; init; }
    public required string[] FourthSubjects { get; init; }

    // Scores already computed for this person, by formula and whether ОУ counts: persons apply to similar offers.
    private readonly List<(OfferWeights Formula, bool Preparatory, CompetitiveScore? Score)> _scores = new(4);

    /// <summary>Drops the cached scores once the person's rows are on the lists: a campaign keeps its persons, not their scoring.</summary>
    public void ForgetScores() => _scores.Clear();

    public CompetitiveScore? ScoreFor(OfferModel offer)
    {
        foreach (var (formula, preparatory, score) in _scores)
        {
            if (ReferenceEquals(formula, offer.Formula) && preparatory == offer.PreparatoryPointsApply)
            {
                return score;
            }
        }

        var grades = offer.PreparatoryPointsApply || Grades.PreparatoryPoints == 0m ? Grades : Grades with { PreparatoryPoints = 0m };
        var computed = CompetitiveScoreCalculator.Calculate(offer.Formula, grades).Score;
        _scores.Add((offer.Formula, offer.PreparatoryPointsApply, computed));
        return computed;
    }

    /// <summary>
    /// Whether the person can compete for the offer's budget places: a score that reaches the budget threshold (130, or 150
    /// for the listed specialities) and no subject below the offer's minimum.
    /// </summary>
    public bool CanApplyForBudget(OfferModel offer) => ScoreFor(offer) is { SubjectsBelowMinimum.Count: 0, MeetsBudgetThreshold: true };

    /// <summary>
    /// Whether the person can apply on contract: a score of at least 100 and no subject below the offer's minimum. (Since
    /// 2025 a 4th subject weighted below К4max can pull the score under 100; such applicants cannot apply at all.)
    /// </summary>
    public bool CanApplyForContract(OfferModel offer) =>
        ScoreFor(offer) is { SubjectsBelowMinimum.Count: 0 } score && score.WithoutPriorityBonus >= SnapshotFormat.MinScore;

    public bool CanApply(OfferModel offer, bool budget) => budget ? CanApplyForBudget(offer) : CanApplyForContract(offer);

    /// <summary>The published score for an application of this priority (null = contract): ГК only for priorities 1–2.</summary>
    public decimal? PublishedScore(OfferModel offer, int? priority) => ScoreFor(offer) is { } score
        ? (priority is >= 1 and <= SectoralCoefficient.MaxPriority ? score.WithPriorityBonus : score.WithoutPriorityBonus)
        : null;
}
