using System.Text.Json.Serialization;
using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;
using Abitly.Domain.Scoring;

namespace Abitly.Campaign;

/// <summary>One offer line: a competitive offer (конкурсна пропозиція) with its weights and its whole published ranking list.</summary>
/// <remarks>
/// Equality compares the lists element by element, so two offers read from different files are equal when their content is.
/// Property order is the order <see cref="SnapshotWriter"/> writes; a reader accepts any order.
/// </remarks>
/// <param name="EdboId">The EDBO offer id (unique within a file).</param>
/// <param name="University">The university that makes the offer.</param>
/// <param name="Speciality">The speciality (code and name).</param>
/// <param name="Program">The educational programme's name.</param>
/// <param name="Form">Form of study as published, e.g. «Денна», «Заочна».</param>
/// <param name="Degree">Degree as published, e.g. «Бакалавр».</param>
/// <param name="BudgetPlaces">The maximum state order; null for a contract-only offer.</param>
/// <param name="Quota1Places">Quota-1 places within the budget places (0 when none).</param>
/// <param name="Quota2Places">Quota-2 places within the budget places (0 when none).</param>
/// <param name="RegionalCoefficient">РК of the offer, in (0, 2].</param>
/// <param name="SectoralCoefficient">Whether ГК (1.02 for priorities 1–2) applies to this offer.</param>
/// <param name="Weights">The score formula's weights, one row per slot and subject; empty when not published yet.</param>
/// <param name="Applications">The ranking list as published, one row per application.</param>
/// <param name="Faculty">Faculty or institute, when the source names one.</param>
/// <param name="LicenseVolume">The licensed volume, when known.</param>
/// <param name="PreparatoryPointsApply">Whether preparatory-course points (ОУ) count for this offer.</param>
/// <param name="SourceUrl">Where the offer is published, when known.</param>
/// <param name="MinBudgetScoreLastYear">Last year's lowest budget score, when the source has it.</param>
public sealed record SnapshotOffer(
    [property: JsonPropertyOrder(0)] long EdboId,
    [property: JsonPropertyOrder(1)] SnapshotUniversity University,
    [property: JsonPropertyOrder(2)] SnapshotSpeciality Speciality,
    [property: JsonPropertyOrder(3)] string Program,
    [property: JsonPropertyOrder(5)] string Form,
    [property: JsonPropertyOrder(6)] string Degree,
    [property: JsonPropertyOrder(7)] int? BudgetPlaces,
    [property: JsonPropertyOrder(8)] int Quota1Places,
    [property: JsonPropertyOrder(9)] int Quota2Places,
    [property: JsonPropertyOrder(11)] decimal RegionalCoefficient,
    [property: JsonPropertyOrder(12)] bool SectoralCoefficient,
    [property: JsonPropertyOrder(14)] IReadOnlyList<SnapshotWeight> Weights,
    [property: JsonPropertyOrder(17)] IReadOnlyList<SnapshotApplication> Applications,
    [property: JsonPropertyOrder(4), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Faculty = null,
    [property: JsonPropertyOrder(10), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? LicenseVolume = null,
    [property: JsonPropertyOrder(13)] bool PreparatoryPointsApply = false,
    [property: JsonPropertyOrder(15), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SourceUrl = null,
    [property: JsonPropertyOrder(16), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? MinBudgetScoreLastYear = null)
{
    /// <summary>Whether the offer has no budget places (a contract-only offer).</summary>
    [JsonIgnore]
    public bool IsContractOnly => BudgetPlaces is null;

    /// <summary>
    /// The offer's side of the score formula for <see cref="CompetitiveScoreCalculator"/>, or null when no weights are published.
    /// Only meaningful for a valid offer (see <see cref="SnapshotValidator"/>).
    /// </summary>
    public OfferWeights? ToOfferWeights(int campaignYear)
    {
        if (Weights.Count == 0)
        {
            return null;
        }

        decimal ukr = 0m, math = 0m, hist = 0m;
        decimal? creative = null;
        var fourth = new Dictionary<string, decimal>(StringComparer.Ordinal);
        Dictionary<string, decimal>? minimums = null;
        foreach (var weight in Weights)
        {
            switch (weight.Slot)
            {
                case SnapshotFormat.UkrainianSlot: ukr = weight.Coefficient; break;
                case SnapshotFormat.MathematicsSlot: math = weight.Coefficient; break;
                case SnapshotFormat.HistorySlot: hist = weight.Coefficient; break;
                case SnapshotFormat.FourthSubjectSlot: fourth[weight.Subject] = weight.Coefficient; break;
                case SnapshotFormat.CreativeSlot: creative = weight.Coefficient; break;
                default: break;
            }

            if (weight.MinScore is { } min)
            {
                (minimums ??= new Dictionary<string, decimal>(StringComparer.Ordinal))[weight.Subject] = min;
            }
        }

        return new OfferWeights(campaignYear, ukr, math, hist, fourth, creative, RegionalCoefficient, SectoralCoefficient, Speciality.Code, minimums);
    }

    /// <summary>
    /// The offer as person matching sees it (<see cref="PersonMatching"/>): its formula from the weights, or from the
    /// speciality while the weights are not published; РК and ГК, which turn a published score back into the person's КБ.
    /// </summary>
    public MatchingOffer ToMatchingOffer(int campaignYear) => ToOfferWeights(campaignYear) is { } weights
        ? MatchingOffer.For(weights, PreparatoryPointsApply)
        : MatchingOffer.ForSpeciality(Speciality.Code, PreparatoryPointsApply, RegionalCoefficient, SectoralCoefficient);

    /// <inheritdoc />
    public bool Equals(SnapshotOffer? other) =>
        other is not null
        && EdboId == other.EdboId
        && University == other.University
        && Speciality == other.Speciality
        && Program == other.Program
        && Form == other.Form
        && Degree == other.Degree
        && BudgetPlaces == other.BudgetPlaces
        && Quota1Places == other.Quota1Places
        && Quota2Places == other.Quota2Places
        && RegionalCoefficient == other.RegionalCoefficient
        && SectoralCoefficient == other.SectoralCoefficient
        && Faculty == other.Faculty
        && LicenseVolume == other.LicenseVolume
        && PreparatoryPointsApply == other.PreparatoryPointsApply
        && SourceUrl == other.SourceUrl
        && MinBudgetScoreLastYear == other.MinBudgetScoreLastYear
        && Weights.SequenceEqual(other.Weights)
        && Applications.SequenceEqual(other.Applications);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(EdboId, Program, BudgetPlaces, Weights.Count, Applications.Count);
}

/// <summary>The university of an offer; matched by EDBO id when present, else by exact name.</summary>
/// <param name="Name">Full name as published.</param>
/// <param name="Region">Region as published, e.g. «м. Київ», «Харківська область».</param>
/// <param name="EdboId">The university's EDBO id, when the source has it.</param>
/// <param name="ShortName">Abbreviation, when the source has one.</param>
public sealed record SnapshotUniversity(
    [property: JsonPropertyOrder(1)] string Name,
    [property: JsonPropertyOrder(3)] string Region,
    [property: JsonPropertyOrder(0)] long? EdboId = null,
    [property: JsonPropertyOrder(2), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ShortName = null);

/// <summary>A speciality, matched by its code.</summary>
/// <param name="Code">The code, e.g. "F3" (2025 letter codes) or "121" (older numeric codes).</param>
/// <param name="Name">The name as published.</param>
public sealed record SnapshotSpeciality(string Code, string Name);

/// <summary>One row of the score formula's weights.</summary>
/// <param name="Slot">1 Ukrainian, 2 mathematics, 3 history, 4 a 4th-subject option, 5 the creative competition.</param>
/// <param name="Subject">A subject code (<see cref="Subjects"/>); "creative" in slot 5.</param>
/// <param name="Coefficient">The weight, in (0, 1].</param>
/// <param name="MinScore">The offer's minimum for this subject (100–200), or null.</param>
public sealed record SnapshotWeight(int Slot, string Subject, decimal Coefficient, decimal? MinScore = null);

/// <summary>One application on a published ranking list.</summary>
/// <param name="Position">The place on the list as published (1-based, unique within the offer).</param>
/// <param name="Name">The applicant's name as published (full or initials; see <see cref="PublishedNames"/>).</param>
/// <param name="Score">The competitive score as published (100–200, at most 3 decimals), or null when none is shown.</param>
/// <param name="Priority">Budget priority 1–5, or null for a contract application.</param>
/// <param name="Status">The status as published, e.g. «Допущено», «Скасовано вступником».</param>
/// <param name="Quota">The quota the application competes in; only budget applications can have one.</param>
/// <param name="PersonKey">A stable pseudonymous key of the person, the same on all their applications, when the source has one.</param>
public sealed record SnapshotApplication(
    int Position,
    string Name,
    decimal? Score,
    int? Priority,
    string Status,
    [property: JsonConverter(typeof(QuotaKindJsonConverter))] QuotaKind Quota,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PersonKey = null)
{
    /// <summary>
    /// A budget application as person matching sees it: the name in its stored form (<see cref="PublishedNames.ToInitials"/>),
    /// the score in thousandths (<see cref="AdmissionOrder.Unscored"/> when none) and the person key when there is one.
    /// </summary>
    /// <param name="offer">The index of this application's offer in the matching input.</param>
    /// <exception cref="InvalidOperationException">The application is a contract one (no budget priority).</exception>
    public MatchingApplication ToMatchingApplication(int offer) => new(
        offer,
        PublishedNames.ToInitials(Name),
        Score is { } score ? (int)(score * 1000m) : AdmissionOrder.Unscored,
        Priority ?? throw new InvalidOperationException($"Application at position {Position} is a contract one; only budget applications are matched."),
        Quota,
        PersonKey);
}
