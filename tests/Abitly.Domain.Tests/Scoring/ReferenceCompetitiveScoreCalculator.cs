using Abitly.Domain.Scoring;

namespace Abitly.Domain.Tests.Scoring;

/// <summary>
/// The competitive score calculator as it was before it was made allocation-free (commit f004816), kept word for word
/// as the reference the differential property compares the production calculator with. Do not optimise it.
/// </summary>
internal static class ReferenceCompetitiveScoreCalculator
{
    /// <summary>The highest competitive score; applied after the multipliers.</summary>
    public const decimal MaxScore = 200m;

    /// <summary>The lowest valid NMT or creative-competition score.</summary>
    public const decimal MinGrade = 100m;

    /// <summary>The highest valid NMT or creative-competition score.</summary>
    public const decimal MaxGrade = 200m;

    /// <summary>The most preparatory-course points (ОУ) an applicant can have.</summary>
    public const decimal MaxPreparatoryPoints = 10m;

    /// <summary>The first year whose denominator averages К4 with К4max.</summary>
    public const int FirstYearWithAveragedFourthWeight = 2025;

    /// <summary>Scores one applicant for one offer, choosing the 4th subject that gives the highest score.</summary>
    public static ScoreOutcome Calculate(OfferWeights offer, ApplicantGrades grades)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(grades);
        EnsureValid(offer);

        var invalid = grades.Scores.Where(g => !IsValidGrade(g.Value)).Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
        if (grades.CreativeScore is { } creativeGiven && !IsValidGrade(creativeGiven))
        {
            invalid.Add(Subjects.Creative);
        }

        var preparatoryValid = grades.PreparatoryPoints is >= 0m and <= MaxPreparatoryPoints;
        if (!preparatoryValid)
        {
            invalid.Add(Subjects.PreparatoryCourse);
        }

        var missing = Subjects.Required.Where(code => Grade(grades, code) is null).ToList();
        var creative = grades.CreativeScore is { } c && IsValidGrade(c) ? c : (decimal?)null;
        if (offer.CreativeWeight is not null && creative is null)
        {
            missing.Add(Subjects.Creative);
        }

        var fourthCandidates = offer.FourthSubjectWeights.Keys
            .Where(code => Grade(grades, code) is not null)
            .Order(StringComparer.Ordinal)
            .ToList();
        IReadOnlyList<string> missingFourth = offer.FourthSubjectWeights.Count > 0 && fourthCandidates.Count == 0
            ? [.. offer.FourthSubjectWeights.Keys.Order(StringComparer.Ordinal)]
            : [];

        if (missing.Count > 0 || missingFourth.Count > 0)
        {
            return new ScoreOutcome(null, missing, missingFourth, invalid);
        }

        var numerator = (offer.UkrainianWeight * Grade(grades, Subjects.Ukrainian)!.Value)
            + (offer.MathematicsWeight * Grade(grades, Subjects.Mathematics)!.Value)
            + (offer.HistoryWeight * Grade(grades, Subjects.History)!.Value)
            + ((offer.CreativeWeight ?? 0m) * (creative ?? 0m));
        var denominator = offer.UkrainianWeight + offer.MathematicsWeight + offer.HistoryWeight + (offer.CreativeWeight ?? 0m);
        var preparatory = preparatoryValid ? grades.PreparatoryPoints : 0m;

        string? bestSubject = null;
        decimal best;
        if (fourthCandidates.Count == 0)
        {
            best = (numerator / denominator) + preparatory;
        }
        else
        {
            best = decimal.MinValue;
            foreach (var code in fourthCandidates)
            {
                // Every candidate gets the same РК and ГК, so the highest КБ is also the highest final score.
                var weight = offer.FourthSubjectWeights[code];
                var score = ((numerator + (weight * Grade(grades, code)!.Value)) / (denominator + FourthDenominatorTerm(offer, weight)))
                    + preparatory;
                if (score > best)
                {
                    best = score;
                    bestSubject = code;
                }
            }
        }

        var sectoral = SectoralCoefficient.For(offer.SectoralCoefficientEffective, priority: 1);
        var baseScore = Finish(best);
        var threshold = BudgetThresholds.For(offer.Year, offer.SpecialityCode);
        return new ScoreOutcome(
            new CompetitiveScore(
                Base: baseScore,
                WithPriorityBonus: Finish(best * offer.RegionalCoefficient * sectoral),
                WithoutPriorityBonus: Finish(best * offer.RegionalCoefficient),
                FourthSubject: bestSubject,
                BudgetThreshold: threshold,
                // Compared before РК/ГК so a bonus never hides a miss; the year's rules are the authority.
                MeetsBudgetThreshold: baseScore >= threshold,
                SubjectsBelowMinimum: BelowMinimum(offer, grades, creative, bestSubject)),
            [],
            [],
            invalid);
    }

    /// <summary>Rounds half-up (away from zero) to 0.001, the precision of published competitive scores.</summary>
    public static decimal Round(decimal value) => Math.Round(value, 3, MidpointRounding.AwayFromZero);

    /// <summary>Whether a value is on the 100–200 NMT scale.</summary>
    public static bool IsValidGrade(decimal score) => score is >= MinGrade and <= MaxGrade;

    private static decimal FourthDenominatorTerm(OfferWeights offer, decimal weight) =>
        offer.Year >= FirstYearWithAveragedFourthWeight ? (offer.MaxFourthSubjectWeight + weight) / 2m : weight;

    private static decimal Finish(decimal score) => Round(Math.Min(score, MaxScore));

    private static decimal? Grade(ApplicantGrades grades, string code) =>
        grades.Scores.TryGetValue(code, out var score) && IsValidGrade(score) ? score : null;

    private static List<string> BelowMinimum(OfferWeights offer, ApplicantGrades grades, decimal? creative, string? fourthSubject)
    {
        var below = new List<string>();
        if (offer.MinScores is null)
        {
            return below;
        }

        foreach (var (code, min) in offer.MinScores.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            // Only the 4th subject actually used is held to its minimum.
            if (offer.FourthSubjectWeights.ContainsKey(code) && code != fourthSubject)
            {
                continue;
            }

            var score = code == Subjects.Creative ? creative : Grade(grades, code);
            if (score is not null && score < min)
            {
                below.Add(code);
            }
        }

        return below;
    }

    private static void EnsureValid(OfferWeights offer)
    {
        if (offer.UkrainianWeight < 0m || offer.MathematicsWeight < 0m || offer.HistoryWeight < 0m
            || offer.CreativeWeight < 0m || offer.FourthSubjectWeights.Values.Any(w => w < 0m))
        {
            throw new ArgumentException("Subject weights must not be negative.", nameof(offer));
        }

        if (offer.UkrainianWeight + offer.MathematicsWeight + offer.HistoryWeight + (offer.CreativeWeight ?? 0m) + offer.MaxFourthSubjectWeight == 0m)
        {
            throw new ArgumentException("An offer needs at least one non-zero subject weight.", nameof(offer));
        }

        if (offer.RegionalCoefficient <= 0m)
        {
            throw new ArgumentException("The regional coefficient must be positive.", nameof(offer));
        }
    }
}
