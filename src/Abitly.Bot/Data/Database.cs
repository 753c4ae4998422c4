using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Abitly.Bot.Data;

/// <summary>Which engine holds the bot's tables: PostgreSQL in production, a SQLite file in the sandbox.</summary>
public enum DatabaseProvider
{
    Postgres,
    Sqlite,
}

/// <summary>How the bot opens, checks and migrates its database, on either provider.</summary>
public static class Database
{
    // The compiled models (Data/CompiledModels, `dotnet ef dbcontext optimize`) spare each process building the model from
    // the configurations on its first query; CompiledModelTests fails when they no longer match the configurations.
    // Design-time tools (migrations, optimize) ignore them and build the model from the configurations.
    public static DbContextOptionsBuilder<AbitlyDbContext> Configure(DbContextOptionsBuilder<AbitlyDbContext> builder, string connectionString) =>
        builder.UseNpgsql(Tuned(connectionString), o => o.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            .UseModel(CompiledModels.Postgres.AbitlyDbContextModel.Instance);

    /// <summary>
    /// The pool settings of the bot's PostgreSQL connections, unless the connection string sets them: no DISCARD ALL when
    /// a connection goes back to the pool (nothing the bot does leaves session state behind, and DISCARD ALL would also
    /// drop the prepared statements), the hot statements prepared automatically, and PostgreSQL's JIT off (compiling a
    /// plan costs more than every query the bot runs; the open-day match took 0.6 s of 1 s in JIT).
    /// </summary>
    public static string Tuned(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = connectionString.ToUpperInvariant();
        if (!given.Contains("RESET ON CLOSE", StringComparison.Ordinal) && !given.Contains("NORESETONCLOSE", StringComparison.Ordinal))
        {
            builder.NoResetOnClose = true;
        }

        if (!given.Contains("AUTO PREPARE", StringComparison.Ordinal) && !given.Contains("AUTOPREPARE", StringComparison.Ordinal))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        if (builder.Options is not { } options || !options.Contains("jit", StringComparison.OrdinalIgnoreCase))
        {
            builder.Options = string.IsNullOrEmpty(builder.Options) ? "-c jit=off" : builder.Options + " -c jit=off";
        }

        return builder.ConnectionString;
    }

    public static DbContextOptionsBuilder<SqliteAbitlyDbContext> ConfigureSqlite(DbContextOptionsBuilder<SqliteAbitlyDbContext> builder, string connectionString) =>
        builder.UseSqlite(connectionString, o => o.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            .UseModel(CompiledModels.Sqlite.SqliteAbitlyDbContextModel.Instance);

    /// <summary>
    /// Registers the pooled context of the configured provider (services always ask for <see cref="AbitlyDbContext"/>), the
    /// provider's own implementations of what differs between the engines, and the stores and queries over them.
    /// </summary>
    public static IServiceCollection AddAbitlyDatabase(this IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            services.AddDbContextPool<AbitlyDbContext, SqliteAbitlyDbContext>(o => ConfigureSqlite((DbContextOptionsBuilder<SqliteAbitlyDbContext>)o, connectionString));
            services.AddScoped<INotificationClaims, SqliteNotificationClaims>();
            services.AddScoped<IOutboxStore, SqliteOutboxStore>();
            services.AddScoped<IFanOutWrites, FanOutWrites>();
            services.AddScoped<ITrackedOfferWrites, SqliteTrackedOfferWrites>();
            services.AddScoped<Simulation.ISimulationStore, Simulation.SqliteSimulationStore>();
        }
        else
        {
            services.AddDbContextPool<AbitlyDbContext>(o => Configure((DbContextOptionsBuilder<AbitlyDbContext>)o, connectionString));
            services.AddScoped<INotificationClaims, PostgresNotificationClaims>();
            services.AddScoped<IOutboxStore, PostgresOutboxStore>();
            services.AddScoped<IFanOutWrites, PostgresFanOutWrites>();
            services.AddScoped<ITrackedOfferWrites, PostgresTrackedOfferWrites>();
            services.AddScoped<Simulation.ISimulationStore, Simulation.PostgresSimulationStore>();
        }

        services.AddScoped<IOpenDayMatchQuery, OpenDayMatchQuery>();
        services.AddScoped<TelegramUserStore>();
        services.AddScoped<WebUserQueries>();
        services.AddScoped<OfferQueries>();
        services.AddScoped<Simulation.SimulationQueries>();
        services.AddScoped<OpenDayStore>();
        services.AddScoped<FilterStore>();
        services.AddScoped<UpdateLog>();
        services.AddScoped<TrackedOfferStore>();
        services.AddScoped<FanOutBatchStore>();
        return services;
    }

    /// <summary>A context outside dependency injection (commands, tests, benchmarks); the caller disposes it.</summary>
    public static AbitlyDbContext Open(DatabaseProvider provider, string connectionString) =>
        provider == DatabaseProvider.Sqlite
            ? new SqliteAbitlyDbContext(ConfigureSqlite(new DbContextOptionsBuilder<SqliteAbitlyDbContext>(), connectionString).Options)
            : new AbitlyDbContext(Configure(new DbContextOptionsBuilder<AbitlyDbContext>(), connectionString).Options);

    /// <summary>
    /// A raw command on the context's own connection, enlisted in its current transaction (SQLite refuses a command
    /// outside the open transaction; PostgreSQL would silently run it in the same one anyway). The caller disposes it.
    /// </summary>
    public static async Task<DbCommand> CreateCommandAsync(this AbitlyDbContext db, string sql, CancellationToken ct)
    {
        var connection = await db.OpenConnectionAsync(ct);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    /// <summary>The context's own connection, opened if it was not (EF closes it again when the context is done with it).</summary>
    public static async Task<DbConnection> OpenConnectionAsync(this AbitlyDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(ct);
        }

        return connection;
    }

    /// <summary>The same for one command of a batch.</summary>
    public static DbParameter AddParameter(this DbBatchCommand command, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Adds a provider-neutral parameter (<c>@name</c>); null becomes DBNull.</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>SQLite connection string for a database file (created on first use).</summary>
    public static string SqliteFile(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ConnectionString;

    /// <summary>The startup probe: connect and run SELECT 1 within a bounded time.</summary>
    public static async Task CheckAsync(DatabaseProvider provider, string connectionString, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        if (provider == DatabaseProvider.Sqlite)
        {
            // Reading the schema is what fails on a file that is not a database; SELECT 1 alone would not.
            await using var sqlite = new SqliteConnection(connectionString);
            await sqlite.OpenAsync(cts.Token);
            await using var probe = new SqliteCommand("SELECT count(*) FROM sqlite_master", sqlite);
            _ = await probe.ExecuteScalarAsync(cts.Token);
            return;
        }

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

    /// <summary>Creates the database when absent and applies every migration (PostgreSQL).</summary>
    public static Task MigrateAsync(string connectionString, CancellationToken ct) =>
        MigrateAsync(DatabaseProvider.Postgres, connectionString, ct);

    /// <summary>Creates the database when absent and applies every migration of the provider.</summary>
    public static async Task MigrateAsync(DatabaseProvider provider, string connectionString, CancellationToken ct)
    {
        await using var db = Open(provider, connectionString);
        await db.Database.MigrateAsync(ct);
    }
}
