using ScottPlot;
using ScottPlot.Plottables;
using SkiaSharp;

namespace Abitly.Charts.Tests;

public class ChartFontTests
{
    private const string UkrainianAlphabet = "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯабвгґдеєжзиіїйклмнопрстуфхцчшщьюя’ʼ–—…·0123456789.:";

    [Fact]
    public void The_embedded_typefaces_are_noto_sans_with_every_ukrainian_letter()
    {
        Assert.Equal("Noto Sans", ChartFonts.Regular.FamilyName);
        Assert.Equal("Noto Sans", ChartFonts.Bold.FamilyName);
        Assert.True(ChartFonts.Bold.IsBold);
        Assert.False(ChartFonts.Regular.IsBold);
        Assert.True(ChartFonts.Regular.ContainsGlyphs(UkrainianAlphabet));
        Assert.True(ChartFonts.Bold.ContainsGlyphs(UkrainianAlphabet));
    }

    [Fact]
    public void Scottplot_resolves_the_chart_font_name_to_the_embedded_typefaces()
    {
        ChartFonts.EnsureRegistered();

        Assert.Same(ChartFonts.Regular, Fonts.GetTypeface(ChartFonts.FamilyAlias, bold: false, italic: false));
        Assert.Same(ChartFonts.Bold, Fonts.GetTypeface(ChartFonts.FamilyAlias, bold: true, italic: false));
        Assert.Equal(ChartFonts.FamilyAlias, Fonts.Default);
    }

    [Fact]
    public void Every_text_on_the_plot_is_drawn_with_an_embedded_typeface()
    {
        ChartFonts.EnsureRegistered();
        var scene = ScoreChartRenderer.Compose(ChartSamples.GoldenInput());
        using var plot = scene.Plot;

        var styles = new List<LabelStyle> { plot.Axes.Title.Label };
        foreach (var axis in plot.Axes.GetAxes())
        {
            styles.Add(axis.Label);
            styles.Add(axis.TickLabelStyle);
        }

        styles.AddRange(plot.GetPlottables<Text>().Select(t => t.LabelStyle));

        Assert.Equal(2, plot.GetPlottables<Text>().Count());
        Assert.All(styles, style =>
        {
            // LabelStyle draws with Font when set, else with whatever Fonts resolves FontName to: check both.
            var font = style.Font ?? Fonts.GetTypeface(style.FontName, style.Bold, style.Italic);
            Assert.True(ReferenceEquals(font, ChartFonts.Regular) || ReferenceEquals(font, ChartFonts.Bold), $"'{style.Text}' uses {font.FamilyName}");
            Assert.Same(font, Fonts.GetTypeface(style.FontName, style.Bold, style.Italic));
        });
    }

    [Theory]
    [InlineData("Ваш бал: 165.089", true)]
    [InlineData("місце 41–43 з 120 · Квота 1", true)]
    [InlineData("місце ≈ 41", false)]
    public void Can_draw_tells_the_texts_the_embedded_font_covers_from_those_it_would_draw_as_boxes(string text, bool drawable)
    {
        // "≈" is not in the shipped Noto Sans: a sandbox chart showed it as an empty box.
        Assert.Equal(drawable, ScoreChartRenderer.CanDraw(text));
    }

    [Fact]
    public void No_installed_font_is_called_like_the_chart_font()
    {
        // The alias must never match a system family, or ScottPlot's system resolver could answer for it.
        Assert.DoesNotContain(ChartFonts.FamilyAlias, SKFontManager.Default.FontFamilies, StringComparer.OrdinalIgnoreCase);
    }
}
