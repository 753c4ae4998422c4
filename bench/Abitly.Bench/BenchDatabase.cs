using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Npgsql;

namespace Abitly.Bench;

/// <summary>A fresh, migrated PostgreSQL database on the DATABASE_URL server, dropped on dispose.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _admin;
    private readonly string _name;

    private BenchDatabase(string admin, string name, string connectionString)
    {
        _admin = admin;
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <summary>Null (and a message on stderr) when DATABASE_URL is missing or malformed.</summary>
    public static async Task<BenchDatabase?> CreateAsync(string purpose)
    {
        var raw = Environment.GetEnvironmentVariable("DATABASE_URL");
        if (raw is null || !ConnectionStrings.TryPostgres(raw, out var admin, out _))
        {
            Console.Error.WriteLine("DATABASE_URL: set it to a PostgreSQL server the benchmark may create a database on");
            return null;
        }

        var name = $"abitly_bench_{purpose}_{Environment.ProcessId}_{DateTime.UtcNow:HHmmssfff}";
        await ExecuteAsync(admin!, $"CREATE DATABASE {name}");
        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 100 }.ConnectionString;
        var db = new BenchDatabase(admin!, name, cs);
        try
        {
            await Database.MigrateAsync(cs, CancellationToken.None);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }

        return db;
    }

    /// <summary>REDIS_URL as a StackExchange.Redis configuration; null (and a message) when missing.</summary>
    public static string? RedisConfiguration()
    {
        var raw = Environment.GetEnvironmentVariable("REDIS_URL");
        if (raw is null || !ConnectionStrings.TryRedis(raw, out var cfg, out _))
        {
            Console.Error.WriteLine("REDIS_URL: set it to a Redis server");
            return null;
        }

        return cfg;
    }

    public Task ExecuteAsync(string sql) => ExecuteAsync(ConnectionString, sql);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Percentiles over a sample of milliseconds.</summary>
internal static class Stats
{
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
