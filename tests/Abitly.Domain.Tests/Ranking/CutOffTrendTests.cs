using Abitly.Domain.Ranking;

namespace Abitly.Domain.Tests.Ranking;

public sealed class CutOffTrendTests
{
    private static readonly DateTimeOffset Noon = new(2026, 7, 21, 12, 40, 0, TimeSpan.FromHours(3));

    [Fact]
    public void The_trend_is_over_a_day_when_the_history_reaches_that_far()
    {
        // Hourly snapshots for two days; the newest 171.204, the one exactly a day earlier 170.404, one older 160.
        CutOffPoint[] history = [new(Noon, 171.204m), new(Noon.AddHours(-1), 171m), new(Noon.AddHours(-24), 170.404m), new(Noon.AddHours(-47), 160m)];

        var trend = CutOffTrend.From(history);

        Assert.Equal(new CutOffTrend(0.8m, Noon.AddHours(-24), OverADay: true), trend);
    }

    [Fact]
    public void A_shorter_history_compares_with_its_oldest_point()
    {
        var trend = CutOffTrend.From([new(Noon.AddHours(-3), 170m), new(Noon, 169.5m)]);

        Assert.Equal(new CutOffTrend(-0.5m, Noon.AddHours(-3), OverADay: false), trend);
    }

    [Fact]
    public void No_trend_without_two_points_with_a_cut_off()
    {
        Assert.Null(CutOffTrend.From([new(Noon, 170m)]));
        Assert.Null(CutOffTrend.From([new(Noon, null), new(Noon.AddDays(-2), 170m)]));   // seats no longer all taken
        Assert.Null(CutOffTrend.From([new(Noon, 170m), new(Noon.AddDays(-2), null)]));
    }
}
