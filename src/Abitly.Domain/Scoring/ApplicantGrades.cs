namespace Abitly.Domain.Scoring;

/// <summary>An applicant's results: NMT scores by subject code, and the optional creative and preparatory-course points.</summary>
/// <param name="Scores">NMT scores (100–200) by subject code; values outside the scale count as not present.</param>
/// <param name="CreativeScore">ТК (100–200) where the applicant sat a creative competition.</param>
/// <param name="PreparatoryPoints">ОУ (0–10); pass it only for applications where the year's rules grant it.</param>
public sealed record ApplicantGrades(
    IReadOnlyDictionary<string, decimal> Scores,
    decimal? CreativeScore = null,
    decimal PreparatoryPoints = 0m)
{
    /// <summary>
    /// The one mapping from stored results to the formula's inputs: the newest result per subject counts (results of several
    /// years may be on file); <c>creative</c> becomes ТК; <c>prep</c> becomes ОУ only where the offer grants it
    /// (<paramref name="preparatoryPointsApply"/>), and is ignored elsewhere.
    /// </summary>
    public static ApplicantGrades FromResults(IEnumerable<GradeResult> results, bool preparatoryPointsApply)
    {
        ArgumentNullException.ThrowIfNull(results);
        var newest = new Dictionary<string, GradeResult>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            if (!newest.TryGetValue(result.Subject, out var kept) || result.Year > kept.Year)
            {
                newest[result.Subject] = result;
            }
        }

        decimal? creative = newest.Remove(Subjects.Creative, out var c) ? c.Score : null;
        var preparatory = newest.Remove(Subjects.PreparatoryCourse, out var p) && preparatoryPointsApply ? p.Score : 0m;
        return new ApplicantGrades(newest.ToDictionary(r => r.Key, r => r.Value.Score, StringComparer.Ordinal), creative, preparatory);
    }
}
