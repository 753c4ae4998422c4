namespace Abitly.Domain.Scoring;

/// <summary>The score formula's inputs that belong to an offer: subject weights and multipliers.</summary>
/// <param name="Year">Campaign year; decides the denominator form (see <see cref="CompetitiveScoreCalculator"/>).</param>
/// <param name="UkrainianWeight">К1.</param>
/// <param name="MathematicsWeight">К2.</param>
/// <param name="HistoryWeight">К3.</param>
/// <param name="FourthSubjectWeights">К4 per 4th-subject option (subject code → weight); empty for three-subject years (2022–2023).</param>
/// <param name="CreativeWeight">КТ when the offer has a creative competition, else null.</param>
/// <param name="RegionalCoefficient">РК by the university's location (1.00, 1.04 or 1.07 in 2025).</param>
/// <param name="SectoralCoefficientApplies">Whether ГК applies; null derives it from <see cref="SpecialityCode"/> via <see cref="SectoralCoefficient.AppliesTo"/>.</param>
/// <param name="SpecialityCode">Speciality code (e.g. "C3", "121"); picks the budget threshold.</param>
/// <param name="MinScores">Per-subject minimum scores the offer sets, if any.</param>
public sealed record OfferWeights(
    int Year,
    decimal UkrainianWeight,
    decimal MathematicsWeight,
    decimal HistoryWeight,
    IReadOnlyDictionary<string, decimal> FourthSubjectWeights,
    decimal? CreativeWeight = null,
    decimal RegionalCoefficient = 1.00m,
    bool? SectoralCoefficientApplies = null,
    string? SpecialityCode = null,
    IReadOnlyDictionary<string, decimal>? MinScores = null)
{
    /// <summary>К4max: the largest 4th-subject weight of the offer (0 when there is no 4th subject).</summary>
    public decimal MaxFourthSubjectWeight => FourthSubjectWeights.Count == 0 ? 0m : FourthSubjectWeights.Values.Max();

    /// <summary>Whether ГК = 1.02 applies to priority 1–2 applications to this offer.</summary>
    public bool SectoralCoefficientEffective => SectoralCoefficientApplies ?? SectoralCoefficient.AppliesTo(SpecialityCode);
}
