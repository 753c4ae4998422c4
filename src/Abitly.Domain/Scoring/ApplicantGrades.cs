namespace Abitly.Domain.Scoring;

/// <summary>An applicant's results: NMT scores by subject code, and the optional creative and preparatory-course points.</summary>
/// <param name="Scores">NMT scores (100–200) by subject code; values outside the scale count as not present.</param>
/// <param name="CreativeScore">ТК (100–200) where the applicant sat a creative competition.</param>
/// <param name="PreparatoryPoints">ОУ (0–10); pass it only for applications where the year's rules grant it.</param>
public sealed record ApplicantGrades(
    IReadOnlyDictionary<string, decimal> Scores,
    decimal? CreativeScore = null,
    decimal PreparatoryPoints = 0m);
