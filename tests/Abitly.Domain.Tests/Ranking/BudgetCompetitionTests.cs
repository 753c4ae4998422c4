using Abitly.Domain.Ranking;

namespace Abitly.Domain.Tests.Ranking;

public sealed class BudgetCompetitionTests
{
    [Fact]
    public void Binary_search_counts_equal_a_plain_count_on_random_lists()
    {
        var random = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var applications = Enumerable.Range(0, random.Next(0, 300))
                .Select(_ => new RankedApplication(
                    random.Next(10) == 0 ? null : 140m + random.Next(0, 40) + (random.Next(4) * 0.25m),
                    random.Next(6) == 0 ? null : random.Next(1, 7),
                    random.Next(8) == 0 ? "Скасовано вступником" : "Допущено",
                    random.Next(10) == 0))
                .ToList();
            var competition = BudgetCompetition.From(applications, quotaPlaces: 0);
            var general = applications
                .Where(a => a.Score is not null && a.Priority is >= 1 and <= 5 && a.Status == "Допущено")
                .Select(a => a.Score!.Value)
                .ToList();
            var probe = 140m + random.Next(0, 40) + (random.Next(4) * 0.25m);

            Assert.Equal(general.Count(s => s > probe), competition.CountAbove(probe));
            Assert.Equal(general.Count(s => s >= probe), competition.CountAtLeast(probe));
            Assert.Equal(general.Count, competition.ActiveBudgetApplications);
        }
    }
}
