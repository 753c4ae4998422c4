namespace Abitly.Campaign.Generation;

/// <summary>
/// An offer a caller fixes in a generated campaign (the sandbox's demo offers, tests' fixtures): it is published exactly as
/// defined here, and persons apply to it with the same model, grades and priorities as to the generated offers.
/// </summary>
/// <remarks>
/// Its university and speciality merge with the generator's catalogue — a university by EDBO id when given, else by exact
/// name; a speciality by code — so generated offers of the same university or speciality publish this record too.
/// Nothing is derived from the catalogue for the offer itself: РК, ГК and quota places are the values given here.
/// </remarks>
public sealed record PinnedOffer
{
    /// <summary>The EDBO offer id; unique among the pinned offers. Generated offers never take it.</summary>
    public required long EdboId { get; init; }

    /// <summary>The university (name, short name, region, EDBO id).</summary>
    public required SnapshotUniversity University { get; init; }

    /// <summary>The speciality (code and name).</summary>
    public required SnapshotSpeciality Speciality { get; init; }

    /// <summary>The programme's name.</summary>
    public required string Program { get; init; }

    /// <summary>The maximum state order; null for a contract-only offer.</summary>
    public required int? BudgetPlaces { get; init; }

    /// <summary>The score formula's weights (slot, subject, coefficient, minimum); they must make a formula (docs/import-format.md).</summary>
    public required IReadOnlyList<SnapshotWeight> Weights { get; init; }

    /// <summary>Faculty or institute, or null.</summary>
    public string? Faculty { get; init; }

    /// <summary>Form of study as published.</summary>
    public string Form { get; init; } = "Денна";

    /// <summary>Degree as published.</summary>
    public string Degree { get; init; } = "Бакалавр";

    /// <summary>Quota-1 places within the budget places.</summary>
    public int Quota1Places { get; init; }

    /// <summary>Quota-2 places within the budget places.</summary>
    public int Quota2Places { get; init; }

    /// <summary>The licensed volume, or null.</summary>
    public int? LicenseVolume { get; init; }

    /// <summary>РК of the offer (1.07 for Kharkiv, Odesa, … in 2025); not derived from the region.</summary>
    public decimal RegionalCoefficient { get; init; } = 1.00m;

    /// <summary>Whether ГК (1.02 for priorities 1–2) applies.</summary>
    public bool SectoralCoefficient { get; init; }

    /// <summary>Whether preparatory-course points (ОУ) count.</summary>
    public bool PreparatoryPointsApply { get; init; }

    /// <summary>Where the offer is published, or null.</summary>
    public string? SourceUrl { get; init; }

    /// <summary>Last year's lowest budget score, or null; it also places the offer among the others by selectivity.</summary>
    public decimal? MinBudgetScoreLastYear { get; init; }

    /// <summary>
    /// How strongly applicants are drawn to it, relative to an ordinary offer of the campaign (1): the offer gets about
    /// <c>Demand × Applications / Offers</c> applications. 10 makes it the most popular offer of a typical campaign; to put
    /// 10,000 of 28,000 applications of a 40-offer campaign on one offer, use 14.3. See <see cref="CampaignGenerator"/>.
    /// </summary>
    public double Demand { get; init; } = 1.0;

    /// <summary>No applications at all, in every revision (an offer nobody has applied to yet).</summary>
    public bool NoApplications { get; init; }

    /// <summary>The offer as a snapshot line with the given list.</summary>
    public SnapshotOffer ToSnapshotOffer(IReadOnlyList<SnapshotApplication> applications) => new(
        EdboId,
        University,
        Speciality,
        Program,
        Form,
        Degree,
        BudgetPlaces,
        Quota1Places,
        Quota2Places,
        RegionalCoefficient,
        SectoralCoefficient,
        Weights,
        applications,
        Faculty,
        LicenseVolume,
        PreparatoryPointsApply,
        SourceUrl,
        MinBudgetScoreLastYear);
}
