using SkiaSharp;

namespace Abitly.Charts.Tests;

/// <summary>Reads a rendered chart back as pixels, decoded by SkiaSharp as any PNG reader would.</summary>
internal static class Pixels
{
    public static SKBitmap Decode(ScoreChart chart) =>
        SKBitmap.Decode(chart.Png.ToArray()) ?? throw new InvalidOperationException("The chart is not a decodable image.");

    public static bool IsNear(SKColor actual, string hex, int tolerance)
    {
        var expected = SKColor.Parse(hex);
        return Math.Abs(actual.Red - expected.Red) <= tolerance
            && Math.Abs(actual.Green - expected.Green) <= tolerance
            && Math.Abs(actual.Blue - expected.Blue) <= tolerance;
    }

    /// <summary>Centres of the runs of <paramref name="hex"/>-coloured pixels along row <paramref name="y"/>.</summary>
    public static List<float> RunCentres(SKBitmap bitmap, int y, string hex, int tolerance = 12)
    {
        var centres = new List<float>();
        var start = -1;
        for (var x = 0; x <= bitmap.Width; x++)
        {
            var inside = x < bitmap.Width && IsNear(bitmap.GetPixel(x, y), hex, tolerance);
            if (inside && start < 0)
            {
                start = x;
            }
            else if (!inside && start >= 0)
            {
                centres.Add((start + x - 1) / 2f);
                start = -1;
            }
        }

        return centres;
    }
}
