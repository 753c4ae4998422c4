using System.Globalization;
using Abitly.Domain.Ranking;
using ScottPlot;
using ScottPlot.Plottables;
using SkiaSharp;

namespace Abitly.Charts.Tests;

public class ScoreChartRendererTests
{
    private const string MarkerColour = "#D55E00";
    private const string CutOffColour = "#1F2328";
    private const string AxisColour = "#8C959F";

    [Fact]
    public void An_empty_list_is_not_drawn()
    {
        var empty = ChartSamples.GoldenInput() with { Applications = [] };

        Assert.False(ScoreChartRenderer.CanRender(empty));
        Assert.True(ScoreChartRenderer.CanRender(ChartSamples.GoldenInput()));
        Assert.Throws<ArgumentException>(() => ScoreChartRenderer.Render(empty));
    }

    [Theory]
    [InlineData("99.999", null, null)]
    [InlineData("200.001", null, null)]
    [InlineData("150", "200.5", null)]
    [InlineData("150", null, "99")]
    public void Scores_off_the_100_to_200_axis_are_refused(string application, string? cutOff, string? user)
    {
        var input = new ScoreChartInput(
            [new ChartApplication(150m, QuotaKind.None), new ChartApplication(Parse(application), QuotaKind.None)],
            cutOff is null ? null : Parse(cutOff),
            10,
            user is null ? null : new UserScoreMarker(Parse(user), null),
            ChartSamples.Texts);

        Assert.Throws<ArgumentOutOfRangeException>(() => ScoreChartRenderer.Render(input));
    }

    [Fact]
    public void A_number_label_without_its_placeholder_is_refused()
    {
        var input = ChartSamples.GoldenInput() with { Texts = ChartSamples.Texts with { CutOffLabel = "Прохідний на бюджет" } };

        var error = Assert.Throws<ArgumentException>(() => ScoreChartRenderer.Render(input));
        Assert.Contains(nameof(ScoreChartTexts.CutOffLabel), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_png_decodes_to_a_1000_by_600_picture()
    {
        var chart = ScoreChartRenderer.Render(ChartSamples.GoldenInput());

        using var bitmap = Pixels.Decode(chart);
        Assert.Equal(1000, bitmap.Width);
        Assert.Equal(600, bitmap.Height);
        Assert.Equal((1000, 600), (chart.Width, chart.Height));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], chart.Png[..4].ToArray());
        using var stream = chart.OpenPng();
        Assert.Equal(chart.Png.Length, stream.Length);
    }

    [Fact]
    public void Score_axis_ticks_sit_where_the_pixel_mapping_says()
    {
        var chart = ScoreChartRenderer.Render(ChartSamples.GoldenInput());
        using var bitmap = Pixels.Decode(chart);

        var ticks = ScoreAxisTicks(chart, bitmap);

        Assert.Equal(11, ticks.Count);
        for (var i = 0; i <= 10; i++)
        {
            Assert.InRange(ticks[i], chart.XPixel(100 + (10 * i)) - 1.5f, chart.XPixel(100 + (10 * i)) + 1.5f);
        }

        Assert.InRange(ticks[0], chart.DataArea.Left - 1.5f, chart.DataArea.Left + 1.5f);
        Assert.InRange(ticks[10], chart.DataArea.Right - 1.5f, chart.DataArea.Right + 1.5f);
    }

    [Fact]
    public void The_users_marker_stands_at_the_users_score()
    {
        var input = ChartSamples.GoldenInput() with { User = new UserScoreMarker(168.25m, "місце 97–98 з 312") };
        var chart = ScoreChartRenderer.Render(input);
        using var bitmap = Pixels.Decode(chart);

        // Where 168.250 lies, measured on the drawn axis: the ticks at 100 and 200 found in the picture.
        var ticks = ScoreAxisTicks(chart, bitmap);
        var expectedX = ticks[0] + ((168.25f - 100f) / 100f * (ticks[10] - ticks[0]));

        // Near the bottom the marker line crosses the bars; it is the only vermillion there.
        var row = (int)chart.DataArea.Bottom - 8;
        var marker = Assert.Single(Pixels.RunCentres(bitmap, row, MarkerColour));
        Assert.InRange(marker, expectedX - 2, expectedX + 2);
    }

    [Fact]
    public void The_budget_line_stands_at_the_cut_off()
    {
        // Seven general seats and no quota applications: the cut-off is the 7th best score, 171.204.
        decimal[] scores = [190.5m, 188.25m, 185m, 182.75m, 180.1m, 176.5m, 171.204m, 169.9m, 165m, 160m, 158.3m, 151m, 149.999m, 142m];
        var input = new ScoreChartInput(
            scores.Select(s => new ChartApplication(s, QuotaKind.None)).ToArray(),
            BudgetCutOff: 171.204m,
            GeneralBudgetSeats: 7,
            User: null,
            ChartSamples.Texts);
        var chart = ScoreChartRenderer.Render(input);
        using var bitmap = Pixels.Decode(chart);

        var ticks = ScoreAxisTicks(chart, bitmap);
        var expectedX = ticks[0] + ((171.204f - 100f) / 100f * (ticks[10] - ticks[0]));

        // The line is dashed: count its colour per column over the lower half of the data area.
        var hits = new int[bitmap.Width];
        for (var y = (int)(chart.DataArea.Top + (chart.DataArea.Height / 2)); y < chart.DataArea.Bottom - 2; y++)
        {
            for (var x = (int)chart.DataArea.Left; x < chart.DataArea.Right; x++)
            {
                if (Pixels.IsNear(bitmap.GetPixel(x, y), CutOffColour, 12))
                {
                    hits[x]++;
                }
            }
        }

        var columns = Enumerable.Range(0, hits.Length).Where(x => hits[x] > chart.DataArea.Height / 8).ToArray();
        Assert.NotEmpty(columns);
        Assert.InRange(columns.Average(), expectedX - 2, expectedX + 2);
        Assert.True(columns.Max() - columns.Min() <= 4, $"budget line spread over columns {string.Join(", ", columns)}");
    }

    [Fact]
    public void Quota_applications_are_stacked_on_top_of_the_general_ones_in_their_own_colours()
    {
        // 6 general + 3 quota-1 + 2 quota-2 in 150–155, plus one each at 120 and 190:
        // 13 applications spread over 70 points, 70 / √13 ≈ 19.4, so 5-point bins.
        var applications = new List<ChartApplication>();
        applications.AddRange(Enumerable.Range(0, 6).Select(i => new ChartApplication(150.5m + (i * 0.5m), QuotaKind.None)));
        applications.AddRange(Enumerable.Range(0, 3).Select(i => new ChartApplication(151m + i, QuotaKind.Quota1)));
        applications.AddRange(Enumerable.Range(0, 2).Select(i => new ChartApplication(152m + i, QuotaKind.Quota2)));
        applications.Add(new ChartApplication(120m, QuotaKind.None));
        applications.Add(new ChartApplication(190m, QuotaKind.None));
        var chart = ScoreChartRenderer.Render(new ScoreChartInput(applications, null, null, null, ChartSamples.Texts));
        using var bitmap = Pixels.Decode(chart);

        Assert.Equal(5, chart.BinWidth);
        var x = (int)chart.XPixel(152.5m);
        Assert.True(Pixels.IsNear(bitmap.GetPixel(x, (int)chart.YPixel(3)), "#0072B2", 4), "general part");
        Assert.True(Pixels.IsNear(bitmap.GetPixel(x, (int)chart.YPixel(7.5)), "#56B4E9", 4), "quota-1 part");
        Assert.True(Pixels.IsNear(bitmap.GetPixel(x, (int)chart.YPixel(10)), "#CC79A7", 4), "quota-2 part");
        Assert.True(Pixels.IsNear(bitmap.GetPixel(x, (int)chart.YPixel(11.6)), "#FFFFFF", 24), "nothing above 11");
    }

    [Fact]
    public void Numbers_in_labels_use_three_decimals_and_a_dot_whatever_the_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("uk-UA");
        try
        {
            var input = ChartSamples.GoldenInput() with { BudgetCutOff = 171.2m, GeneralBudgetSeats = 1200, User = new UserScoreMarker(168m, "місце 12 з 40") };
            var scene = ScoreChartRenderer.Compose(input);
            using var plot = scene.Plot;

            var labels = plot.GetPlottables<Text>().Select(t => t.LabelText).ToArray();
            Assert.Contains("Прохідний на бюджет: 171.200\nБюджетних місць: 1200", labels);
            Assert.Contains("Ваш бал: 168.000\nмісце 12 з 40", labels);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Without_a_cut_off_only_the_seats_are_labelled_and_no_budget_line_is_drawn()
    {
        var input = ChartSamples.GoldenInput() with { BudgetCutOff = null, GeneralBudgetSeats = 400, User = null };
        var scene = ScoreChartRenderer.Compose(input);
        using var plot = scene.Plot;

        Assert.Equal(["Бюджетних місць: 400"], plot.GetPlottables<Text>().Select(t => t.LabelText));
        Assert.Empty(plot.GetPlottables<LinePlot>());
        Assert.Empty(plot.GetPlottables<HorizontalSpan>());
    }

    [Fact]
    public void The_legend_names_only_the_kinds_on_the_list()
    {
        var generalOnly = ChartSamples.GoldenInput() with { Applications = [new(150m, QuotaKind.None), new(160m, QuotaKind.None)] };
        var withQuota2 = ChartSamples.GoldenInput() with { Applications = [new(150m, QuotaKind.None), new(160m, QuotaKind.Quota2)] };

        Assert.Equal(["Загальний конкурс"], ScoreChartRenderer.Compose(generalOnly).LegendEntries.Select(e => e.Text));
        Assert.Equal(["Загальний конкурс", "Квота 2"], ScoreChartRenderer.Compose(withQuota2).LegendEntries.Select(e => e.Text));
        Assert.Equal(["Загальний конкурс", "Квота 1", "Квота 2"], ScoreChartRenderer.Compose(ChartSamples.GoldenInput()).LegendEntries.Select(e => e.Text));
    }

    [Fact]
    public void A_list_of_10000_applications_fits_in_80_KB()
    {
        var chart = ScoreChartRenderer.Render(ChartSamples.LargeInput());

        Assert.Equal(1, chart.BinWidth);
        Assert.True(chart.Png.Length <= 80 * 1024, $"PNG is {chart.Png.Length} bytes");
    }

    [Fact]
    public void The_same_input_gives_the_same_bytes_also_when_rendered_concurrently()
    {
        var first = ChartSamples.GoldenInput();
        var second = ChartSamples.LargeInput(2_000);
        var firstBytes = ScoreChartRenderer.Render(first).Png.ToArray();
        var secondBytes = ScoreChartRenderer.Render(second).Png.ToArray();

        var concurrent = Enumerable.Range(0, 8)
            .AsParallel()
            .WithDegreeOfParallelism(4)
            .Select(i => (i, bytes: ScoreChartRenderer.Render(i % 2 == 0 ? first : second).Png.ToArray()))
            .ToArray();

        Assert.Equal(firstBytes, ScoreChartRenderer.Render(first).Png.ToArray());
        Assert.All(concurrent, r => Assert.Equal(r.i % 2 == 0 ? firstBytes : secondBytes, r.bytes));
        Assert.NotEqual(firstBytes, secondBytes);
    }

    [Fact]
    public void Warm_renders_without_failing()
    {
        ScoreChartRenderer.Warm();
    }

    /// <summary>
    /// The major tick marks of the score axis as drawn: just below the axis line only the 7-pixel major ticks reach
    /// (minor ticks are 4 pixels long); the count axis's «0» label, left of the data area, is skipped.
    /// </summary>
    private static List<float> ScoreAxisTicks(ScoreChart chart, SKBitmap bitmap) =>
        Pixels.RunCentres(bitmap, (int)chart.DataArea.Bottom + 5, AxisColour, tolerance: 20)
            .Where(x => x > chart.DataArea.Left - 4 && x < chart.DataArea.Right + 4)
            .ToList();

    private static decimal Parse(string value) => decimal.Parse(value, CultureInfo.InvariantCulture);
}
