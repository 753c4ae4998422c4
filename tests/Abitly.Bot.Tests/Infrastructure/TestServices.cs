using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Abitly.Bot.Simulation;
using Abitly.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Abitly.Bot.Tests.Infrastructure;

/// <summary>
/// The real PostgreSQL and Redis that scripts/test starts (DATABASE_URL, REDIS_URL). Every test
/// gets its own database cloned from a template that is migrated and seeded once per run. Both templates (PostgreSQL and
/// the sandbox's SQLite) are seeded the same way: <see cref="DemoData.SeedAsync(DatabaseProvider, string, int, DateTime, CancellationToken)"/>
/// imports the generated demo campaign through the importer, then adds the demo web users and open days; the campaigns
/// are then simulated once, as the sandbox does at start.
/// </summary>
public static class TestServices
{
    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);
    private static int _counter;

    /// <summary>A fixed campaign year so the tests do not depend on today's date.</summary>
    public const int CampaignYear = 2026;

    public static string AdminConnectionString
    {
        get
        {
            var raw = Environment.GetEnvironmentVariable("DATABASE_URL")
                ?? throw new InvalidOperationException("DATABASE_URL is not set: run the tests with scripts/test, which starts PostgreSQL and Redis.");
            return ConnectionStrings.TryPostgres(raw, out var cs, out var why) ? cs! : throw new InvalidOperationException(why);
        }
    }

    public static string RedisConfiguration
    {
        get
        {
            var raw = Environment.GetEnvironmentVariable("REDIS_URL")
                ?? throw new InvalidOperationException("REDIS_URL is not set: run the tests with scripts/test, which starts PostgreSQL and Redis.");
            return ConnectionStrings.TryRedis(raw, out var cfg, out var why) ? cfg! : throw new InvalidOperationException(why);
        }
    }

    /// <summary>Creates a fresh database with the schema and the demo data (or only the schema); returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(bool seeded = true)
    {
        var template = seeded ? await Template.Value : null;
        var name = $"abitly_t{Environment.ProcessId}_{Interlocked.Increment(ref _counter)}";
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync();
            var sql = template is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {template}";
            await using var command = new NpgsqlCommand(sql, admin);
            await command.ExecuteNonQueryAsync();
        }

        var cs = WithDatabase(name);
        if (!seeded)
        {
            await Database.MigrateAsync(cs, CancellationToken.None);
        }

        return cs;
    }

    /// <summary>A fresh SQLite file copied from a template migrated and seeded once per run (the sandbox's database).</summary>
    public static async Task<string> CreateSqliteDatabaseAsync()
    {
        var template = await SqliteTemplate.Value;
        var path = Path.Combine(Path.GetDirectoryName(template)!, $"t{Interlocked.Increment(ref _counter)}.db");
        File.Copy(template, path);
        return Database.SqliteFile(path);
    }

    private static readonly Lazy<Task<string>> SqliteTemplate = new(async () =>
    {
        var directory = Directory.CreateTempSubdirectory($"abitly-sqlite-{Environment.ProcessId}-").FullName;
        var path = Path.Combine(directory, "template.db");
        var cs = Database.SqliteFile(path);
        await Database.MigrateAsync(DatabaseProvider.Sqlite, cs, CancellationToken.None);
        await DemoData.SeedAsync(DatabaseProvider.Sqlite, cs, CampaignYear, DateTime.UtcNow, CancellationToken.None);
        await SimulateAsync(DatabaseProvider.Sqlite, cs);
        // Copies must see a complete file: no pooled connection may still hold it.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return path;
    });

    /// <summary>
    /// Simulates the seeded demo campaigns once, as the sandbox does when it starts, so a bot started on a copy finds no
    /// simulation due (instead of every test's host simulating the same lists again).
    /// </summary>
    private static async Task SimulateAsync(DatabaseProvider provider, string cs)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAbitlyDatabase(provider, cs);
        services.AddSimulation();
        await using var container = services.BuildServiceProvider();
        await using var scope = container.CreateAsyncScope();
        var reports = await scope.ServiceProvider.GetRequiredService<SimulationRunner>().RunPendingAsync(CancellationToken.None);
        if (reports.Any(r => r.Outcome is not (SimulationOutcome.Shown or SimulationOutcome.NotShown)))
        {
            throw new InvalidOperationException("The demo campaigns' simulation did not finish: " + string.Join("; ", reports.Select(r => $"{r.Outcome} {r.Error}")));
        }
    }

    public static AbitlyDbContext OpenDb(string connectionString) =>
        new(Database.Configure(new DbContextOptionsBuilder<AbitlyDbContext>(), connectionString).Options);

    private static string WithDatabase(string name) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true, MaxPoolSize = 50 }.ConnectionString;

    private static async Task<string> CreateTemplateAsync()
    {
        var name = $"abitly_tpl{Environment.ProcessId}";
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name}", admin);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var cs = WithDatabase(name);
        await Database.MigrateAsync(cs, CancellationToken.None);
        await DemoData.SeedAsync(DatabaseProvider.Postgres, cs, CampaignYear, DateTime.UtcNow, CancellationToken.None);
        await SimulateAsync(DatabaseProvider.Postgres, cs);
        // A template must have no open connections when it is copied.
        NpgsqlConnection.ClearAllPools();
        return name;
    }
}
