using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.FanOuts;
using Abitly.Bot.Hosting;
using Abitly.Bot.Import;
using Abitly.Bot.Messaging;
using Abitly.Bot.Services;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.Campaign;
using Abitly.Domain.Ranking;
using Abitly.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Abitly.Bot.Tests.Tracked;

/// <summary>Hand-made offers for the tracked-offer tests, imported through the real importer of a bot host, and outbox reading.</summary>
internal static class TrackedTestKit
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    /// <summary>The demo web user's score on <see cref="Offer"/>'s weights: (0.45·186 + 0.40·167 + 0.40·168 + 0.50·152) / 1.75 (DESIGN §7.2).</summary>
    public const decimal DemoScore = 167.829m;

    // After the template's demo import (taken when the test run started), so no snapshot is refused as older.
    private static long _takenAtTicks = DateTimeOffset.UtcNow.AddHours(1).Ticks;

    /// <summary>
    /// An offer of the campaign year at the demo's LNU, sociology (C5), with the worked example's weights (ukr 0.45, math 0.40, hist 0.40, eng 0.50), no quota
    /// places, and a list of budget applications at priority 1 with the given scores, all active.
    /// </summary>
    public static SnapshotOffer Offer(long id, int? budget, params decimal[] scores) => new(
        id,
        DemoCampaign.Lnu,
        DemoCampaign.Sociology,
        "Соціологія та соціальні комунікації " + id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "Денна",
        "Бакалавр",
        BudgetPlaces: budget,
        Quota1Places: 0,
        Quota2Places: 0,
        RegionalCoefficient: 1.00m,
        SectoralCoefficient: false,
        Weights: [new(1, "ukr", 0.45m), new(2, "math", 0.40m), new(3, "hist", 0.40m), new(4, "eng", 0.50m)],
        Applications: [.. scores.Select((s, i) => Application(i + 1, s))]);

    public static SnapshotApplication Application(int position, decimal score, string status = "Допущено") =>
        new(position, "Шевченко Андрій Петрович", score, 1, status, QuotaKind.None);

    /// <summary>Imports the offers as a partial snapshot through the host's importer (its observers — the alert pass — run too).</summary>
    public static async Task<ImportReport> ImportAsync(BotTestHost host, params SnapshotOffer[] offers) =>
        await ImportAsync(host.Services, offers);

    public static Task<ImportReport> ImportAsync(IServiceProvider services, params SnapshotOffer[] offers) =>
        ImportAsync(services, full: false, offers);

    /// <summary>
    /// A full snapshot withdraws the year's offers it does not list; here that is most of the template's demo offers, so the
    /// vanish guard is told to let it.
    /// </summary>
    public static async Task<ImportReport> ImportAsync(IServiceProvider services, bool full, params SnapshotOffer[] offers)
    {
        var directory = Directory.CreateTempSubdirectory("abitly-tracked-");
        try
        {
            // Each snapshot a minute after the one before, so none is refused as older.
            var takenAt = new DateTimeOffset(Interlocked.Add(ref _takenAtTicks, TimeSpan.TicksPerMinute), TimeSpan.Zero);
            var path = Path.Combine(directory.FullName, "snapshot.jsonl");
            await SnapshotWriter.WriteAsync(path, SnapshotHeader.Create(TestServices.CampaignYear, takenAt, "tracked-test", full), offers);
            await using var scope = services.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<CampaignImporter>().ImportAsync(new ImportRequest(path, "test", AllowVanish: full), CancellationToken.None);
            Assert.True(report.Outcome == ImportOutcome.Completed, report.Message);
            return report;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The importer as the import command wires it: no bot in the process, so no alert observer.</summary>
    public static ServiceProvider CommandImporter(AbitlySettings settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAbitlyDatabase(settings.DatabaseProvider, settings.DatabaseConnectionString);
        services.AddCampaignImport(settings);
        return services.BuildServiceProvider();
    }

    /// <summary>Follows as a press of ⭐ would (the told standing starts as the standing now).</summary>
    public static async Task FollowAsync(IServiceProvider services, long user, params long[] offers)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbitlyDbContext>();
        var row = await db.TelegramUsers.AsNoTracking().SingleAsync(u => u.Id == user);
        foreach (var offer in offers)
        {
            Assert.Equal(TrackOutcome.Followed, await scope.ServiceProvider.GetRequiredService<TrackingService>().FollowAsync(row, offer, CancellationToken.None));
        }
    }

    /// <summary>One alert pass, as the job or the importer's nudge runs it.</summary>
    public static async Task<TrackedAlertRunResult> RunPassAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TrackedAlertRun>().RunAsync(CancellationToken.None);
    }

    /// <summary>Telegram users as if they had written to the bot, optionally linked to a web user.</summary>
    public static async Task AddUserAsync(AbitlyDbContext db, long id, long? webUserId = null, DateTime? blockedAt = null)
    {
        var now = DateTime.UtcNow;
        db.TelegramUsers.Add(new TelegramUser { Id = id, FirstName = "U" + id, WebUserId = webUserId, BlockedAt = blockedAt, CreatedAt = now, UpdatedAt = now, LastSeenAt = now });
        await db.SaveChangesAsync();
    }

    /// <summary>The tracked-offer alerts queued for <paramref name="chatId"/>, oldest first, as the outbox will send them.</summary>
    public static async Task<List<OutboxPayload>> AlertsAsync(AbitlyDbContext db, long chatId) =>
        [.. (await db.Outbox.AsNoTracking().Where(m => m.ChatId == chatId && m.Kind == "tracked_alert").OrderBy(m => m.Id).Select(m => m.Payload).ToListAsync())
            .Select(OutboxPayload.FromJson)];

    /// <summary>The callback data of a stored payload's buttons, row by row.</summary>
    public static string[][] Buttons(OutboxPayload payload) =>
        [.. payload.KeyboardMarkup!.InlineKeyboard.Select(r => r.Select(b => b.CallbackData ?? b.Url ?? "").ToArray())];

    /// <summary>Text as a user reads it: the HTML's tags dropped and its entities decoded.</summary>
    public static string Plain(string html) =>
        System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", ""));
}
