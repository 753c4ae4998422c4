namespace Abitly.Domain.Scoring;

/// <summary>Computes the competitive score (конкурсний бал) for a bachelor application on complete secondary education (NMT).</summary>
/// <remarks>
/// From 2025: КБ = (К1·П1 + К2·П2 + К3·П3 + К4·П4 + КТ·ТК) / (К1 + К2 + К3 + (К4max + К4)/2 + КТ) + ОУ.
/// Up to 2024: the same with plain К4 in the denominator.
/// Then × РК × ГК, capped at 200, rounded half-up to 0.001. All arithmetic is decimal so published examples match exactly.
/// </remarks>
public static class CompetitiveScoreCalculator
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
    /// <remarks>
    /// Called for every application the generator makes and for whole standings, so a scored result allocates only its two
    /// records (and a list when a grade is invalid or a subject is below a minimum). Every figure comes from the same decimal
    /// operations in the same order as the formula above, so results, including the scale of each decimal, never depend on
    /// the shortcuts taken here.
    /// </remarks>
    public static ScoreOutcome Calculate(OfferWeights offer, ApplicantGrades grades)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(grades);
        var maxFourthWeight = MaxFourthSubjectWeight(offer, out var negativeFourthWeight);
        EnsureValid(offer, maxFourthWeight, negativeFourthWeight);

        // The grades that count and the 4th-subject options the applicant holds, in ordinal order (the order ties and errors
        // are met in), on the stack. Where both dictionaries compare codes ordinally (as every caller builds them) one pass
        // over the applicant's few grades finds them; otherwise lookups find them, as the formula is written.
        var fourthWeights = offer.FourthSubjectWeights;
        var buffer = default(CandidateBuffer);
        scoped Span<Candidate> candidates;
        int candidateCount;
        List<string>? invalid = null;
        decimal? ukrainian = null, mathematics = null, history = null;
        if (Ordinal(grades.Scores) is { } scores && Ordinal(fourthWeights) is { } weights)
        {
            var most = Math.Min(scores.Count, weights.Count);
            candidates = most <= CandidateBuffer.Length ? buffer[..] : new Candidate[most];
            candidateCount = 0;
            foreach (var (code, score) in scores)
            {
                if (!IsValidGrade(score))
                {
                    (invalid ??= []).Add(code);
                    continue;
                }

                switch (code)
                {
                    case Subjects.Ukrainian: ukrainian = score; break;
                    case Subjects.Mathematics: mathematics = score; break;
                    case Subjects.History: history = score; break;
                    default: break;
                }

                if (weights.TryGetValue(code, out var weight))
                {
                    candidates[candidateCount++] = new Candidate(code, weight, score);
                }
            }
        }
        else
        {
            invalid = InvalidGrades(grades.Scores);
            ukrainian = Grade(grades, Subjects.Ukrainian);
            mathematics = Grade(grades, Subjects.Mathematics);
            history = Grade(grades, Subjects.History);
            candidates = fourthWeights.Count <= CandidateBuffer.Length ? buffer[..] : new Candidate[fourthWeights.Count];
            candidateCount = CollectCandidates(fourthWeights, grades, candidates);
        }

        candidates = candidates[..candidateCount];
        SortByCode(candidates);
        invalid?.Sort(StringComparer.Ordinal);
        if (grades.CreativeScore is { } creativeGiven && !IsValidGrade(creativeGiven))
        {
            (invalid ??= []).Add(Subjects.Creative);
        }

        var preparatoryValid = grades.PreparatoryPoints is >= 0m and <= MaxPreparatoryPoints;
        if (!preparatoryValid)
        {
            (invalid ??= []).Add(Subjects.PreparatoryCourse);
        }

        var creative = grades.CreativeScore is { } c && IsValidGrade(c) ? c : (decimal?)null;

        if (ukrainian is null || mathematics is null || history is null || (offer.CreativeWeight is not null && creative is null)
            || (fourthWeights.Count > 0 && candidateCount == 0))
        {
            return Unscored(offer, grades, creative, candidateCount, invalid);
        }

        var numerator = (offer.UkrainianWeight * ukrainian.Value)
            + (offer.MathematicsWeight * mathematics.Value)
            + (offer.HistoryWeight * history.Value)
            + ((offer.CreativeWeight ?? 0m) * (creative ?? 0m));
        var denominator = offer.UkrainianWeight + offer.MathematicsWeight + offer.HistoryWeight + (offer.CreativeWeight ?? 0m);
        var preparatory = preparatoryValid ? grades.PreparatoryPoints : 0m;

        string? bestSubject = null;
        decimal best;
        if (candidates.Length == 0)
        {
            best = (numerator / denominator) + preparatory;
        }
        else
        {
            best = decimal.MinValue;
            foreach (ref readonly var candidate in candidates)
            {
                // Every candidate gets the same РК and ГК, so the highest КБ is also the highest final score.
                var score = ((numerator + (candidate.Weight * candidate.Grade)) / (denominator + FourthDenominatorTerm(offer.Year, maxFourthWeight, candidate.Weight)))
                    + preparatory;
                if (score > best)
                {
                    best = score;
                    bestSubject = candidate.Code;
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
            (IReadOnlyList<string>?)invalid ?? Array.Empty<string>());
    }

    /// <summary>Rounds half-up (away from zero) to 0.001, the precision of published competitive scores.</summary>
    public static decimal Round(decimal value) => Math.Round(value, 3, MidpointRounding.AwayFromZero);

    /// <summary>Whether a value is on the 100–200 NMT scale.</summary>
    public static bool IsValidGrade(decimal score) => score is >= MinGrade and <= MaxGrade;

    private static decimal FourthDenominatorTerm(int year, decimal maxFourthWeight, decimal weight) =>
        year >= FirstYearWithAveragedFourthWeight ? (maxFourthWeight + weight) / 2m : weight;

    private static decimal Finish(decimal score) => Round(Math.Min(score, MaxScore));

    private static decimal? Grade(ApplicantGrades grades, string code) =>
        grades.Scores.TryGetValue(code, out var score) && IsValidGrade(score) ? score : null;

    /// <summary>What a required subject or a 4th-subject option is missing; only reached when there is no score.</summary>
    private static ScoreOutcome Unscored(OfferWeights offer, ApplicantGrades grades, decimal? creative, int candidateCount, List<string>? invalid)
    {
        var missing = Subjects.Required.Where(code => Grade(grades, code) is null).ToList();
        if (offer.CreativeWeight is not null && creative is null)
        {
            missing.Add(Subjects.Creative);
        }

        IReadOnlyList<string> missingFourth = offer.FourthSubjectWeights.Count > 0 && candidateCount == 0
            ? [.. offer.FourthSubjectWeights.Keys.Order(StringComparer.Ordinal)]
            : [];
        return new ScoreOutcome(null, missing, missingFourth, (IReadOnlyList<string>?)invalid ?? Array.Empty<string>());
    }

    /// <summary>
    /// К4max as <see cref="OfferWeights.MaxFourthSubjectWeight"/> gives it (the first of equal maxima, so its decimal scale
    /// too), and whether any 4th-subject weight is negative, in one pass without an enumerator on the heap.
    /// </summary>
    private static decimal MaxFourthSubjectWeight(OfferWeights offer, out bool negative)
    {
        if (offer.FourthSubjectWeights is not Dictionary<string, decimal> weights)
        {
            negative = offer.FourthSubjectWeights.Values.Any(w => w < 0m);
            return offer.MaxFourthSubjectWeight;
        }

        negative = false;
        if (weights.Count == 0)
        {
            return 0m;
        }

        var max = decimal.MinValue;
        var first = true;
        foreach (var weight in weights.Values)
        {
            negative |= weight < 0m;
            if (first || weight > max)
            {
                max = weight;
                first = false;
            }
        }

        return max;
    }

    /// <summary>A dictionary whose keys compare ordinally, or null: then codes found by enumerating match lookups exactly.</summary>
    private static Dictionary<string, decimal>? Ordinal(IReadOnlyDictionary<string, decimal> values) =>
        values is Dictionary<string, decimal> dictionary
        && (ReferenceEquals(dictionary.Comparer, StringComparer.Ordinal) || ReferenceEquals(dictionary.Comparer, EqualityComparer<string>.Default))
            ? dictionary
            : null;

    /// <summary>Codes of grades outside the scale, or null when every grade is on it.</summary>
    private static List<string>? InvalidGrades(IReadOnlyDictionary<string, decimal> scores)
    {
        List<string>? invalid = null;
        if (scores is Dictionary<string, decimal> dictionary)
        {
            foreach (var (code, score) in dictionary)
            {
                if (!IsValidGrade(score))
                {
                    (invalid ??= []).Add(code);
                }
            }
        }
        else
        {
            foreach (var (code, score) in scores)
            {
                if (!IsValidGrade(score))
                {
                    (invalid ??= []).Add(code);
                }
            }
        }

        return invalid;
    }

    private static int CollectCandidates(IReadOnlyDictionary<string, decimal> weights, ApplicantGrades grades, Span<Candidate> candidates)
    {
        var count = 0;
        foreach (var code in weights.Keys)
        {
            if (Grade(grades, code) is { } grade && count < candidates.Length)
            {
                candidates[count++] = new Candidate(code, weights[code], grade);
            }
        }

        return count;
    }

    /// <summary>Insertion sort by ordinal code: an applicant holds one or two of the options, an offer at most nine.</summary>
    private static void SortByCode(Span<Candidate> candidates)
    {
        for (var i = 1; i < candidates.Length; i++)
        {
            var item = candidates[i];
            var j = i - 1;
            while (j >= 0 && string.CompareOrdinal(candidates[j].Code, item.Code) > 0)
            {
                candidates[j + 1] = candidates[j];
                j--;
            }

            candidates[j + 1] = item;
        }
    }

    private static IReadOnlyList<string> BelowMinimum(OfferWeights offer, ApplicantGrades grades, decimal? creative, string? fourthSubject)
    {
        if (offer.MinScores is null)
        {
            return Array.Empty<string>();
        }

        List<string>? below = null;
        foreach (var (code, min) in offer.MinScores)
        {
            // Only the 4th subject actually used is held to its minimum.
            if (offer.FourthSubjectWeights.ContainsKey(code) && code != fourthSubject)
            {
                continue;
            }

            var score = code == Subjects.Creative ? creative : Grade(grades, code);
            if (score is not null && score < min)
            {
                (below ??= []).Add(code);
            }
        }

        below?.Sort(StringComparer.Ordinal);
        return (IReadOnlyList<string>?)below ?? Array.Empty<string>();
    }

    private static void EnsureValid(OfferWeights offer, decimal maxFourthWeight, bool negativeFourthWeight)
    {
        if (offer.UkrainianWeight < 0m || offer.MathematicsWeight < 0m || offer.HistoryWeight < 0m
            || offer.CreativeWeight < 0m || negativeFourthWeight)
        {
            throw new ArgumentException("Subject weights must not be negative.", nameof(offer));
        }

        if (offer.UkrainianWeight + offer.MathematicsWeight + offer.HistoryWeight + (offer.CreativeWeight ?? 0m) + maxFourthWeight == 0m)
        {
            throw new ArgumentException("An offer needs at least one non-zero subject weight.", nameof(offer));
        }

        if (offer.RegionalCoefficient <= 0m)
        {
            throw new ArgumentException("The regional coefficient must be positive.", nameof(offer));
        }
    }

    /// <summary>A 4th-subject option the applicant holds: its code, К4 and the applicant's grade.</summary>
    private readonly record struct Candidate(string Code, decimal Weight, decimal Grade);

    /// <summary>Room for the options of any real offer (nine today) without a heap array.</summary>
    [System.Runtime.CompilerServices.InlineArray(Length)]
    private struct CandidateBuffer
    {
        public const int Length = 12;

        private Candidate _first;
    }
}
