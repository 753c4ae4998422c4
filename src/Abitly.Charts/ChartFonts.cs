using ScottPlot;
using SkiaSharp;

namespace Abitly.Charts;

/// <summary>
/// The chart's only typefaces: Noto Sans (SIL OFL 1.1, see Fonts/OFL.txt) read from this assembly's resources.
/// A system font would make the picture depend on the server, or leave it without Cyrillic on a bare one.
/// </summary>
internal static class ChartFonts
{
    /// <summary>The name ScottPlot resolves to the embedded font; no system font is called this.</summary>
    public const string FamilyAlias = "Abitly Chart Sans";

    private static readonly Lock Gate = new();
    private static bool _registered;

    /// <summary>Noto Sans Regular.</summary>
    public static SKTypeface Regular { get; } = Load("NotoSans-Regular.ttf");

    /// <summary>Noto Sans Bold.</summary>
    public static SKTypeface Bold { get; } = Load("NotoSans-Bold.ttf");

    /// <summary>
    /// Makes ScottPlot resolve <see cref="FamilyAlias"/> (and its defaults, for any label created inside ScottPlot)
    /// to the embedded typefaces. ScottPlot keeps fonts in process-wide state; this process uses ScottPlot only here.
    /// </summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            ScottPlot.Fonts.FontResolvers.Insert(0, new EmbeddedFontResolver());
            ScottPlot.Fonts.Default = FamilyAlias;
            ScottPlot.Fonts.Sans = FamilyAlias;
            ScottPlot.Fonts.DefaultFontStyle = Regular;
            _registered = true;
        }
    }

    private static SKTypeface Load(string fileName)
    {
        var name = $"Abitly.Charts.Fonts.{fileName}";
        using var stream = typeof(ChartFonts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The font resource {name} is missing from Abitly.Charts.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        // SKData copies the bytes, and the typeface keeps the SKData alive for the life of the process.
        using var data = SKData.CreateCopy(bytes);
        return SKTypeface.FromData(data)
            ?? throw new InvalidOperationException($"The font resource {name} is not a font SkiaSharp can read.");
    }

    /// <summary>Answers ScottPlot's requests for <see cref="FamilyAlias"/>: bold weights get Bold, all others Regular.</summary>
    private sealed class EmbeddedFontResolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            fontName == FamilyAlias ? (weight >= FontWeight.SemiBold ? Bold : Regular) : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            CreateTypeface(fontName, bold ? FontWeight.Bold : FontWeight.Normal, FontSlant.Upright, FontSpacing.Normal);
    }
}
