using ScottPlot;
using ScottPlot.Plottables;
using SkiaSharp;

namespace Abitly.Charts.Tests;

/// <summary>Wherever the budget line and the user's score fall, their labels stay readable and hide no bar.</summary>
public class LineLabelPlacementTests
{
    private static readonly decimal[] Positions = [100m, 101m, 130m, 150m, 168.25m, 171.204m, 176.45m, 185m, 199.5m, 200m];

    public static TheoryData<decimal, decimal, bool> Cases()
    {
        var cases = new TheoryData<decimal, decimal, bool>();
        foreach (var cutOff in Positions)
        {
            foreach (var user in Positions)
            {
                cases.Add(cutOff, user, cutOff == user || user == 168.25m);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Labels_stay_inside_the_data_area_apart_from_each_other_and_above_the_bars(decimal cutOff, decimal user, bool withSeats)
    {
        var input = ChartSamples.GoldenInput() with
        {
            BudgetCutOff = cutOff,
            GeneralBudgetSeats = withSeats ? 1_200 : null,
            User = new UserScoreMarker(user, "місце 3 412–3 415 з 10 000"),
        };
        var scene = ScoreChartRenderer.Compose(input);
        using var plot = scene.Plot;
        using var surface = SKSurface.Create(new SKImageInfo(ScoreChartRenderer.Width, ScoreChartRenderer.Height));
        plot.Render(surface.Canvas, ScoreChartRenderer.Width, ScoreChartRenderer.Height);

        var boxes = plot.GetPlottables<Text>().Select(t => t.LabelLastRenderPixelRect).ToArray();
        var area = scene.DataArea;
        Assert.Equal(2, boxes.Length);
        Assert.All(boxes, box =>
        {
            Assert.InRange(box.Left, area.Left, area.Right);
            Assert.InRange(box.Right, area.Left, area.Right);
            Assert.InRange(box.Top, area.Top, area.Bottom);
        });
        var (a, b) = (boxes[0], boxes[1]);
        var overlap = a.Left < b.Right && b.Left < a.Right && a.Top < b.Bottom && b.Top < a.Bottom;
        Assert.False(overlap, $"labels overlap: {a} and {b}");

        // The tallest bar (the golden list peaks at 20 applications in 160–162) ends below the lowest label.
        var tallest = ScoreHistogram.Build(input.Applications, scene.BinWidth).Max(b => b.Total);
        var barTop = area.Bottom - (float)(tallest / scene.CountAxisMaximum * area.Height);
        Assert.True(boxes.Max(b => b.Bottom) < barTop, $"a label reaches down to {boxes.Max(b => b.Bottom)}, the tallest bar up to {barTop}");
    }
}
