namespace Abitly.Domain.Scoring;

/// <summary>ГК: 1.02 for priority 1–2 applications to specialities with special state support (per-year data).</summary>
/// <remarks>
/// The supported list is an annex to each year's admission rules and changes with it; keep it here only.
/// Offers that carry their own flag (<see cref="OfferWeights.SectoralCoefficientApplies"/>) take precedence over this list.
/// </remarks>
public static class SectoralCoefficient
{
    /// <summary>ГК when it applies.</summary>
    public const decimal Value = 1.02m;

    /// <summary>The highest priority number that still gets ГК.</summary>
    public const int MaxPriority = 2;

    /// <summary>Supported specialities: natural sciences, mathematics, IT and engineering, in old numeric and 2025 letter codes.</summary>
    public static IReadOnlySet<string> SupportedSpecialities { get; } = BudgetThresholds.Codes(
        "104", "105", "111", "113",
        "121", "122", "123", "124", "125", "126",
        "131", "132", "133", "141", "142", "151", "152", "161",
        "171", "172", "173", "174", "175", "176",
        "183", "184", "185", "186",
        "E3", "E5", "E6", "E7", // хімія, фізика та астрономія, прикладна фізика, математика
        "F1", "F2", "F3", "F4", "F5", "F6", "F7", // IT
        "G1", "G2", "G3", "G4", "G5", "G6", "G7", "G8", "G9", "G10", "G11", "G12"); // інженерія

    /// <summary>Whether ГК applies to a speciality at all (priority still decides it per application).</summary>
    public static bool AppliesTo(string? specialityCode) =>
        !string.IsNullOrWhiteSpace(specialityCode) && SupportedSpecialities.Contains(specialityCode.Trim());

    /// <summary>ГК for an application of the given priority (null = contract).</summary>
    public static decimal For(bool specialitySupported, int? priority) =>
        specialitySupported && priority is >= 1 and <= MaxPriority ? Value : 1.00m;
}
