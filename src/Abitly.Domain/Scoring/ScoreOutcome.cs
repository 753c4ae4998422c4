using System.Diagnostics.CodeAnalysis;

namespace Abitly.Domain.Scoring;

/// <summary>The result of scoring one applicant for one offer: a score, or what is missing for one.</summary>
/// <param name="Score">The score, or null when a required subject is missing.</param>
/// <param name="MissingSubjects">Required subjects (ukr, math, hist, creative) without a valid grade, in formula order.</param>
/// <param name="MissingFourthSubjectOptions">When no 4th-subject option has a valid grade: the offer's options (any one will do); else empty.</param>
/// <param name="InvalidGrades">Codes of given grades outside their scale (NMT and ТК 100–200, ОУ 0–10); they are treated as not given.</param>
public sealed record ScoreOutcome(
    CompetitiveScore? Score,
    IReadOnlyList<string> MissingSubjects,
    IReadOnlyList<string> MissingFourthSubjectOptions,
    IReadOnlyList<string> InvalidGrades)
{
    /// <summary>True when <see cref="Score"/> is present.</summary>
    [MemberNotNullWhen(true, nameof(Score))]
    public bool HasScore => Score is not null;
}
