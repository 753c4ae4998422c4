using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Charts;
using Abitly.Domain.Ranking;
using Abitly.Domain.Scoring;

namespace Abitly.Bot.Tests.Charts;

/// <summary>The chart's words without a bot: what is drawn must be drawable, and the picture's key must follow what it shows.</summary>
public sealed class OfferChartRendererTests
{
    private static readonly PersonalResult NoScore = new(null, null, null);

    private static OfferChartFacts Facts(PersonalResult? personal = null, string version = "0a1b2c3d4e", bool contractOnly = false) => new(
        version, "КПІ ім. Сікорського", "F2", "Інженерія програмного забезпечення", "Інженерія програмного забезпечення інтелектуальних систем",
        contractOnly, 3120, 90, 9, 4, 78, 9, 3, 171.204m, Linked: personal is not null, personal, null);

    /// <summary>A linked user scored <paramref name="score"/> (no ГК) and placed <paramref name="best"/>–<paramref name="worst"/>.</summary>
    private static PersonalResult Scored(decimal score, int best, int worst) => new(
        new ScoreOutcome(new CompetitiveScore(score, score, score, "eng", 130m, true, []), [], [], []),
        new RankEstimate(best, worst, 3120, 78, Standing.Outside, score - 171.204m),
        null);

    [Fact]
    public void Every_text_the_bot_puts_on_the_picture_is_in_the_charts_font()
    {
        var input = OfferChartRenderer.Input(Facts(), [new ChartApplication(150m, QuotaKind.None)]);
        var texts = input.Texts;
        string[] drawn =
        [
            texts.Title, texts.Subtitle, texts.ScoreAxis, texts.CountAxis, texts.GeneralLegend, texts.Quota1Legend, texts.Quota2Legend,
            texts.CutOffLabel, texts.BudgetSeatsLabel, texts.MarkerLabel, "місце 41–43 з 3120",
        ];
        Assert.All(drawn, text => Assert.True(ScoreChartRenderer.CanDraw(text), $"'{text}' has a character the chart's font cannot draw"));
    }

    [Fact]
    public void The_picture_key_changes_with_the_list_version_and_nothing_else_of_an_unlinked_users_view()
    {
        var key = OfferChartRenderer.ImageKey(Facts(), 1402002);

        Assert.Equal(key, OfferChartRenderer.ImageKey(Facts() with { DataAsOfLocal = DateTimeOffset.UnixEpoch }, 1402002));
        Assert.NotEqual(key, OfferChartRenderer.ImageKey(Facts(version: "ffffffffff"), 1402002));
        Assert.NotEqual(key, OfferChartRenderer.ImageKey(Facts(), 1402003));
        // Linked without a score: no marker, the same picture as an unlinked user's.
        Assert.Equal(key, OfferChartRenderer.ImageKey(Facts(NoScore), 1402002));
        Assert.DoesNotContain(' ', key);
    }

    [Fact]
    public void Users_with_the_same_score_and_place_share_a_picture_and_any_difference_in_either_makes_another()
    {
        var key = OfferChartRenderer.ImageKey(Facts(Scored(165.089m, 41, 43)), 1402002);

        Assert.Equal(key, OfferChartRenderer.ImageKey(Facts(Scored(165.089m, 41, 43)), 1402002));
        Assert.NotEqual(key, OfferChartRenderer.ImageKey(Facts(Scored(165.090m, 41, 43)), 1402002));
        Assert.NotEqual(key, OfferChartRenderer.ImageKey(Facts(Scored(165.089m, 41, 44)), 1402002));
        Assert.NotEqual(key, OfferChartRenderer.ImageKey(Facts(), 1402002));

        // And the picture it names shows that score and place.
        var marker = OfferChartRenderer.Input(Facts(Scored(165.089m, 41, 43)), [new ChartApplication(150m, QuotaKind.None)]).User;
        Assert.Equal(new UserScoreMarker(165.089m, "місце 41–43 з 3120"), marker);
    }
}
