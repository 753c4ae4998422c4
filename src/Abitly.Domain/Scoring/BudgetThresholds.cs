namespace Abitly.Domain.Scoring;

/// <summary>The minimum competitive score for budget places (per-year data from the admission rules).</summary>
/// <remarks>
/// This list changes with every year's Порядок прийому; update it here and nowhere else.
/// Sources: the 2025 and 2026 rules as restated by osvita.ua and news sites — 150 for the listed
/// specialities (for budget and contract), 130 for every other budget application.
/// </remarks>
public static class BudgetThresholds
{
    /// <summary>The threshold for most specialities.</summary>
    public const decimal Default = 130m;

    /// <summary>The threshold for the specialities in <see cref="HighThresholdSpecialities"/>.</summary>
    public const decimal High = 150m;

    /// <summary>Specialities with the 150 threshold in 2025, in the 2025 letter codes and the older numeric codes they replaced.</summary>
    public static IReadOnlySet<string> HighThresholdSpecialities { get; } = Codes(
        "C3", // Міжнародні відносини (291)
        "D4", // Публічне управління та адміністрування (281)
        "D8", // Право (081)
        "D9", // Міжнародне право (293)
        "I1", // Стоматологія (221)
        "I2", // Медицина (222)
        "I3", // Педіатрія (228)
        "I4", // Медична психологія (225)
        "I8", // Фармація (226)
        "291", "292", "281", "081", "293", "221", "222", "228", "225", "226");

    /// <summary>Specialities added to the 150 list from 2026.</summary>
    public static IReadOnlySet<string> HighThresholdAddedIn2026 { get; } = Codes(
        "C1"); // Економіка та міжнародні економічні відносини

    /// <summary>The budget threshold for a speciality in a campaign year.</summary>
    public static decimal For(int year, string? specialityCode)
    {
        if (string.IsNullOrWhiteSpace(specialityCode))
        {
            return Default;
        }

        var code = specialityCode.Trim();
        return HighThresholdSpecialities.Contains(code) || (year >= 2026 && HighThresholdAddedIn2026.Contains(code))
            ? High
            : Default;
    }

    internal static IReadOnlySet<string> Codes(params string[] codes) =>
        new HashSet<string>(codes, StringComparer.OrdinalIgnoreCase);
}
