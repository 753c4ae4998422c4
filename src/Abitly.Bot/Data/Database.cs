using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Abitly.Bot.Data;

/// <summary>How the bot opens, checks and migrates its PostgreSQL database.</summary>
public static class Database
{
    public static DbContextOptionsBuilder<AbitlyDbContext> Configure(DbContextOptionsBuilder<AbitlyDbContext> builder, string connectionString) =>
        builder.UseNpgsql(connectionString, o => o.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();

    /// <summary>The startup probe: connect and run SELECT 1 within a bounded time.</summary>
    public static async Task CheckAsync(string connectionString, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Timeout = Math.Max(1, (int)timeout.TotalSeconds),
            Pooling = false,
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cts.Token);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        _ = await command.ExecuteScalarAsync(cts.Token);
    }

    /// <summary>Creates the database when absent and applies every migration.</summary>
    public static async Task MigrateAsync(string connectionString, CancellationToken ct)
    {
        var options = Configure(new DbContextOptionsBuilder<AbitlyDbContext>(), connectionString).Options;
        await using var db = new AbitlyDbContext(options);
        await db.Database.MigrateAsync(ct);
    }
}
