using Abitly.Bot.Data;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Tests.Simulation;

/// <summary>The sandbox's demo lists made into a campaign the simulation reads, and simulated by the bot on SQLite as the sandbox does.</summary>
public sealed class DemoCampaignTests
{
    [Fact]
    public async Task The_demo_lists_get_positions_and_valid_persons_once_and_the_bot_shows_olena_her_own_simulated_application()
    {
        var cs = await TestServices.CreateSqliteDatabaseAsync();
        var now = DateTime.UtcNow;
        await using (var db = Database.Open(DatabaseProvider.Sqlite, cs))
        {
            Assert.NotNull(await DemoCampaign.PrepareAsync(db, TestServices.CampaignYear, now, CancellationToken.None));
            Assert.Null(await DemoCampaign.PrepareAsync(db, TestServices.CampaignYear, now, CancellationToken.None));   // once per database
            Assert.Equal(1, await db.ImportRuns.CountAsync(r => r.Status == ImportRunStatus.Completed));

            var budgetOffers = await db.Offers.Where(o => o.Year == TestServices.CampaignYear && o.BudgetPlaces != null).Select(o => o.Id).ToListAsync();
            var rows = await db.Applicants.AsNoTracking()
                .Where(a => db.Offers.Any(o => o.Id == a.OfferId && o.Year == TestServices.CampaignYear))
                .Select(a => new { a.OfferId, a.Position, a.Score, a.Priority, a.PersonKey, a.FullName })
                .ToListAsync();

            // Each list is numbered 1..n, best score first.
            foreach (var list in rows.GroupBy(r => r.OfferId))
            {
                var ordered = list.OrderBy(r => r.Position).ToList();
                Assert.Equal(Enumerable.Range(1, ordered.Count), ordered.Select(r => r.Position));
                Assert.True(ordered.Zip(ordered.Skip(1)).All(p => (p.First.Score ?? -1m) >= (p.Second.Score ?? -1m)), $"offer {list.Key} is not in score order");
            }

            // Every budget application has a person, and no person has two applications of one priority or to one offer.
            var budget = rows.Where(r => budgetOffers.Contains(r.OfferId) && r.Priority is >= 1 and <= 5).ToList();
            Assert.All(budget, r => Assert.NotNull(r.PersonKey));
            foreach (var person in budget.GroupBy(r => r.PersonKey))
            {
                Assert.Equal(person.Count(), person.Select(r => r.Priority).Distinct().Count());
                Assert.Equal(person.Count(), person.Select(r => r.OfferId).Distinct().Count());
            }

            // Олена: sociology at priority 1 with her own score, (0.45·186 + 0.40·167 + 0.40·168 + 0.50·152) / 1.75 = 167.829,
            // and KNU computer science at priority 2.
            var olena = budget.Where(r => r.PersonKey == "demo-olena").OrderBy(r => r.Priority).ToList();
            Assert.Equal([(DemoData.Ids.SociologyOffer, 1), (DemoData.Ids.ComputerScienceOffer, 2)], olena.Select(r => (r.OfferId, r.Priority!.Value)));
            Assert.Equal(167.829m, olena[0].Score);
            Assert.All(olena, r => Assert.Equal(DemoCampaign.OlenaName, r.FullName));
        }

        // The bot's catch-up simulates the prepared run on start, as in the sandbox.
        await using var host = await BotTestHost.StartAsync(databaseConnectionString: cs, provider: DatabaseProvider.Sqlite);
        await FoundationTests.WaitUntilAsync(async () =>
        {
            await using var db = host.OpenDb();
            return await db.SimulationRuns.AnyAsync(r => r.Status != SimulationRunStatus.Running);
        });
        await using (var db = host.OpenDb())
        {
            var run = await db.SimulationRuns.SingleAsync();
            Assert.Equal((SimulationRunStatus.Shown, 1.0, 0), (run.Status, run.MatchedShare, run.SplitApplications));
        }

        const long chat = 9201;
        host.Emulator.SendText(chat, "/help");
        await host.Emulator.WaitForBotMessageAsync(chat, timeout: TimeSpan.FromSeconds(20));
        await FoundationTests.WaitForIdleAsync(host);
        await using (var db = host.OpenDb())
        {
            await db.TelegramUsers.Where(u => u.Id == chat).ExecuteUpdateAsync(s => s.SetProperty(u => u.WebUserId, DemoData.Ids.DemoWebUser));
        }

        host.Emulator.SendText(chat, $"https://vstup.edbo.gov.ua/offer/{DemoData.Ids.SociologyOffer}/");
        var view = await host.Emulator.WaitForBotMessageAsync(chat, m => m.Text!.Contains("Пропозиція ", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Contains("<b>Симуляція розподілу</b>", view.Text, StringComparison.Ordinal);
        Assert.Contains("Ваша заява (пріоритет 1)", view.Text, StringComparison.Ordinal);
    }
}
