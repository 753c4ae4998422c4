using Abitly.Bot.Data;
using Abitly.Bot.Rendering;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.Campaign.Generation;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Tests.Import;

/// <summary>/syncnow and /imports for admins, and the scheduled sync, end to end through the emulator.</summary>
public sealed class ImportAdminTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Syncnow_imports_and_reports_and_imports_lists_the_run_while_others_get_the_unknown_command_hint()
    {
        // A year the test database has no offers of: a full snapshot of it withdraws nothing.
        var file = Path.Combine(Directory.CreateTempSubdirectory("abitly-sync-").FullName, "campaign.jsonl.gz");
        await CampaignGenerator.Generate(CampaignGeneratorOptions.For(CampaignPreset.Ci) with { Offers = 12, Applications = 600, Year = 2024 }).WriteAsync(file);
        await using var host = await BotTestHost.StartAsync(s => s with { ImportSource = file });

        host.Emulator.SendText(BotTestHost.AdminId, "/syncnow");
        var summary = await host.Emulator.WaitForBotMessageAsync(BotTestHost.AdminId, m => m.Text!.StartsWith("✅ Імпорт завершено", StringComparison.Ordinal), Wait);
        Assert.Contains("нових 12, змінених 0, без змін 0", summary.PlainText);

        host.Emulator.SendText(BotTestHost.AdminId, "/imports");
        var list = await host.Emulator.WaitForBotMessageAsync(BotTestHost.AdminId, m => m.Text!.StartsWith("<b>Останні імпорти</b>", StringComparison.Ordinal), Wait);
        Assert.Contains("· admin", list.PlainText);
        Assert.Contains("campaign.jsonl.gz", list.PlainText);

        host.Emulator.SendText(5555, "/syncnow");
        Assert.Equal(Texts.UnknownCommand, (await host.Emulator.WaitForBotMessageAsync(5555, timeout: Wait)).Text);
    }

    [Fact]
    public async Task The_scheduled_sync_imports_the_configured_source_on_its_cron()
    {
        // A year the test database has no offers of: a full snapshot of it withdraws nothing.
        var file = Path.Combine(Directory.CreateTempSubdirectory("abitly-sync-").FullName, "campaign.jsonl.gz");
        await CampaignGenerator.Generate(CampaignGeneratorOptions.For(CampaignPreset.Ci) with { Offers = 5, Applications = 200, Year = 2024 }).WriteAsync(file);
        // Every second: the first firing after start imports the file.
        await using var host = await BotTestHost.StartAsync(s => s with { ImportSource = file, ImportCron = "0/1 * * * * ?" });

        await FoundationTests.WaitUntilAsync(async () =>
        {
            await using var db = host.OpenDb();
            return await db.ImportRuns.AnyAsync(r => r.Trigger == "sync" && r.Status == ImportRunStatus.Completed);
        });

        await using var check = host.OpenDb();
        var first = await check.ImportRuns.Where(r => r.Trigger == "sync").OrderBy(r => r.Id).FirstAsync();
        Assert.Equal(5, first.OffersAdded);
    }
}
