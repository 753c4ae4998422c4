using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.FanOuts;
using Abitly.Bot.Hosting;
using Abitly.Bot.Messaging;
using Abitly.Bot.Services;
using Abitly.Domain.OpenDays;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Telegram.Bot;
using Emulator = Abitly.BotApiEmulator.BotApiEmulator;

namespace Abitly.Bench;

/// <summary>
/// DailyReminderRun.RunAsync over 20,000 users × 5 followed open days (+1..+5 Kyiv days): time and memory from the call
/// until every due reminder is claimed and committed in the outbox (from then on the workers send; the sender benchmark
/// measures how fast).
/// </summary>
internal static class DailyBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var users = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        const int days = 5;
        await using var database = await BenchDatabase.CreateAsync("daily");
        if (database is null)
        {
            return 2;
        }

        var cs = database.ConnectionString;
        var settings = new AbitlySettings
        {
            BotToken = "123456:bench",
            DatabaseConnectionString = cs,
            RedisConfiguration = "",
            CampaignYear = AbitlySettings.CampaignYearOf(DateTimeOffset.UtcNow),
            SendRatePerSecond = 1000,
        };
        var zone = OpenDayZone.Resolve(settings.TimeZoneId);
        var today = OpenDayCalendar.LocalToday(DateTimeOffset.UtcNow, zone);
        var seed = Stopwatch.StartNew();
        await SeedAsync(cs, users, days, today, zone);
        Console.WriteLine($"seeded {users:N0} users × {days} open days (+1..+{days} Kyiv days from {today:yyyy-MM-dd}) = {users * days:N0} monitoring rows in {seed.Elapsed.TotalSeconds:0.0} s");

        var pass = true;
        // Run 1 is cold (EF model and query compilation, JIT); run 2 is warm, after the first run's rows and claims are cleared.
        for (var run = 1; run <= 2; run++)
        {
            await ExecuteAsync(cs, "DELETE FROM outbox; DELETE FROM fan_out_batches; DELETE FROM notification_log;");
            await using var db = new AbitlyDbContext(Database.Configure(new DbContextOptionsBuilder<AbitlyDbContext>(), cs).Options);
            using var signal = new OutboxSignal();
            var service = new DailyReminderRun(
                new OpenDayReminderService(new OpenDayStore(db, TimeProvider.System), new LocalCalendar(settings, TimeProvider.System)),
                new NotificationFanOut(db, new PostgresNotificationClaims(db, TimeProvider.System), new PostgresOutboxStore(db, TimeProvider.System), signal, TimeProvider.System),
                NullLogger<DailyReminderRun>.Instance);

            using var process = Process.GetCurrentProcess();
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            process.Refresh();
            var workingSetBefore = process.WorkingSet64;
            var peakBefore = process.PeakWorkingSet64;

            var watch = Stopwatch.StartNew();
            var result = await service.RunAsync(adminChatId: null, CancellationToken.None);
            var committed = watch.Elapsed;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            process.Refresh();
            var workingSet = process.WorkingSet64;
            var peak = process.PeakWorkingSet64;
            var heapLive = GC.GetTotalMemory(forceFullCollection: true);

            static double Mb(long bytes) => bytes / 1024.0 / 1024.0;
            Console.WriteLine();
            Console.WriteLine($"Run {run}{(run == 1 ? " (cold)" : " (warm)")}: {result.Due:N0} due, {result.Queued.Queued:N0} claimed and queued, {result.Queued.AlreadySent:N0} already sent");
            Console.WriteLine($"  call -> every reminder committed in the outbox (the workers may send from then on): {committed.TotalMilliseconds:0} ms (target <= 2000 ms)");
            Console.WriteLine($"  allocated {Mb(allocated):0.0} MB, live after full GC {Mb(heapLive - heapBefore):0.0} MB");
            Console.WriteLine($"  working set growth {Mb(workingSet - workingSetBefore):0.0} MB ({Mb(workingSetBefore):0} -> {Mb(workingSet):0} MB), peak growth {Mb(peak - peakBefore):0.0} MB (target <= 200 MB)");
            pass &= committed.TotalMilliseconds <= 2000 && Mb(Math.Max(workingSet - workingSetBefore, peak - peakBefore)) <= 200;
        }

        Console.WriteLine(pass ? "PASS" : "FAIL");
        return pass ? 0 : 1;
    }

    private static async Task ExecuteAsync(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Users, open days at +1..+5 Kyiv days, and every user following every open day, by binary COPY.</summary>
    private static async Task SeedAsync(string cs, int users, int days, DateOnly today, TimeZoneInfo zone)
    {
        var now = DateTime.UtcNow;
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using (var command = new NpgsqlCommand("""
            INSERT INTO universities (id, name, short_name, region) VALUES (1, 'Київський національний університет імені Тараса Шевченка', 'КНУ ім. Шевченка', 'м. Київ');
            INSERT INTO specialities (id, code, name) VALUES (1, 'F3', 'Комп''ютерні науки');
            """, connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        for (var d = 1; d <= days; d++)
        {
            var local = today.AddDays(d).ToDateTime(new TimeOnly(11, 0), DateTimeKind.Unspecified);
            await using var command = new NpgsqlCommand("""
                INSERT INTO open_days (id, university_id, speciality_id, title, description, starts_at, location, url, created_at, updated_at)
                OVERRIDING SYSTEM VALUE
                VALUES ($1, 1, $2, $3, 'Екскурсія лабораторіями, зустріч з деканом.', $4, 'Київ, просп. Глушкова, 4д', 'https://knu.ua/', $5, $5)
                """, connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = d });
            command.Parameters.Add(new NpgsqlParameter { Value = d % 2 == 0 ? DBNull.Value : 1, NpgsqlDbType = NpgsqlDbType.Integer });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"День відкритих дверей №{d}" });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = TimeZoneInfo.ConvertTimeToUtc(local, zone) });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now });
            await command.ExecuteNonQueryAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY telegram_users (id, first_name, created_at, updated_at, last_seen_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 1; i <= users; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(1_000_000L + i, NpgsqlDbType.Bigint);
                await copy.WriteAsync("U" + i, NpgsqlDbType.Varchar);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY monitoring (telegram_user_id, open_day_id, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 1; i <= users; i++)
            {
                for (var d = 1; d <= days; d++)
                {
                    await copy.WriteRowAsync(default, 1_000_000L + i, d, now);
                }
            }

            await copy.CompleteAsync();
        }

        await using var analyze = new NpgsqlCommand("ANALYZE", connection);
        await analyze.ExecuteNonQueryAsync();
    }
}
