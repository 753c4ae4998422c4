using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Abitly.Bot.Import;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.Campaign;
using Abitly.Domain.Ranking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Abitly.Bot.Tests.Import;

/// <summary>Snapshots written by hand for the importer's tests, and the importer wired as the bot wires it, on a fresh database.</summary>
internal sealed class ImportTestKit : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private ImportTestKit(string connectionString, ServiceProvider services, string directory)
    {
        ConnectionString = connectionString;
        _services = services;
        Directory = directory;
    }

    public string ConnectionString { get; }

    public string Directory { get; }

    public static async Task<ImportTestKit> StartAsync(DatabaseProvider provider = DatabaseProvider.Postgres)
    {
        var cs = provider == DatabaseProvider.Sqlite ? await EmptySqliteAsync() : await TestServices.CreateDatabaseAsync(seeded: false);
        var settings = BotTestHost.DefaultSettings("http://127.0.0.1:1", cs) with { DatabaseProvider = provider, RedisConfiguration = "" };
        return new ImportTestKit(cs, Build(settings), System.IO.Directory.CreateTempSubdirectory("abitly-import-").FullName);
    }

    /// <summary>Another kit on the same database and folder with changed settings (e.g. an import bearer secret).</summary>
    public Task<ImportTestKit> WithSettingsAsync(Func<AbitlySettings, AbitlySettings> change)
    {
        var settings = change(_services.GetRequiredService<AbitlySettings>());
        var copy = System.IO.Directory.CreateTempSubdirectory("abitly-import-").FullName;
        return Task.FromResult(new ImportTestKit(ConnectionString, Build(settings), copy));
    }

    private static ServiceProvider Build(AbitlySettings settings)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddAbitlyDatabase(settings.DatabaseProvider, settings.DatabaseConnectionString);
        services.AddCampaignImport(settings);
        services.AddSimulation();
        return services.BuildServiceProvider();
    }

    public async Task<ImportReport> ImportAsync(string source, bool skipInvalid = false, bool allowVanish = false, bool force = false)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CampaignImporter>().ImportAsync(new ImportRequest(source, "test", skipInvalid, allowVanish, force), CancellationToken.None);
    }

    /// <summary>Runs the simulations that are due, as the bot's job does (this kit is one instance: its own identity).</summary>
    public async Task<IReadOnlyList<global::Abitly.Bot.Simulation.SimulationReport>> SimulateAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<global::Abitly.Bot.Simulation.SimulationRunner>().RunPendingAsync(CancellationToken.None);
    }

    public AbitlyDbContext OpenDb() => Database.Open(_services.GetRequiredService<AbitlySettings>().DatabaseProvider, ConnectionString);

    public static SnapshotHeader Header(DateTimeOffset? takenAt = null, bool full = true, int year = TestServices.CampaignYear) =>
        SnapshotHeader.Create(year, takenAt ?? new DateTimeOffset(year, 7, 20, 12, 40, 0, TimeSpan.FromHours(3)), "test", full);

    /// <summary>A valid offer: budget places, quota, weights of the DESIGN worked example, and <paramref name="scores"/> as its list.</summary>
    public static SnapshotOffer Offer(long id, params decimal[] scores) => new(
        id,
        new SnapshotUniversity("Львівський національний університет імені Івана Франка", "Львівська область", 3001, "ЛНУ ім. Франка"),
        new SnapshotSpeciality("C5", "Соціологія"),
        "Соціологія",
        "Денна",
        "Бакалавр",
        BudgetPlaces: 3,
        Quota1Places: 1,
        Quota2Places: 0,
        RegionalCoefficient: 1.00m,
        SectoralCoefficient: false,
        Weights: [new(1, "ukr", 0.45m), new(2, "math", 0.40m), new(3, "hist", 0.40m), new(4, "eng", 0.50m)],
        Applications: [.. scores.Select((s, i) => new SnapshotApplication(i + 1, "Шевченко Андрій Петрович", s, 1 + (i % 5), "Допущено", QuotaKind.None, $"p{id}x{i}"))]);

    /// <summary>Writes a snapshot file (gzip when the name ends in .gz) through the format's own writer.</summary>
    public async Task<string> WriteAsync(string name, SnapshotHeader header, params SnapshotOffer[] offers)
    {
        var path = Path.Combine(Directory, name);
        await SnapshotWriter.WriteAsync(path, header, offers);
        return path;
    }

    /// <summary>Writes raw lines, for inputs the format's writer would never produce.</summary>
    public async Task<string> WriteLinesAsync(string name, params string[] lines)
    {
        var path = Path.Combine(Directory, name);
        await File.WriteAllTextAsync(path, string.Join('\n', lines) + "\n", new UTF8Encoding(false));
        return path;
    }

    /// <summary>The JSON line of a header or an offer, to edit by hand.</summary>
    public static JsonObject Line(SnapshotHeader header) => JsonNode.Parse(JsonSerializer.Serialize(header, CampaignJsonContext.Readable.SnapshotHeader))!.AsObject();

    public static JsonObject Line(SnapshotOffer offer) => JsonNode.Parse(JsonSerializer.Serialize(offer, CampaignJsonContext.Readable.SnapshotOffer))!.AsObject();

    /// <summary>A gzip file cut short: its first half.</summary>
    public async Task<string> TruncatedGzipAsync(string name, SnapshotHeader header, params SnapshotOffer[] offers)
    {
        var whole = await WriteAsync(name + ".whole.jsonl.gz", header, offers);
        var bytes = await File.ReadAllBytesAsync(whole);
        var path = Path.Combine(Directory, name);
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static async Task<string> EmptySqliteAsync()
    {
        var path = Path.Combine(System.IO.Directory.CreateTempSubdirectory("abitly-import-sqlite-").FullName, "import.db");
        var cs = Database.SqliteFile(path);
        await Database.MigrateAsync(DatabaseProvider.Sqlite, cs, CancellationToken.None);
        return cs;
    }
}
