namespace Abitly.Domain.Scoring;

/// <summary>One stored result of an applicant: an NMT subject (100–200), the creative contest (<c>creative</c>, 100–200) or preparatory-course points (<c>prep</c>, 0–10), with its year.</summary>
public sealed record GradeResult(string Subject, decimal Score, int Year);
