namespace Abitly.Domain.Scoring;

/// <summary>A computed competitive score (конкурсний бал), each figure capped at 200 and rounded half-up to 0.001.</summary>
/// <param name="Base">КБ before РК and ГК (ОУ included).</param>
/// <param name="WithPriorityBonus">КБ × РК × ГК: the score of a priority 1–2 application.</param>
/// <param name="WithoutPriorityBonus">КБ × РК: the score of a priority 3–5 or contract application.</param>
/// <param name="FourthSubject">The 4th subject that gives the best score, or null for a three-subject offer.</param>
/// <param name="BudgetThreshold">The minimum score for budget places for this speciality and year.</param>
/// <param name="MeetsBudgetThreshold">Whether <see cref="Base"/> reaches <see cref="BudgetThreshold"/>.</param>
/// <param name="SubjectsBelowMinimum">Subjects whose grade is below the offer's per-subject minimum.</param>
public sealed record CompetitiveScore(
    decimal Base,
    decimal WithPriorityBonus,
    decimal WithoutPriorityBonus,
    string? FourthSubject,
    decimal BudgetThreshold,
    bool MeetsBudgetThreshold,
    IReadOnlyList<string> SubjectsBelowMinimum)
{
    /// <summary>True when priority 1–2 and other priorities score differently, so both should be shown.</summary>
    public bool PriorityBonusDiffers => WithPriorityBonus != WithoutPriorityBonus;
}
