using Abitly.Bot.Data;
using Abitly.Bot.Import;
using Abitly.Bot.Services;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.Campaign;
using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Abitly.Bot.Tests.Simulation;

/// <summary>
/// The simulation end to end in the bot, on PostgreSQL and on SQLite: an import nudges the job, the offer view shows the
/// simulated outcome worked out by hand below, says when the lists are newer, and hides an unreliable simulation.
/// </summary>
public sealed class SimulationViewTests
{
    // Generous: on a loaded machine the first tests of a run share it with the templates' demo imports and simulations.
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private static readonly SnapshotUniversity Lnu = new("Львівський національний університет імені Івана Франка", "Львівська область", 3001, "ЛНУ ім. Франка");

    // Both offers: C3, weights 0.45/0.40/0.40 and English 0.50 (= К4max), РК 1.00, no ГК — one formula, so a person has one score.
    private static SnapshotOffer Offer(long id, string program, int budget, int quota1, params SnapshotApplication[] list) => new(
        id, Lnu, new SnapshotSpeciality("C3", "Соціологія"), program, "Денна", "Бакалавр", budget, quota1, 0, 1.00m, false,
        [new(1, "ukr", 0.45m), new(2, "math", 0.40m), new(3, "hist", 0.40m), new(4, "eng", 0.50m)], list);

    private static SnapshotApplication App(int position, string name, decimal score, int priority, string key, QuotaKind quota = QuotaKind.None, string status = "Допущено") =>
        new(position, name, score, priority, status, quota, key);

    // A (2 places): Андрієнко 190 p1, Гнатюк 185 p1, Демченко 167.829 p1.
    // B (4 places, 1 of them quota 1): Бойко 180 p1, Левченко 170 p1, Кравець 150 p1 (quota 1), Мельник 199 p1 but cancelled,
    // and the A applicants at priority 2 with the same scores.
    // Round 1: A keeps Андрієнко and Гнатюк, rejects Демченко. B seats Кравець on the quota seat; general seats 4 − 1 = 3
    //          for Бойко and Левченко: one left. Round 2: Демченко → B at priority 2: kept on the last general seat. Stable.
    // A: cut-off 185.000. B: admitted Бойко 180, Левченко 170, Демченко 167.829, Кравець 150 → cut-off 167.829. Демченко's
    // place at B once those placed at a higher priority elsewhere (Андрієнко, Гнатюк) leave its list: 3rd.
    // The list-based estimate on B instead seats 190, 185, 180 on the general seats: cut-off "now" 180.000.
    private static SnapshotOffer[] Campaign() =>
    [
        Offer(5001, "Соціологія А", 2, 0,
            App(1, "Андрієнко Андрій Іванович", 190m, 1, "k-and"),
            App(2, "Гнатюк Гнат Петрович", 185m, 1, "k-hna"),
            App(3, "Демченко Олена Петрівна", 167.829m, 1, "k-ole")),
        Offer(5002, "Соціологія Б", 4, 1,
            App(1, "Мельник Марко Олегович", 199m, 1, "k-mel", status: "Скасовано вступником"),
            App(2, "Андрієнко Андрій Іванович", 190m, 2, "k-and"),
            App(3, "Гнатюк Гнат Петрович", 185m, 2, "k-hna"),
            App(4, "Бойко Богдан Олегович", 180m, 1, "k-boh"),
            App(5, "Левченко Леся Іванівна", 170m, 1, "k-les"),
            App(6, "Демченко Олена Петрівна", 167.829m, 2, "k-ole"),
            App(7, "Кравець Катерина Андріївна", 150m, 1, "k-kat", QuotaKind.Quota1)),
    ];

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task The_offer_view_shows_the_simulated_outcome_says_when_the_lists_are_newer_and_hides_an_unreliable_run(DatabaseProvider provider)
    {
        var cs = provider == DatabaseProvider.Postgres ? await TestServices.CreateDatabaseAsync(seeded: false) : await EmptySqliteAsync();
        await using var host = await BotTestHost.StartAsync(databaseConnectionString: cs, provider: provider);
        var directory = Directory.CreateTempSubdirectory("abitly-sim-").FullName;
        await using (var db = host.OpenDb())
        {
            db.Users.AddRange(
                WebUser(71, "Олена Демченко", 186, 167, 168, 152),   // (0.45·186 + 0.40·167 + 0.40·168 + 0.50·152) / 1.75 = 167.829
                WebUser(72, "Андрій Андрієнко", 190, 190, 190, 190),  // 190.000
                WebUser(73, "Тарас Коваль", 170, 170, 170, 170));     // 170.000, and on no list
            await db.SaveChangesAsync();
        }

        const long olena = 9101, andriy = 9102, taras = 9103, guest = 9104;
        await LinkAsync(host, olena, 71);
        await LinkAsync(host, andriy, 72);
        await LinkAsync(host, taras, 73);

        // 12:40 in Kyiv (UTC+3 in July): the time the view gives the simulation.
        var first = await ImportAsync(host, directory, "r1.jsonl", new DateTimeOffset(2026, 7, 20, 12, 40, 0, TimeSpan.FromHours(3)), Campaign());
        await SimulatedAsync(host, first);

        var mine = await ViewAsync(host, olena, 5002);
        Assert.Contains("Прохідний на бюджет зараз: <b>180.000</b>", mine);
        Assert.Contains("Це оцінка", mine);
        Assert.Contains("<b>Симуляція розподілу</b> станом на 12:40, 20.07", mine);
        Assert.Contains("Прохідний на бюджет за симуляцією: <b>167.829</b>", mine);
        Assert.Contains("Рекомендовано: 4 з 4 бюджетних місць (квота 1: 1, квота 2: 0)", mine);
        Assert.Contains("✅ Ваша заява (пріоритет 2): рекомендовано тут, місце за симуляцією <b>3</b>.", mine);
        Assert.True(mine.IndexOf("Це оцінка", StringComparison.Ordinal) < mine.IndexOf("Симуляція розподілу", StringComparison.Ordinal));

        var elsewhere = await ViewAsync(host, andriy, 5002);
        Assert.Contains("↗️ Ваша заява (пріоритет 2): вас рекомендовано за вищим пріоритетом 1 — ЛНУ ім. Франка, C3 Соціологія А; цей список ви звільняєте (тут ваше місце за симуляцією було б 1).", elsewhere);

        var notOnTheList = await ViewAsync(host, taras, 5002);
        Assert.Contains("Вашої заяви в цьому списку не знайшов", notOnTheList);
        Assert.Contains("Ваш бал 170.000 — вище за прохідний симуляції на 2.171.", notOnTheList);

        var unlinked = await ViewAsync(host, guest, 5001);
        Assert.Contains("Прохідний на бюджет за симуляцією: <b>185.000</b>", unlinked);
        Assert.Contains("Рекомендовано: 2 з 2 бюджетних місць", unlinked);
        Assert.DoesNotContain("Ваша заява", unlinked);

        // The same standings for features beside the view (the tracked-offer alerts), read by web user.
        long firstRunId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var standings = scope.ServiceProvider.GetRequiredService<SimulationStandingService>();
            var own = await standings.GetForWebUserAsync(5002, 71, CancellationToken.None);
            Assert.Equal(first, own!.Run.ImportRunId);
            Assert.Equal(new SimulatedOwnApplication(2, SimulatedOutcome.RecommendedHere, AllocationSeat.General, 3, null, null, null), own.Own);
            firstRunId = own.Run.RunId;
            var held = (await standings.GetForWebUserAsync(5002, 72, CancellationToken.None))!.Own!;
            Assert.Equal((SimulatedOutcome.HigherPriorityElsewhere, (long?)5001, (int?)1), (held.Outcome, held.HeldOfferId, held.HeldPriority));
            var absent = (await standings.GetForWebUserAsync(5002, 73, CancellationToken.None))!;
            Assert.Equal(((SimulatedOwnApplication?)null, (ScoreAgainstCutOff?)ScoreAgainstCutOff.Above, (ScoreAgainstCutOff?)null),
                (absent.Own, absent.ScoreForPriorities1To2, absent.ScoreForOtherPriorities));   // 170.000 > 167.829; no ГК, one score
            var stranger = (await standings.GetForWebUserAsync(5002, 999, CancellationToken.None))!;
            Assert.Equal((4, (SimulatedOwnApplication?)null, (ScoreAgainstCutOff?)null), (stranger.Offer!.Admitted, stranger.Own, stranger.ScoreForPriorities1To2));
            Assert.Null(await standings.GetForWebUserAsync(424242, 71, CancellationToken.None));   // not an offer of the year
        }

        // A revision at 14:10 adds Олійник 175 at B while the scheduler is held: the view keeps the old simulation and says so.
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Standby();
        var revised = Campaign()[1] with { Applications = [.. Campaign()[1].Applications, App(8, "Олійник Оксана Юріївна", 175m, 1, "k-oks")] };
        var second = await ImportAsync(host, directory, "r2.jsonl", new DateTimeOffset(2026, 7, 20, 14, 10, 0, TimeSpan.FromHours(3)), revised);
        var stale = await ViewAsync(host, olena, 5002);
        Assert.Contains("станом на 12:40, 20.07", stale);
        Assert.Contains("⚠️ Списки оновилися після цієї симуляції", stale);
        Assert.Contains("Прохідний на бюджет за симуляцією: <b>167.829</b>", stale);

        // Let it run. B's general seats now go to Бойко 180, Олійник 175, Левченко 170: Демченко (rejected at A too) has no
        // seat anywhere; on B's list after departures she is behind those three → place 4, for 3 general seats; cut-off 170.000.
        await scheduler.Start();
        await SimulatedAsync(host, second);
        var fresh = await ViewAsync(host, olena, 5002);
        Assert.Contains("станом на 14:10, 20.07", fresh);
        Assert.DoesNotContain("Списки оновилися", fresh);
        Assert.Contains("Прохідний на бюджет за симуляцією: <b>170.000</b>", fresh);
        Assert.Contains("❌ Ваша заява (пріоритет 2): не рекомендовано ні на одну пропозицію; тут місце за симуляцією 4 при 3 місцях загального конкурсу.", fresh);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var own = await scope.ServiceProvider.GetRequiredService<SimulationStandingService>().GetForWebUserAsync(5002, 71, CancellationToken.None);
            Assert.True(own!.Run.RunId > firstRunId, "a new simulation run is a new data version");
            Assert.Equal((SimulatedOutcome.NotRecommended, 4), (own.Own!.Outcome, own.Own.Place));
        }

        // B's list republished without person keys, ten applications of one name, none at priority 1: nobody can tell
        // them apart. Matched: A's three keyed applications of 13 → 23 %, under the 90 % threshold: not shown.
        var anonymous = Campaign()[1] with
        {
            Applications = [.. Enumerable.Range(1, 10).Select(i => new SnapshotApplication(i, "Шевченко Андрій Богданович", 170m - i, 2, "Допущено", QuotaKind.None))],
        };
        var third = await ImportAsync(host, directory, "r3.jsonl", new DateTimeOffset(2026, 7, 20, 16, 0, 0, TimeSpan.FromHours(3)), anonymous);
        await SimulatedAsync(host, third, SimulationRunStatus.NotShown);
        var hidden = await ViewAsync(host, olena, 5002);
        Assert.Contains("Симуляцію розподілу не показую: у цих списках не вдалося надійно розрізнити вступників (зіставлено 23 % заяв, потрібно щонайменше 90 %).", hidden);
        Assert.DoesNotContain("Прохідний на бюджет за симуляцією", hidden);
        await using (var db = host.OpenDb())
        {
            var run = await db.SimulationRuns.SingleAsync(r => r.ImportRunId == third);
            Assert.Equal(SimulationHiddenReason.PersonsNotMatched, run.HiddenReason);
            Assert.Equal(0, await db.SimulationApplications.CountAsync(a => a.RunId == run.Id));
        }

        Directory.Delete(directory, recursive: true);
    }

    private static WebUser WebUser(long id, string name, decimal ukr, decimal math, decimal hist, decimal eng) => new()
    {
        Id = id,
        Email = $"u{id}@example.com",
        DisplayName = name,
        CreatedAt = DateTime.UtcNow,
        Grades =
        [
            new UserGrade { Subject = "ukr", Score = ukr, Year = TestServices.CampaignYear },
            new UserGrade { Subject = "math", Score = math, Year = TestServices.CampaignYear },
            new UserGrade { Subject = "hist", Score = hist, Year = TestServices.CampaignYear },
            new UserGrade { Subject = "eng", Score = eng, Year = TestServices.CampaignYear },
        ],
    };

    /// <summary>Imports through the bot's own importer, so its observer nudges the simulation job as in production.</summary>
    private static async Task<long> ImportAsync(BotTestHost host, string directory, string name, DateTimeOffset takenAt, params SnapshotOffer[] offers)
    {
        var path = Path.Combine(directory, name);
        await SnapshotWriter.WriteAsync(path, SnapshotHeader.Create(TestServices.CampaignYear, takenAt, "test", full: false), offers);
        await using var scope = host.Services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<CampaignImporter>().ImportAsync(new ImportRequest(path, "test"), CancellationToken.None);
        Assert.Equal(ImportOutcome.Completed, report.Outcome);
        return report.RunId!.Value;
    }

    private static Task SimulatedAsync(BotTestHost host, long importRunId, SimulationRunStatus status = SimulationRunStatus.Shown) =>
        UntilAsync(async () =>
        {
            await using var db = host.OpenDb();
            return await db.SimulationRuns.AnyAsync(r => r.ImportRunId == importRunId && r.Status == status);
        });

    /// <summary>Polls <paramref name="condition"/> until it holds, for at most <see cref="Wait"/>.</summary>
    internal static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met within {Wait.TotalSeconds} s");
            }

            await Task.Delay(20);
        }
    }

    private static async Task<string> ViewAsync(BotTestHost host, long chat, long offer)
    {
        var last = host.Emulator.MessagesIn(chat).Where(m => m.FromBot).Select(m => m.MessageId).DefaultIfEmpty(0).Max();
        host.Emulator.SendText(chat, $"https://vstup.edbo.gov.ua/offer/{offer}/");
        var reply = await host.Emulator.WaitForBotMessageAsync(chat, m => m.MessageId > last && m.Text!.Contains("Пропозиція ", StringComparison.Ordinal), Wait);
        return reply.Text!;
    }

    private static async Task LinkAsync(BotTestHost host, long chat, long webUserId)
    {
        host.Emulator.SendText(chat, "/help");
        await host.Emulator.WaitForBotMessageAsync(chat, timeout: Wait);
        await FoundationTests.WaitForIdleAsync(host);
        await using var db = host.OpenDb();
        await db.TelegramUsers.Where(u => u.Id == chat).ExecuteUpdateAsync(s => s.SetProperty(u => u.WebUserId, webUserId));
    }

    private static async Task<string> EmptySqliteAsync()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("abitly-sim-sqlite-").FullName, "sim.db");
        var cs = Database.SqliteFile(path);
        await Database.MigrateAsync(DatabaseProvider.Sqlite, cs, CancellationToken.None);
        return cs;
    }
}
