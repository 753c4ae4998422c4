namespace Abitly.Domain.Scoring;

/// <summary>Stable subject codes shared by grades, offer weights and texts.</summary>
public static class Subjects
{
    /// <summary>Ukrainian language (П1).</summary>
    public const string Ukrainian = "ukr";

    /// <summary>Mathematics (П2).</summary>
    public const string Mathematics = "math";

    /// <summary>History of Ukraine (П3).</summary>
    public const string History = "hist";

    /// <summary>English.</summary>
    public const string English = "eng";

    /// <summary>German.</summary>
    public const string German = "ger";

    /// <summary>French.</summary>
    public const string French = "fra";

    /// <summary>Spanish.</summary>
    public const string Spanish = "spa";

    /// <summary>Biology.</summary>
    public const string Biology = "bio";

    /// <summary>Chemistry.</summary>
    public const string Chemistry = "chem";

    /// <summary>Physics.</summary>
    public const string Physics = "phys";

    /// <summary>Geography.</summary>
    public const string Geography = "geo";

    /// <summary>Ukrainian literature.</summary>
    public const string Literature = "lit";

    /// <summary>The creative competition (ТК); not an NMT subject, named so a missing or invalid one can be reported.</summary>
    public const string Creative = "creative";

    /// <summary>Preparatory-course points (ОУ); named so an out-of-range value can be reported.</summary>
    public const string PreparatoryCourse = "prep";

    /// <summary>The three subjects every NMT score needs, in formula order.</summary>
    public static IReadOnlyList<string> Required { get; } = [Ukrainian, Mathematics, History];

    /// <summary>Subjects that can be the 4th (chosen) NMT subject.</summary>
    public static IReadOnlySet<string> FourthOptions { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        English, German, French, Spanish, Biology, Chemistry, Physics, Geography, Literature,
    };
}
