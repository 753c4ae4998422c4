using System.Globalization;
using System.Text;
using Abitly.Domain.Scoring;

namespace Abitly.Domain.Allocation;

/// <summary>An offer as <see cref="PersonMatching"/> sees it: what turns a published score back into the person's КБ.</summary>
/// <param name="Formula">
/// Offers with the same non-null formula give one person the same КБ before РК and ГК: the same weights and the same
/// ОУ rule (<see cref="FormulaOf"/>, or <see cref="ForSpeciality"/> when the weights are not published). Null when not
/// known; the offer's scores are then compared with other offers' only loosely.
/// </param>
/// <param name="RegionalCoefficient">РК of the offer, in (0, 2].</param>
/// <param name="SectoralCoefficient">Whether ГК (1.02 for priorities 1–2) applies to the offer.</param>
public readonly record struct MatchingOffer(string? Formula, decimal RegionalCoefficient = 1.00m, bool SectoralCoefficient = false)
{
    /// <summary>The matching view of an offer whose weights are published.</summary>
    /// <param name="weights">The offer's weights, РК and ГК rule.</param>
    /// <param name="preparatoryPointsApply">Whether ОУ counts at this offer (it adds to КБ, so it is part of the formula).</param>
    public static MatchingOffer For(OfferWeights weights, bool preparatoryPointsApply)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return new MatchingOffer(FormulaOf(weights, preparatoryPointsApply), weights.RegionalCoefficient, weights.SectoralCoefficientEffective);
    }

    /// <summary>
    /// The matching view of an offer whose weights are not published: the admission rules set the weights per speciality
    /// (the same for every offer of it in a year), so the speciality code and the ОУ rule stand for the formula.
    /// </summary>
    public static MatchingOffer ForSpeciality(string specialityCode, bool preparatoryPointsApply, decimal regionalCoefficient, bool sectoralCoefficient)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(specialityCode);
        return new MatchingOffer($"speciality={specialityCode.Trim()}{(preparatoryPointsApply ? ";prep" : "")}", regionalCoefficient, sectoralCoefficient);
    }

    /// <summary>
    /// A text equal for two offers exactly when their КБ formulas are the same for every applicant: the year's denominator
    /// form, К1–К3, every 4th-subject option with its К4, КТ, and whether ОУ is added. РК, ГК and subject minimums are left
    /// out: the first two are divided out of the score, the last does not change it.
    /// </summary>
    public static string FormulaOf(OfferWeights weights, bool preparatoryPointsApply)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var text = new StringBuilder(96);
        text.Append(weights.Year >= CompetitiveScoreCalculator.FirstYearWithAveragedFourthWeight ? "avg" : "plain")
            .Append(";ukr=").Append(Normalized(weights.UkrainianWeight))
            .Append(";math=").Append(Normalized(weights.MathematicsWeight))
            .Append(";hist=").Append(Normalized(weights.HistoryWeight));
        foreach (var (subject, weight) in weights.FourthSubjectWeights.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            text.Append(';').Append(subject).Append('=').Append(Normalized(weight));
        }

        if (weights.CreativeWeight is { } creative)
        {
            text.Append(";creative=").Append(Normalized(creative));
        }

        return text.Append(preparatoryPointsApply ? ";prep" : "").ToString();
    }

    // 0.30 and 0.3 are the same weight: dividing by 1.000… drops the trailing zeros a decimal keeps.
    private static string Normalized(decimal value) =>
        (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}
