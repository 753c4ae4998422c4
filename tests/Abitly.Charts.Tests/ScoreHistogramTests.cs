using Abitly.Domain.Ranking;
using FsCheck.Xunit;

namespace Abitly.Charts.Tests;

public class ScoreHistogramTests
{
    [Theory]
    // spread / √count, then the widest of 1, 2, 5 not above it (worked out by hand).
    [InlineData(10_000, "120", "200", 1)] // 80 / 100 = 0.8 → below 1, so 1
    [InlineData(100, "150", "159.9", 1)] // 9.9 / 10 = 0.99
    [InlineData(400, "130", "190", 2)] // 60 / 20 = 3
    [InlineData(25, "150", "160", 2)] // 10 / 5 = 2 exactly
    [InlineData(4, "150", "159.998", 2)] // 9.998 / 2 = 4.999
    [InlineData(4, "150", "160", 5)] // 10 / 2 = 5 exactly
    [InlineData(100, "140", "200", 5)] // 60 / 10 = 6
    [InlineData(9, "100", "200", 5)] // 100 / 3 = 33.3
    [InlineData(1, "150", "150", 1)] // a single application: no spread
    [InlineData(5_000, "171", "171", 1)] // everyone on one score
    public void Bin_width_follows_the_square_root_rule_snapped_down(int count, string lowest, string highest, int expected)
    {
        var width = ScoreHistogram.ChooseBinWidth(count, decimal.Parse(lowest, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(highest, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, width);
    }

    [Fact]
    public void Bin_width_needs_at_least_one_application_and_an_ordered_range()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ScoreHistogram.ChooseBinWidth(0, 150m, 160m));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScoreHistogram.ChooseBinWidth(3, 160m, 150m));
    }

    [Fact]
    public void Bins_cover_the_axis_from_100_to_200_with_200_in_the_last_bin()
    {
        ChartApplication[] applications =
        [
            new(100m, QuotaKind.None),
            new(104.999m, QuotaKind.Quota1),
            new(105m, QuotaKind.None),
            new(150.5m, QuotaKind.Quota2),
            new(154.999m, QuotaKind.None),
            new(199.999m, QuotaKind.None),
            new(200m, QuotaKind.Quota1),
        ];

        var bins = ScoreHistogram.Build(applications, 5);

        Assert.Equal(20, bins.Count);
        Assert.Equal(new ScoreBin(100m, 105m, 1, 1, 0), bins[0]);
        Assert.Equal(new ScoreBin(105m, 110m, 1, 0, 0), bins[1]);
        Assert.Equal(new ScoreBin(150m, 155m, 1, 0, 1), bins[10]);
        Assert.Equal(new ScoreBin(195m, 200m, 1, 1, 0), bins[19]);
        Assert.Equal(7, bins.Sum(b => b.Total));
    }

    [Fact]
    public void One_point_bins_count_each_whole_score()
    {
        ChartApplication[] applications = [new(171m, QuotaKind.None), new(171.999m, QuotaKind.None), new(172m, QuotaKind.Quota2)];

        var bins = ScoreHistogram.Build(applications, 1);

        Assert.Equal(100, bins.Count);
        Assert.Equal(new ScoreBin(171m, 172m, 2, 0, 0), bins[71]);
        Assert.Equal(new ScoreBin(172m, 173m, 0, 0, 1), bins[72]);
    }

    [Fact]
    public void Only_the_chart_widths_are_accepted()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ScoreHistogram.Build([new(150m, QuotaKind.None)], 3));
    }

    [Property]
    public bool Every_application_lands_in_the_one_bin_that_holds_its_score(int[] raw, byte widthChoice)
    {
        // Scores 100.000–200.000 in steps of 0.001, with every quota kind.
        var applications = raw
            .Select(r => new ChartApplication(100m + (Mod(r, 100_001) / 1000m), (QuotaKind)Mod(r / 7, 3)))
            .ToArray();
        var width = ScoreHistogram.AllowedWidths[widthChoice % 3];

        var bins = ScoreHistogram.Build(applications, width);

        var eachCountedOnce = bins.Sum(b => b.Total) == applications.Length
            && bins.Sum(b => b.Quota1) == applications.Count(a => a.Quota == QuotaKind.Quota1)
            && bins.Sum(b => b.Quota2) == applications.Count(a => a.Quota == QuotaKind.Quota2);
        var binsMatchTheirRanges = bins.All(bin => bin.Total == applications.Count(a =>
            a.Score >= bin.From && (a.Score < bin.To || (bin.To == 200m && a.Score == 200m))));
        var evenlyCut = bins.Select((b, i) => b.From == 100m + (i * width) && b.To == b.From + width).All(ok => ok);
        return eachCountedOnce && binsMatchTheirRanges && evenlyCut;
    }

    private static int Mod(int value, int modulus) => ((value % modulus) + modulus) % modulus;
}
