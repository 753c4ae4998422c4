using System.Runtime.CompilerServices;
using SkiaSharp;

namespace Abitly.Charts.Tests;

/// <summary>
/// The chart for a fixed list against the picture a person approved (Golden/score-chart.png). Pixels are compared
/// after decoding, with a small tolerance for anti-aliasing differences between SkiaSharp builds. On a failure the
/// actual picture is written to golden-actual/ in the test output folder; after an intended change, regenerate the
/// golden with ABITLY_UPDATE_GOLDEN=1, look at it, and commit it.
/// </summary>
public class GoldenImageTests
{
    private const int ChannelTolerance = 24;
    private const double MaxDifferingShare = 0.005;

    [Fact]
    public void The_chart_of_a_fixed_list_matches_the_golden_image()
    {
        var chart = ScoreChartRenderer.Render(ChartSamples.GoldenInput());
        var png = chart.Png.ToArray();

        var goldenPath = Path.Combine(AppContext.BaseDirectory, "Golden", "score-chart.png");
        if (Environment.GetEnvironmentVariable("ABITLY_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllBytes(SourceGoldenPath(), png);
            File.WriteAllBytes(goldenPath, png);
        }

        using var expected = SKBitmap.Decode(goldenPath);
        using var actual = SKBitmap.Decode(png);
        Assert.NotNull(expected);

        var differing = CountDifferingPixels(expected, actual);
        var allowed = (int)(MaxDifferingShare * expected.Width * expected.Height);
        if (differing > allowed)
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "golden-actual");
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, "score-chart.png");
            File.WriteAllBytes(path, png);
            Assert.Fail($"{differing} pixels differ by more than {ChannelTolerance} in a channel (at most {allowed} may); the actual chart is at {path}");
        }
    }

    private static int CountDifferingPixels(SKBitmap expected, SKBitmap actual)
    {
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        var differing = 0;
        for (var y = 0; y < expected.Height; y++)
        {
            for (var x = 0; x < expected.Width; x++)
            {
                var e = expected.GetPixel(x, y);
                var a = actual.GetPixel(x, y);
                if (Math.Abs(e.Red - a.Red) > ChannelTolerance || Math.Abs(e.Green - a.Green) > ChannelTolerance || Math.Abs(e.Blue - a.Blue) > ChannelTolerance)
                {
                    differing++;
                }
            }
        }

        return differing;
    }

    private static string SourceGoldenPath([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Golden", "score-chart.png");
}
