using System.Globalization;
using Abitly.Bot.Data;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Tests.Simulation;

/// <summary>The sandbox's demo campaigns simulated on SQLite: by the bot's own job at start, the same as before, and shown to Олена.</summary>
public sealed class DemoSimulationTests
{
    [Fact]
    public async Task The_bot_simulates_the_demo_campaign_at_start_as_before_and_shows_olena_her_score_against_the_simulated_cut_off()
    {
        var cs = await TestServices.CreateSqliteDatabaseAsync();
        List<SimulationOffer> before;
        await using (var db = Database.Open(DatabaseProvider.Sqlite, cs))
        {
            // The seeded copy was simulated once (generated lists carry person keys: every application is matched).
            var run = await db.SimulationRuns.SingleAsync(r => r.CampaignYear == TestServices.CampaignYear);
            Assert.Equal((SimulationRunStatus.Shown, 1.0, 0), (run.Status, run.MatchedShare, run.SplitApplications));
            before = await db.SimulationOffers.AsNoTracking().Where(o => o.RunId == run.Id).OrderBy(o => o.OfferId).ToListAsync();

            // Forget it: the bot's catch-up must find the newest demo import due and simulate it again.
            await db.SimulationApplications.ExecuteDeleteAsync();
            await db.SimulationOffers.ExecuteDeleteAsync();
            await db.SimulationRuns.ExecuteDeleteAsync();
        }

        await using var host = await BotTestHost.StartAsync(databaseConnectionString: cs, provider: DatabaseProvider.Sqlite);
        await SimulationViewTests.UntilAsync(async () =>
        {
            await using var db = host.OpenDb();
            return await db.SimulationRuns.AnyAsync(r => r.CampaignYear == TestServices.CampaignYear && r.Status == SimulationRunStatus.Shown);
        });
        SimulationOffer sociology;
        await using (var db = host.OpenDb())
        {
            // The same lists give the same seats: the result does not depend on the run, the process or the order rows were read in.
            var run = await db.SimulationRuns.SingleAsync(r => r.CampaignYear == TestServices.CampaignYear);
            var again = await db.SimulationOffers.AsNoTracking().Where(o => o.RunId == run.Id).OrderBy(o => o.OfferId).ToListAsync();
            Assert.Equal(before.Select(Seats), again.Select(Seats));
            sociology = again.Single(o => o.OfferId == DemoData.Ids.SociologyOffer);
        }

        const long chat = 9201;
        host.Emulator.SendText(chat, "/help");
        await host.Emulator.WaitForBotMessageAsync(chat, timeout: TimeSpan.FromSeconds(60));
        await FoundationTests.WaitForIdleAsync(host);
        await using (var db = host.OpenDb())
        {
            await db.TelegramUsers.Where(u => u.Id == chat).ExecuteUpdateAsync(s => s.SetProperty(u => u.WebUserId, DemoData.Ids.DemoWebUser));
        }

        host.Emulator.SendText(chat, $"https://vstup.edbo.gov.ua/offer/{DemoData.Ids.SociologyOffer}/");
        var view = (await host.Emulator.WaitForBotMessageAsync(chat, m => m.Text!.Contains("Пропозиція ", StringComparison.Ordinal), TimeSpan.FromSeconds(60))).Text!;

        // Олена is on no generated list: her score, (0.45·186 + 0.40·167 + 0.40·168 + 0.50·152) / 1.75 = 167.829 (no ГК
        // for sociology), against the simulated cut-off.
        Assert.Contains("<b>Симуляція розподілу</b>", view, StringComparison.Ordinal);
        Assert.Contains("Вашої заяви в цьому списку не знайшов", view, StringComparison.Ordinal);
        var cutOff = sociology.CutOff!.Value;
        var expected = 167.829m > cutOff ? $"вище за прохідний симуляції на {(167.829m - cutOff).ToString("0.000", CultureInfo.InvariantCulture)}."
            : 167.829m < cutOff ? $"нижче за прохідний симуляції на {(cutOff - 167.829m).ToString("0.000", CultureInfo.InvariantCulture)}."
            : "дорівнює прохідному симуляції";
        Assert.Contains($"Прохідний на бюджет за симуляцією: <b>{cutOff.ToString("0.000", CultureInfo.InvariantCulture)}</b>", view, StringComparison.Ordinal);
        Assert.Contains("Ваш бал 167.829 — " + expected, view, StringComparison.Ordinal);
    }

    private static (long, int, int, int, int, decimal?, int) Seats(SimulationOffer o) =>
        (o.OfferId, o.GeneralPlaces, o.Quota1Seated, o.Quota2Seated, o.GeneralSeated, o.CutOff, o.Competing);
}
