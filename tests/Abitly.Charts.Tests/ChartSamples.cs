using Abitly.Domain.Ranking;

namespace Abitly.Charts.Tests;

/// <summary>Inputs the tests draw: Ukrainian captions as the bot would pass them, and fixed application lists.</summary>
internal static class ChartSamples
{
    public static ScoreChartTexts Texts { get; } = new()
    {
        Title = "Розподіл конкурсних балів",
        Subtitle = "F2 Інженерія програмного забезпечення · КПІ ім. Ігоря Сікорського · 312 заяв",
        ScoreAxis = "Конкурсний бал",
        CountAxis = "Кількість заяв",
        GeneralLegend = "Загальний конкурс",
        Quota1Legend = "Квота 1",
        Quota2Legend = "Квота 2",
        CutOffLabel = "Прохідний на бюджет: {0}",
        BudgetSeatsLabel = "Бюджетних місць: {0}",
        MarkerLabel = "Ваш бал: {0}",
    };

    /// <summary>
    /// 312 applications over 130–190 by a fixed formula (no randomness): two evenly spread terms add up to a
    /// peak around 160. Every 11th is on quota 1 and every 17th on quota 2. The golden image's list.
    /// </summary>
    public static ChartApplication[] GoldenList() =>
        Enumerable.Range(0, 312)
            .Select(i => new ChartApplication(
                130m + ((i * 37) % 31) + ((i * 53) % 29) + ((i * 13) % 12 * 0.05m) + (i % 5 * 0.001m),
                i % 11 == 0 ? QuotaKind.Quota1 : i % 17 == 0 ? QuotaKind.Quota2 : QuotaKind.None))
            .ToArray();

    public static ScoreChartInput GoldenInput() =>
        new(GoldenList(), BudgetCutOff: 176.45m, GeneralBudgetSeats: 48, new UserScoreMarker(168.25m, "місце 97–98 з 312"), Texts);

    /// <summary>A bell-shaped list of <paramref name="count"/> applications around 160, about 6 % on each quota, from a seeded generator.</summary>
    public static ChartApplication[] LargeList(int count, int seed)
    {
        var random = new Random(seed);
        var applications = new ChartApplication[count];
        for (var i = 0; i < count; i++)
        {
            // The sum of four uniforms is close enough to a bell for a realistic picture.
            var spread = (random.NextDouble() + random.NextDouble() + random.NextDouble() + random.NextDouble() - 2) * 40;
            var score = Math.Clamp(Math.Round(160m + (decimal)spread, 3), 100m, 200m);
            var roll = random.Next(100);
            applications[i] = new ChartApplication(score, roll < 6 ? QuotaKind.Quota1 : roll < 12 ? QuotaKind.Quota2 : QuotaKind.None);
        }

        return applications;
    }

    public static ScoreChartInput LargeInput(int count = 10_000) =>
        new(LargeList(count, seed: 17), BudgetCutOff: 171.204m, GeneralBudgetSeats: 1_200,
            new UserScoreMarker(168.25m, "місце 3 412–3 415 з 10 000"),
            Texts with { Subtitle = "F2 Інженерія програмного забезпечення · Київський політехнічний інститут ім. Ігоря Сікорського · 10 000 заяв" });
}
