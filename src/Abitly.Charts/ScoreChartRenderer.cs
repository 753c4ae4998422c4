using System.Globalization;
using Abitly.Domain.Ranking;
using ScottPlot;
using ScottPlot.Plottables;
using ScottPlot.TickGenerators;
using SkiaSharp;

namespace Abitly.Charts;

/// <summary>
/// Draws an offer's score distribution as a PNG for Telegram: a histogram over the fixed 100–200 axis, quota
/// applications stacked in their own colours, the budget cut-off and the user's score as labelled vertical lines.
/// It keeps no state between renders, so renders may run concurrently.
/// </summary>
public static class ScoreChartRenderer
{
    /// <summary>Width of the picture in pixels.</summary>
    public const int Width = 1000;

    /// <summary>Height of the picture in pixels.</summary>
    public const int Height = 600;

    // Fixed margins around the data area: the header (title, subtitle, legend) above, tick labels and captions beside.
    private const float MarginLeft = 104;
    private const float MarginRight = 36;
    private const float MarginTop = 144;
    private const float MarginBottom = 88;
    private const float HeaderX = 28;

    // Space kept free above the tallest bar for the line labels: their rows start this far below the data area's top.
    private const float LabelRowTop = 10;
    private const float LabelRowGap = 10;
    private const float LabelPadding = 7;
    private const float LabelGap = 8;

    /// <summary>Whether the list has anything to draw; for an empty list the bot answers in text instead.</summary>
    public static bool CanRender(ScoreChartInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Applications is { Count: > 0 };
    }

    /// <summary>
    /// Whether every character of <paramref name="text"/> has a glyph in the embedded font, regular and bold; a character
    /// without one is drawn as an empty box. Callers check the texts they put on the chart with it (in their tests).
    /// </summary>
    public static bool CanDraw(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ChartFonts.Regular.ContainsGlyphs(text) && ChartFonts.Bold.ContainsGlyphs(text);
    }

    /// <summary>
    /// Loads the fonts, the native library and the code paths of a render, so the first user does not wait for them.
    /// Call once at start.
    /// </summary>
    public static void Warm() => Render(WarmUpInput);

    /// <summary>Renders the chart.</summary>
    /// <exception cref="ArgumentException">The list is empty (see <see cref="CanRender"/>), a score is outside 100–200, or a label has no <c>{0}</c>.</exception>
    public static ScoreChart Render(ScoreChartInput input)
    {
        Validate(input);
        var scene = Compose(input);
        using var plot = scene.Plot;
        // Opaque: the PNG is RGB without an alpha channel, a quarter less data to compress.
        var info = new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var surface = SKSurface.Create(info)
            ?? throw new InvalidOperationException("SkiaSharp could not create a raster surface.");
        plot.Render(surface.Canvas, Width, Height);
        DrawHeader(surface.Canvas, input.Texts, scene.LegendEntries);
        surface.Canvas.Flush();

        using var pixmap = surface.PeekPixels();
        return new ScoreChart(PngWriter.Encode(pixmap), Width, Height, scene.DataArea, scene.BinWidth, scene.CountAxisMaximum);
    }

    /// <summary>The ScottPlot plot and what the header needs, before anything is drawn (tests inspect it).</summary>
    internal static ChartScene Compose(ScoreChartInput input)
    {
        // Before any plot exists: ScottPlot's font resolvers must not change while another render reads them.
        ChartFonts.EnsureRegistered();
        var applications = input.Applications;
        var lowest = applications.Min(a => a.Score);
        var highest = applications.Max(a => a.Score);
        var binWidth = ScoreHistogram.ChooseBinWidth(applications.Count, lowest, highest);
        var bins = ScoreHistogram.Build(applications, binWidth);

        var dataArea = new PlotArea(MarginLeft, MarginTop, Width - MarginRight, Height - MarginBottom);
        var labels = PlaceLineLabels(input, dataArea);
        var yMax = CountAxisMaximum(bins.Max(b => b.Total), dataArea.Height, labels.ReservedHeight);

        var plot = new Plot();
        StyleFigure(plot, input.Texts, dataArea, yMax);

        if (input.BudgetCutOff is { } cutOff)
        {
            // The budget zone: scores at or above the cut-off got a general budget seat.
            var zone = plot.Add.HorizontalSpan((double)cutOff, (double)ScoreHistogram.AxisMaximum);
            zone.FillColor = ChartPalette.BudgetZone;
            zone.LineWidth = 0;
            zone.EnableAutoscale = false;
        }

        AddBars(plot, bins, binWidth);

        if (input.BudgetCutOff is { } line)
        {
            AddVerticalLine(plot, line, yMax, ChartPalette.CutOffLine, 3, LinePattern.Dashed);
        }

        if (input.User is { } user)
        {
            AddVerticalLine(plot, user.Score, yMax, ChartPalette.Marker, 4, LinePattern.Solid);
            var pointer = plot.Add.Marker((double)user.Score, yMax - ((PointerHalfWidth + 2) * yMax / dataArea.Height), MarkerShape.FilledTriangleDown, PointerSize, ChartPalette.Marker);
            pointer.MarkerLineWidth = 0;
        }

        foreach (var label in labels.Labels)
        {
            AddLineLabel(plot, label, yMax);
        }

        var legend = new List<LegendEntry>(3);
        if (applications.Any(a => a.Quota is not (QuotaKind.Quota1 or QuotaKind.Quota2)))
        {
            legend.Add(new LegendEntry(input.Texts.GeneralLegend, ChartPalette.General));
        }

        if (applications.Any(a => a.Quota == QuotaKind.Quota1))
        {
            legend.Add(new LegendEntry(input.Texts.Quota1Legend, ChartPalette.Quota1));
        }

        if (applications.Any(a => a.Quota == QuotaKind.Quota2))
        {
            legend.Add(new LegendEntry(input.Texts.Quota2Legend, ChartPalette.Quota2));
        }

        return new ChartScene(plot, dataArea, binWidth, yMax, legend);
    }

    private static void Validate(ScoreChartInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(input.Texts, nameof(input));
        if (!CanRender(input))
        {
            throw new ArgumentException("There are no applications to draw; answer in text instead.", nameof(input));
        }

        foreach (var application in input.Applications)
        {
            RequireOnAxis(application.Score, "An application's score");
        }

        if (input.BudgetCutOff is { } cutOff)
        {
            RequireOnAxis(cutOff, "The budget cut-off");
        }

        if (input.User is { } user)
        {
            RequireOnAxis(user.Score, "The user's score");
        }

        if (input.GeneralBudgetSeats is < 0)
        {
            throw new ArgumentException("Budget seats cannot be negative.", nameof(input));
        }

        RequirePlaceholder(input.Texts.CutOffLabel, nameof(ScoreChartTexts.CutOffLabel));
        RequirePlaceholder(input.Texts.BudgetSeatsLabel, nameof(ScoreChartTexts.BudgetSeatsLabel));
        RequirePlaceholder(input.Texts.MarkerLabel, nameof(ScoreChartTexts.MarkerLabel));
    }

    private static void RequireOnAxis(decimal score, string what)
    {
        if (score is < ScoreHistogram.AxisMinimum or > ScoreHistogram.AxisMaximum)
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, $"{what} must lie within 100–200, the chart's axis.");
        }
    }

    private static void RequirePlaceholder(string format, string name)
    {
        try
        {
            if (format is null || !format.Contains("{0}", StringComparison.Ordinal))
            {
                throw new FormatException();
            }

            _ = string.Format(CultureInfo.InvariantCulture, format, 0);
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{name} must be a format string with one placeholder {{0}}: \"{format}\".", name);
        }
    }

    /// <summary>Scores as the lists print them: three decimals, a dot, whatever the server's culture.</summary>
    internal static string FormatScore(decimal score) => score.ToString("0.000", CultureInfo.InvariantCulture);

    private static void StyleFigure(Plot plot, ScoreChartTexts texts, PlotArea dataArea, double yMax)
    {
        plot.FigureBackground.Color = ChartPalette.Background;
        plot.DataBackground.Color = ChartPalette.Background;
        plot.Layout.Fixed(new PixelRect(dataArea.Left, dataArea.Right, dataArea.Bottom, dataArea.Top));
        plot.Axes.SetLimits((double)ScoreHistogram.AxisMinimum, (double)ScoreHistogram.AxisMaximum, 0, yMax);

        var scoreTicks = new NumericManual();
        for (var score = 100; score <= 200; score += 10)
        {
            scoreTicks.AddMajor(score, score.ToString(CultureInfo.InvariantCulture));
        }

        for (var score = 105; score < 200; score += 10)
        {
            scoreTicks.AddMinor(score);
        }

        plot.Axes.Bottom.TickGenerator = scoreTicks;

        var countTicks = new NumericManual();
        var step = CountTickStep(yMax);
        for (var count = 0L; count <= yMax; count += step)
        {
            countTicks.AddMajor(count, count.ToString(CultureInfo.InvariantCulture));
        }

        plot.Axes.Left.TickGenerator = countTicks;

        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left, plot.Axes.Top, plot.Axes.Right })
        {
            UseChartFont(axis.Label, bold: false);
            UseChartFont(axis.TickLabelStyle, bold: false);
            axis.FrameLineStyle.Width = 0;
            axis.MajorTickStyle.Length = 0;
            axis.MinorTickStyle.Length = 0;
        }

        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.TickLabelStyle.FontSize = 22;
            axis.TickLabelStyle.ForeColor = ChartPalette.MutedText;
            axis.Label.FontSize = 22;
            axis.Label.ForeColor = ChartPalette.MutedText;
        }

        plot.Axes.Bottom.Label.Text = texts.ScoreAxis;
        plot.Axes.Left.Label.Text = texts.CountAxis;
        plot.Axes.Bottom.FrameLineStyle.Width = 2;
        plot.Axes.Bottom.FrameLineStyle.Color = ChartPalette.Axis;
        plot.Axes.Bottom.MajorTickStyle.Length = 7;
        plot.Axes.Bottom.MajorTickStyle.Width = 2;
        plot.Axes.Bottom.MajorTickStyle.Color = ChartPalette.Axis;
        plot.Axes.Bottom.MinorTickStyle.Length = 4;
        plot.Axes.Bottom.MinorTickStyle.Width = 1.5f;
        plot.Axes.Bottom.MinorTickStyle.Color = ChartPalette.Axis;

        plot.Axes.Title.IsVisible = false;
        UseChartFont(plot.Axes.Title.Label, bold: true);
        plot.Legend.IsVisible = false;
        plot.Legend.FontName = ChartFonts.FamilyAlias;

        plot.Grid.XAxisStyle.MajorLineStyle.Color = ChartPalette.Grid;
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 1;
        plot.Grid.XAxisStyle.MinorLineStyle.Width = 0;
        plot.Grid.YAxisStyle.MajorLineStyle.Color = ChartPalette.Grid;
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 1.5f;
        plot.Grid.YAxisStyle.MinorLineStyle.Width = 0;
    }

    private static void UseChartFont(LabelStyle style, bool bold)
    {
        style.FontName = ChartFonts.FamilyAlias;
        style.Bold = bold;
        style.Font = bold ? ChartFonts.Bold : ChartFonts.Regular;
    }

    private static void AddBars(Plot plot, IReadOnlyList<ScoreBin> bins, int binWidth)
    {
        // A thin gap between neighbours keeps single bars readable; at 1-point bins it is about one pixel.
        var size = binWidth * 0.86;
        var bars = new List<Bar>(bins.Count * 3);
        foreach (var bin in bins)
        {
            var centre = (double)(bin.From + bin.To) / 2;
            var bottom = 0;
            foreach (var (count, colour) in new[] { (bin.General, ChartPalette.General), (bin.Quota1, ChartPalette.Quota1), (bin.Quota2, ChartPalette.Quota2) })
            {
                if (count == 0)
                {
                    continue;
                }

                bars.Add(new Bar
                {
                    Position = centre,
                    ValueBase = bottom,
                    Value = bottom + count,
                    Size = size,
                    FillColor = colour,
                    LineWidth = 0,
                });
                bottom += count;
            }
        }

        if (bars.Count > 0)
        {
            plot.Add.Bars(bars);
        }
    }

    private static void AddVerticalLine(Plot plot, decimal score, double yMax, ScottPlot.Color colour, float width, LinePattern pattern)
    {
        var line = plot.Add.Line((double)score, 0, (double)score, yMax);
        line.LineColor = colour;
        line.LineWidth = width;
        line.LinePattern = pattern;
        line.MarkerSize = 0;
    }

    private static void AddLineLabel(Plot plot, LineLabel label, double yMax)
    {
        var text = plot.Add.Text(label.Text, (double)label.Score, yMax);
        UseChartFont(text.LabelStyle, bold: true);
        text.LabelFontSize = LabelFontSize;
        text.LabelFontColor = label.Colour;
        text.LabelBackgroundColor = ChartPalette.LabelBackground;
        text.LabelBorderColor = label.Colour;
        text.LabelBorderWidth = 2;
        text.LabelBorderRadius = 6;
        text.LabelPadding = LabelPadding;
        text.LabelLineSpacing = LabelLineHeight;
        text.LabelAlignment = label.OnRight ? Alignment.UpperLeft : Alignment.UpperRight;
        text.OffsetX = label.OnRight ? label.Gap + LabelPadding : -(label.Gap + LabelPadding);
        text.OffsetY = label.Top + LabelPadding;
    }

    private const float LabelFontSize = 21;
    private const float LabelLineHeight = 28;

    /// <summary>
    /// Puts each line's label beside its line, on the side where it fits: the cut-off label inside the budget zone
    /// (right), the user's label away from the cut-off line. Both share the top row when their boxes do not meet;
    /// otherwise the cut-off label takes the top row, unless it would cover the user's pointer, and the other goes below.
    /// </summary>
    private static LineLabels PlaceLineLabels(ScoreChartInput input, PlotArea area)
    {
        var texts = input.Texts;

        var cutOffLines = new List<string>(2);
        if (input.BudgetCutOff is { } cutOff)
        {
            cutOffLines.Add(string.Format(CultureInfo.InvariantCulture, texts.CutOffLabel, FormatScore(cutOff)));
        }

        if (input.GeneralBudgetSeats is { } seats)
        {
            cutOffLines.Add(string.Format(CultureInfo.InvariantCulture, texts.BudgetSeatsLabel, seats.ToString(CultureInfo.InvariantCulture)));
        }

        LineLabel? cutOffLabel = null;
        if (cutOffLines.Count > 0)
        {
            // Without a cut-off the seats line stands alone in the top right corner.
            var anchor = input.BudgetCutOff ?? ScoreHistogram.AxisMaximum;
            var label = NewLabel(cutOffLines, anchor, LabelGap, ChartPalette.CutOffLine);
            cutOffLabel = label with { OnRight = input.BudgetCutOff is not null && label.FitsRight(area) };
        }

        LineLabel? userLabel = null;
        if (input.User is { } user)
        {
            List<string> lines = [string.Format(CultureInfo.InvariantCulture, texts.MarkerLabel, FormatScore(user.Score))];
            if (!string.IsNullOrWhiteSpace(user.PlaceText))
            {
                lines.Add(user.PlaceText);
            }

            // The pointer triangle sits on the line's top, so the box keeps clear of it.
            var label = NewLabel(lines, user.Score, PointerHalfWidth + 4, ChartPalette.Marker);
            var preferRight = input.BudgetCutOff is not { } line || user.Score >= line;
            var (fitsRight, fitsLeft) = (label.FitsRight(area), label.FitsLeft(area));
            userLabel = label with { OnRight = preferRight ? fitsRight || !fitsLeft : !fitsLeft && fitsRight };
        }

        List<List<LineLabel>> rows = (cutOffLabel, userLabel) switch
        {
            (null, null) => [],
            ({ } cut, null) => [[cut]],
            (null, { } mine) => [[mine]],
            ({ } cut, { } mine) when !cut.Meets(area, mine) => [[cut, mine]],
            ({ } cut, { } mine) when cut.Spans(area, mine.Score, PointerHalfWidth + 4) => [[mine], [cut]],
            ({ } cut, { } mine) => [[cut], [mine]],
        };

        var placed = new List<LineLabel>(2);
        var rowTop = LabelRowTop;
        foreach (var row in rows)
        {
            placed.AddRange(row.Select(label => label with { Top = rowTop }));
            rowTop += BoxHeight(row.Max(label => label.LineCount)) + LabelRowGap;
        }

        return new LineLabels(placed, placed.Count == 0 ? 0 : rowTop);
    }

    private static LineLabel NewLabel(List<string> lines, decimal score, float gap, ScottPlot.Color colour)
    {
        using var font = new SKFont(ChartFonts.Bold, LabelFontSize);
        var boxWidth = lines.Max(line => font.MeasureText(line)) + (2 * LabelPadding);
        return new LineLabel(string.Join('\n', lines), lines.Count, score, OnRight: true, Top: 0, colour, gap, boxWidth);
    }

    private const float PointerSize = 22;
    private const float PointerHalfWidth = PointerSize / 2;

    private static float BoxHeight(int lines) => (lines * LabelLineHeight) + (2 * LabelPadding) + 6;

    /// <summary>The count axis's top: the tallest bar stays below the rows of line labels.</summary>
    private static double CountAxisMaximum(int tallestBar, float dataHeight, float reservedHeight)
    {
        var barShare = reservedHeight > 0 ? (dataHeight - reservedHeight) / dataHeight : 0.9f;
        return Math.Max(tallestBar / barShare, 1.2);
    }

    /// <summary>The smallest round step (1, 2 or 5 × 10ⁿ) that reaches the axis's top in at most six steps.</summary>
    private static long CountTickStep(double yMax)
    {
        long[] mantissas = [1, 2, 5];
        for (var magnitude = 1L; ; magnitude *= 10)
        {
            foreach (var mantissa in mantissas)
            {
                var step = mantissa * magnitude;
                if (yMax / step <= 6)
                {
                    return step;
                }
            }
        }
    }

    private static void DrawHeader(SKCanvas canvas, ScoreChartTexts texts, IReadOnlyList<LegendEntry> legend)
    {
        var maxWidth = Width - (2 * HeaderX);
        using var paint = new SKPaint { IsAntialias = true };

        using (var titleFont = new SKFont(ChartFonts.Bold, 34) { Subpixel = true })
        {
            paint.Color = ChartPalette.Text.ToSKColor();
            canvas.DrawText(Fit(texts.Title, titleFont, maxWidth), HeaderX, 47, SKTextAlign.Left, titleFont, paint);
        }

        using var bodyFont = new SKFont(ChartFonts.Regular, 22) { Subpixel = true };
        paint.Color = ChartPalette.MutedText.ToSKColor();
        canvas.DrawText(Fit(texts.Subtitle, bodyFont, maxWidth), HeaderX, 80, SKTextAlign.Left, bodyFont, paint);

        const float swatch = 20;
        const float legendBaseline = 118;
        var x = HeaderX;
        foreach (var entry in legend)
        {
            paint.Color = entry.Colour.ToSKColor();
            canvas.DrawRoundRect(SKRect.Create(x, legendBaseline - swatch + 3, swatch, swatch), 3, 3, paint);
            x += swatch + 9;
            paint.Color = ChartPalette.Text.ToSKColor();
            canvas.DrawText(entry.Text, x, legendBaseline, SKTextAlign.Left, bodyFont, paint);
            x += bodyFont.MeasureText(entry.Text) + 30;
        }
    }

    /// <summary>The text as is when it fits the width, else cut short with «…».</summary>
    private static string Fit(string text, SKFont font, float maxWidth)
    {
        if (font.MeasureText(text) <= maxWidth)
        {
            return text;
        }

        var length = text.Length;
        while (length > 0 && font.MeasureText(string.Concat(text.AsSpan(0, length).TrimEnd(), "…")) > maxWidth)
        {
            length--;
        }

        return string.Concat(text.AsSpan(0, length).TrimEnd(), "…");
    }

    private static readonly ScoreChartInput WarmUpInput = new(
        Enumerable.Range(0, 400).Select(i => new ChartApplication(130m + (i % 70) + (i % 7 / 10m), (QuotaKind)(i % 9 == 0 ? i % 3 : 0))).ToArray(),
        BudgetCutOff: 175.5m,
        GeneralBudgetSeats: 40,
        User: new UserScoreMarker(168.25m, "—"),
        new ScoreChartTexts
        {
            Title = "Розподіл балів",
            Subtitle = "—",
            ScoreAxis = "Бал",
            CountAxis = "Заяви",
            GeneralLegend = "Загальний конкурс",
            Quota1Legend = "Квота 1",
            Quota2Legend = "Квота 2",
            CutOffLabel = "{0}",
            BudgetSeatsLabel = "{0}",
            MarkerLabel = "{0}",
        });
}

/// <summary>A plot ready to draw, with what the renderer draws around it.</summary>
internal sealed record ChartScene(Plot Plot, PlotArea DataArea, int BinWidth, double CountAxisMaximum, IReadOnlyList<LegendEntry> LegendEntries);

/// <summary>One legend entry in the header.</summary>
internal sealed record LegendEntry(string Text, ScottPlot.Color Colour);

/// <summary>
/// A boxed, bold label beside the vertical line at <see cref="Score"/>, <see cref="Gap"/> pixels away from it;
/// <see cref="Top"/> is pixels below the data area's top, <see cref="BoxWidth"/> includes the padding.
/// </summary>
internal sealed record LineLabel(string Text, int LineCount, decimal Score, bool OnRight, float Top, ScottPlot.Color Colour, float Gap, float BoxWidth)
{
    public (float Left, float Right) Extent(PlotArea area)
    {
        var x = area.XPixel(Score);
        return OnRight ? (x + Gap, x + Gap + BoxWidth) : (x - Gap - BoxWidth, x - Gap);
    }

    public bool FitsRight(PlotArea area) => (this with { OnRight = true }).Extent(area).Right <= area.Right - 2;

    public bool FitsLeft(PlotArea area) => (this with { OnRight = false }).Extent(area).Left >= area.Left + 2;

    /// <summary>Whether the box spans the x pixel of <paramref name="score"/>, widened by <paramref name="margin"/> pixels.</summary>
    public bool Spans(PlotArea area, decimal score, float margin)
    {
        var (left, right) = Extent(area);
        var x = area.XPixel(score);
        return x >= left - margin && x <= right + margin;
    }

    /// <summary>Whether the two boxes would touch in one row, or either would cover the other's line.</summary>
    public bool Meets(PlotArea area, LineLabel other)
    {
        var (left, right) = Extent(area);
        var (otherLeft, otherRight) = other.Extent(area);
        const float clearance = 12;
        return (left < otherRight + clearance && otherLeft < right + clearance)
            || Spans(area, other.Score, other.Gap) || other.Spans(area, Score, Gap);
    }
}

/// <summary>The line labels and the height their rows take at the top of the data area.</summary>
internal sealed record LineLabels(IReadOnlyList<LineLabel> Labels, float ReservedHeight);
