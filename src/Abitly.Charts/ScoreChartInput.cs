using Abitly.Domain.Ranking;

namespace Abitly.Charts;

/// <summary>What the score chart draws for one offer: the active applications, the budget line, the user's place and every caption.</summary>
/// <param name="Applications">Active applications' competitive scores (100–200) with their quota kind; only counts are drawn.</param>
/// <param name="BudgetCutOff">Score of the last general budget seat; null while the budget seats are not all taken.</param>
/// <param name="GeneralBudgetSeats">General budget seats of the offer, when known.</param>
/// <param name="User">The linked user's score and estimated place, when the user has one.</param>
/// <param name="Texts">Every visible text; the renderer adds only numbers.</param>
public sealed record ScoreChartInput(
    IReadOnlyList<ChartApplication> Applications,
    decimal? BudgetCutOff,
    int? GeneralBudgetSeats,
    UserScoreMarker? User,
    ScoreChartTexts Texts);

/// <summary>One application on the chart: its competitive score and its quota kind, nothing that names the applicant.</summary>
public readonly record struct ChartApplication(decimal Score, QuotaKind Quota);

/// <summary>The user's own score and the caller's wording of their estimated place (e.g. «місце 41–43 з 120»).</summary>
public sealed record UserScoreMarker(decimal Score, string? PlaceText);

/// <summary>
/// Every text the chart shows, in the caller's language. The three labels that carry a number are composite
/// format strings with one placeholder <c>{0}</c>, which the renderer fills with the value (invariant culture,
/// scores to 0.001: «Прохідний бал на бюджет: {0}» → «Прохідний бал на бюджет: 171.204»).
/// </summary>
public sealed record ScoreChartTexts
{
    /// <summary>First header line, bold (e.g. «Розподіл конкурсних балів»).</summary>
    public required string Title { get; init; }

    /// <summary>Second header line (e.g. the offer and the number of applications); cut with «…» when too long.</summary>
    public required string Subtitle { get; init; }

    /// <summary>Caption under the score axis (e.g. «Конкурсний бал»).</summary>
    public required string ScoreAxis { get; init; }

    /// <summary>Caption of the count axis (e.g. «Кількість заяв»).</summary>
    public required string CountAxis { get; init; }

    /// <summary>Legend entry for applications without a quota (e.g. «Загальний конкурс»).</summary>
    public required string GeneralLegend { get; init; }

    /// <summary>Legend entry for quota-1 applications (e.g. «Квота 1»).</summary>
    public required string Quota1Legend { get; init; }

    /// <summary>Legend entry for quota-2 applications (e.g. «Квота 2»).</summary>
    public required string Quota2Legend { get; init; }

    /// <summary>Label of the budget line, <c>{0}</c> = the cut-off score (e.g. «Прохідний на бюджет: {0}»).</summary>
    public required string CutOffLabel { get; init; }

    /// <summary>Line about the seats, <c>{0}</c> = general budget seats (e.g. «Бюджетних місць: {0}»).</summary>
    public required string BudgetSeatsLabel { get; init; }

    /// <summary>Label of the user's marker, <c>{0}</c> = the user's score (e.g. «Ваш бал: {0}»); the place text goes below it.</summary>
    public required string MarkerLabel { get; init; }
}
