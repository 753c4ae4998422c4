using System.Diagnostics;
using System.Globalization;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Services;
using Abitly.Domain.OpenDays;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Abitly.Bench;

/// <summary>
/// The open-day update candidate query: 50,000 users with filters against 200 open days updated today, on real
/// PostgreSQL (DATABASE_URL). Creates and drops its own database; target ≤ 1 s.
/// </summary>
public static class FilterMatchingBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var users = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
        var openDays = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var raw = Environment.GetEnvironmentVariable("DATABASE_URL");
        if (raw is null || !ConnectionStrings.TryPostgres(raw, out var admin, out var why))
        {
            Console.Error.WriteLine("DATABASE_URL: set it to a PostgreSQL server the benchmark may create a database on");
            return 2;
        }

        var name = $"abitly_bench_filters_{Environment.ProcessId}";
        await ExecuteAsync(admin!, $"DROP DATABASE IF EXISTS {name}");
        await ExecuteAsync(admin!, $"CREATE DATABASE {name}");
        var cs = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        try
        {
            await Database.MigrateAsync(cs, CancellationToken.None);
            var settings = new AbitlySettings { BotToken = "", DatabaseConnectionString = cs, RedisConfiguration = "" };
            var zone = OpenDayZone.Resolve(settings.TimeZoneId);
            var today = OpenDayCalendar.LocalToday(DateTimeOffset.UtcNow, zone);

            var load = Stopwatch.StartNew();
            var filterRows = await SeedAsync(cs, users, openDays);
            Console.WriteLine($"seeded {users:N0} users, {filterRows:N0} filter rows, {openDays} open days updated today in {load.Elapsed.TotalSeconds:0.0} s");

            if (Environment.GetEnvironmentVariable("BENCH_EXPLAIN") is not null)
            {
                await ExplainAsync(cs, today, zone);
            }

            var timings = new List<double>();
            var matches = 0;
            for (var run = 0; run < 6; run++)
            {
                await using var db = new AbitlyDbContext(Database.Configure(new DbContextOptionsBuilder<AbitlyDbContext>(), cs).Options);
                var (from, to) = OpenDayCalendar.LocalDayRangeUtc(today, 1, zone);
                var watch = Stopwatch.StartNew();
                matches = (await new OpenDayMatchQuery(db).FindAsync(from.UtcDateTime, to.UtcDateTime, CancellationToken.None)).Count;
                timings.Add(watch.Elapsed.TotalMilliseconds);
            }

            // The first run pays for a cold cache and connection; report it apart.
            var warm = timings.Skip(1).Order().ToList();
            Console.WriteLine($"candidate query: {matches:N0} (user, open day) matches; cold {timings[0]:0} ms, warm median {warm[warm.Count / 2]:0} ms, max {warm[^1]:0} ms (target ≤ 1000 ms)");
            return warm[^1] <= 1000 ? 0 : 1;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin!, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }

    /// <summary>Binary COPY of the reference tables, users, filters and open days; returns the number of filter rows.</summary>
    private static async Task<int> SeedAsync(string cs, int users, int openDays)
    {
        const int universities = 300;
        const int specialities = 150;
        var random = new Random(42);
        var now = DateTime.UtcNow;
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();

        await using (var copy = await connection.BeginBinaryImportAsync("COPY universities (id, name, short_name, region) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 1; i <= universities; i++)
            {
                await copy.WriteRowAsync(default, i, $"Університет {i}", $"У{i}", "м. Київ");
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY specialities (id, code, name) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 1; i <= specialities; i++)
            {
                await copy.WriteRowAsync(default, i, $"S{i}", $"Спеціальність {i}");
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY telegram_users (id, first_name, blocked_at, created_at, updated_at, last_seen_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 1; i <= users; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(1_000_000L + i, NpgsqlDbType.Bigint);
                await copy.WriteAsync("U" + i, NpgsqlDbType.Varchar);
                if (i % 20 == 0)
                {
                    await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                }
                else
                {
                    await copy.WriteNullAsync();
                }

                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }

            await copy.CompleteAsync();
        }

        // Every user has filters: 0–3 universities and 0–3 specialities, at least one of the two.
        var rows = 0;
        var pairs = new List<(long User, int Uni, int Spec)>();
        for (var i = 1; i <= users; i++)
        {
            var unis = Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.Next(1, universities + 1)).Distinct().ToList();
            var specs = Enumerable.Range(0, random.Next(unis.Count == 0 ? 1 : 0, 4)).Select(_ => random.Next(1, specialities + 1)).Distinct().ToList();
            pairs.AddRange(unis.Select(u => (1_000_000L + i, u, 0)));
            pairs.AddRange(specs.Select(s => (1_000_000L + i, 0, s)));
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY filter_universities (telegram_user_id, university_id) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (user, uni, _) in pairs.Where(p => p.Uni > 0))
            {
                await copy.WriteRowAsync(default, user, uni);
                rows++;
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY filter_specialities (telegram_user_id, speciality_id) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (user, _, spec) in pairs.Where(p => p.Spec > 0))
            {
                await copy.WriteRowAsync(default, user, spec);
                rows++;
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY open_days (university_id, speciality_id, title, starts_at, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < openDays; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(random.Next(1, universities + 1), NpgsqlDbType.Integer);
                if (i % 4 == 0)
                {
                    await copy.WriteNullAsync();
                }
                else
                {
                    await copy.WriteAsync(random.Next(1, specialities + 1), NpgsqlDbType.Integer);
                }

                await copy.WriteAsync("День " + i, NpgsqlDbType.Varchar);
                await copy.WriteAsync(now.AddDays(10), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }

            await copy.CompleteAsync();
        }

        await using (var analyze = new NpgsqlCommand("ANALYZE", connection))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        return rows;
    }

    private static async Task ExplainAsync(string cs, DateOnly today, TimeZoneInfo zone)
    {
        var (from, to) = OpenDayCalendar.LocalDayRangeUtc(today, 1, zone);
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + OpenDayMatchQuery.Sql, connection);
        command.Parameters.Add(new NpgsqlParameter<DateTime>("from", from.UtcDateTime));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("to", to.UtcDateTime));
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            Console.WriteLine(reader.GetString(0));
        }
    }

    private static async Task ExecuteAsync(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
