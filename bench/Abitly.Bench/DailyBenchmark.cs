using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.FanOuts;
using Abitly.Bot.Messaging;
using Abitly.Bot.Services;
using Abitly.Domain.OpenDays;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Abitly.Bench;

/// <summary>
/// DailyReminderRun.RunAsync over 20,000 users × 5 followed open days (+1..+5 Kyiv days): time and memory from the call
/// until every due reminder is claimed and committed in the outbox (from then on the workers send; the sender benchmark
/// measures how fast). Cold is the first run in a fresh child process, as the 07:00 job pays it (EF model, query
/// compilation, JIT, the first connection); warm is the same process running it again. Each child also runs it once more
/// without clearing: exactly-once means that run queues nothing.
/// </summary>
internal static class DailyBenchmark
{
    private const string ConnectionVariable = "ABITLY_DAILY_BENCH_DB";
    private const int Days = 5;
    private const int WarmRuns = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = false;
        int? runOption = null;
        var users = 20_000;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--runs" when i + 1 < args.Length:
                    runOption = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    users = int.Parse(args[i], CultureInfo.InvariantCulture);
                    break;
            }
        }

        var runs = runOption ?? (quick ? 3 : 5);
        // The split of the cold figure into EF model building and the rest costs a second child per run: full runs only.
        var modelSplit = !quick;
        await using var database = await BenchDatabase.CreateAsync("daily");
        if (database is null)
        {
            return 2;
        }

        var cs = database.ConnectionString;
        var zone = OpenDayZone.Resolve(new AbitlySettings { BotToken = "1:a", DatabaseConnectionString = cs, RedisConfiguration = "", CampaignYear = 2026 }.TimeZoneId);
        var today = OpenDayCalendar.LocalToday(DateTimeOffset.UtcNow, zone);
        var seed = Stopwatch.StartNew();
        await SeedAsync(cs, users, Days, today, zone);
        Console.WriteLine($"seeded {users:N0} users × {Days} open days (+1..+{Days} Kyiv days from {today:yyyy-MM-dd}) = {users * Days:N0} monitoring rows in {seed.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine($"{runs} runs, each a fresh process: the cold run, then {WarmRuns} warm runs (load {Load()})");

        var results = new List<ChildResult>();
        var modelBuilt = new List<ChildResult>();
        var pass = true;
        for (var run = 1; run <= runs; run++)
        {
            var result = await ChildAsync(cs, "cold");
            if (result is null)
            {
                return 1;
            }

            results.Add(result);
            Console.WriteLine($"run {run}: cold {result.ColdMs:0} ms (CPU: ours {result.ColdCpuMs:0} ms, JIT {result.ColdJitMs:0} ms for {result.ColdJitMethods:N0} methods; " +
                $"PostgreSQL's {result.ColdServerCpuMs:0} ms), warm {Median(result.WarmMs):0} ms (PostgreSQL's CPU {result.WarmServerCpuMs:0} ms); " +
                $"peak growth {result.PeakGrowthMb:0.0} MB, allocated {result.AllocatedMb:0.0} MB; {result.Due:N0} due, {result.Queued:N0} queued; " +
                $"again without clearing: {result.RepeatQueued:N0} queued, {result.RepeatAlreadySent:N0} already sent");
            Console.WriteLine($"       cold statements: {result.ColdStatements}");
            Console.WriteLine($"       warm statements: {result.WarmStatements}");
            pass &= result.Queued == result.Due && result.OutboxRows == result.Queued && result.RepeatQueued == 0 && result.RepeatAlreadySent == result.Due;
            if (modelSplit)
            {
                var built = await ChildAsync(cs, "model-built");
                if (built is null)
                {
                    return 1;
                }

                modelBuilt.Add(built);
                Console.WriteLine($"       with the EF model built before the clock starts: cold {built.ColdMs:0} ms (model building took {built.ModelMs:0} ms)");
            }
        }

        static string Spread(IEnumerable<double> values) => $"{values.Min():0}–{values.Max():0}";
        var cold = results.Select(r => r.ColdMs).ToList();
        var warm = results.Select(r => Median(r.WarmMs)).ToList();
        var peak = results.Select(r => r.PeakGrowthMb).ToList();
        Console.WriteLine();
        Console.WriteLine($"cold: median {Median(cold):0} ms (spread {Spread(cold)}) (target <= 2000 ms); medians of CPU: ours {Median(results.Select(r => r.ColdCpuMs)):0} ms " +
            $"(JIT {Median(results.Select(r => r.ColdJitMs)):0} ms), PostgreSQL's {Median(results.Select(r => r.ColdServerCpuMs)):0} ms — on a busy machine the CPU times say more than the clock");
        Console.WriteLine($"warm: median {Median(warm):0} ms (spread {Spread(warm)})");
        Console.WriteLine($"peak working set growth of the cold run: median {Median(peak):0.0} MB (spread {peak.Min():0.0}–{peak.Max():0.0}) (target <= 200 MB)");
        if (modelBuilt.Count > 0)
        {
            var withModel = modelBuilt.Select(r => r.ColdMs).ToList();
            Console.WriteLine($"cold with the EF model already built: median {Median(withModel):0} ms (spread {Spread(withModel)}); building the model: median " +
                $"{Median(modelBuilt.Select(r => r.ModelMs)):0} ms — at most what a compiled model saves on the cold figure");
        }

        Console.WriteLine($"load after: {Load()}");
        BenchFigures.Report("daily.cold_ms", "daily reminders, 100,000 follows → outbox, cold (fresh process)", Median(cold), "ms", Better.Lower, 2000);
        BenchFigures.Report("daily.warm_ms", "daily reminders, 100,000 follows → outbox, warm", Median(warm), "ms", Better.Lower);
        BenchFigures.Report("daily.peak_growth_mb", "daily reminders, peak working set growth of the cold run", Median(peak), "MB", Better.Lower, 200);
        pass &= Median(cold) <= 2000 && Median(peak) <= 200;
        Console.WriteLine(pass ? "PASS" : "FAIL");
        return pass ? 0 : 1;
    }

    /// <summary>What one child process measured (JSON on its last line).</summary>
    private sealed record ChildResult(
        double ColdMs, double ColdCpuMs, double ColdServerCpuMs, double WarmServerCpuMs, double ColdJitMs, int ColdJitMethods, double ModelMs, double PeakGrowthMb, double AllocatedMb, IReadOnlyList<double> WarmMs,
        int Due, int Queued, long OutboxRows, int RepeatQueued, int RepeatAlreadySent, string ColdStatements, string WarmStatements);

    /// <summary>Starts this benchmark's child on a cleared outbox and reads its result.</summary>
    private static async Task<ChildResult?> ChildAsync(string cs, string mode)
    {
        await ClearAsync(cs);
        var info = new ProcessStartInfo("dotnet", [typeof(DailyBenchmark).Assembly.Location, "daily-child", mode])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.Environment[ConnectionVariable] = cs;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        if (process.ExitCode != 0 || !last.StartsWith('{'))
        {
            Console.WriteLine($"daily-child {mode} failed (exit {process.ExitCode}):\n{output}");
            return null;
        }

        return JsonSerializer.Deserialize<ChildResult>(last, BenchJson.Options);
    }

    /// <summary>The child: one cold run as the first thing this process does, then warm runs, then a repeat without clearing.</summary>
    public static async Task<int> ChildAsync(string[] args)
    {
        var cs = Environment.GetEnvironmentVariable(ConnectionVariable) ?? throw new InvalidOperationException(ConnectionVariable + " is not set");
        var settings = new AbitlySettings
        {
            BotToken = "123456:bench",
            DatabaseConnectionString = cs,
            RedisConfiguration = "",
            CampaignYear = AbitlySettings.CampaignYearOf(DateTimeOffset.UtcNow),
            SendRatePerSecond = 1000,
        };
        using var statements = new StatementLog();
        var modelMs = 0.0;
        if (args.FirstOrDefault() == "model-built")
        {
            var build = Stopwatch.StartNew();
            await using var warmup = new AbitlyDbContext(Database.Configure(new DbContextOptionsBuilder<AbitlyDbContext>(), cs).Options);
            _ = warmup.Model;
            modelMs = build.Elapsed.TotalMilliseconds;
        }

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var peakBefore = process.PeakWorkingSet64;
        var cpuBefore = process.TotalProcessorTime;
        var database = new NpgsqlConnectionStringBuilder(cs).Database!;
        var serverBefore = ServerCpuMs(database);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
        var methodsBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        statements.Start();
        var watch = Stopwatch.StartNew();
        var cold = await RunOnceAsync(cs, settings);
        var coldMs = watch.Elapsed.TotalMilliseconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        var jitMs = (System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds;
        var jitMethods = (int)(System.Runtime.JitInfo.GetCompiledMethodCount() - methodsBefore);
        process.Refresh();
        var coldCpuMs = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        var coldServerCpuMs = ServerCpuMs(database) - serverBefore;
        var peakGrowth = process.PeakWorkingSet64 - peakBefore;
        var coldStatements = statements.Summary();
        var outboxRows = await ScalarAsync(cs, "SELECT count(*) FROM outbox");

        var warm = new List<double>();
        var warmServer = new List<double>();
        var warmStatements = "";
        for (var i = 0; i < WarmRuns; i++)
        {
            await ClearAsync(cs);
            statements.Start();
            serverBefore = ServerCpuMs(database);
            watch.Restart();
            await RunOnceAsync(cs, settings);
            warm.Add(watch.Elapsed.TotalMilliseconds);
            warmServer.Add(ServerCpuMs(database) - serverBefore);
            warmStatements = statements.Summary();
        }

        var repeat = await RunOnceAsync(cs, settings);
        static double Mb(long bytes) => bytes / 1024.0 / 1024.0;
        Console.WriteLine(JsonSerializer.Serialize(new ChildResult(
            coldMs, coldCpuMs, coldServerCpuMs, Median(warmServer), jitMs, jitMethods, modelMs, Mb(peakGrowth), Mb(allocated), warm, cold.Due, cold.Queued.Queued, outboxRows,
            repeat.Queued.Queued, repeat.Queued.AlreadySent, coldStatements, warmStatements), BenchJson.Options));
        return 0;
    }

    /// <summary>The job as Quartz runs it, on a context of its own.</summary>
    private static async Task<DailyRunResult> RunOnceAsync(string cs, AbitlySettings settings)
    {
        await using var db = new AbitlyDbContext(Database.Configure(new DbContextOptionsBuilder<AbitlyDbContext>(), cs).Options);
        using var signal = new OutboxSignal();
        var service = new DailyReminderRun(
            new OpenDayReminderService(new OpenDayStore(db, TimeProvider.System), new LocalCalendar(settings, TimeProvider.System)),
            new NotificationFanOut(db, new PostgresFanOutWrites(db), signal, TimeProvider.System),
            NullLogger<DailyReminderRun>.Instance);
        return await service.RunAsync(adminChatId: null, CancellationToken.None);
    }

    /// <summary>
    /// When each SQL statement started and how long it took, from Npgsql's own tracing (command sent until its results were
    /// read); the gaps are the process's own work (EF's model and query compilation, JIT, rendering; the commit is not traced).
    /// </summary>
    private sealed class StatementLog : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly List<(string Sql, DateTime Start, double Ms)> _done = [];
        private DateTime _since = DateTime.UtcNow;

        public StatementLog()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = activity =>
                {
                    var sql = activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string ?? activity.DisplayName;
                    lock (_done)
                    {
                        _done.Add((Words(sql), activity.StartTimeUtc, activity.Duration.TotalMilliseconds));
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        /// <summary>Starts the timeline of the next run.</summary>
        public void Start()
        {
            lock (_done)
            {
                _done.Clear();
                _since = DateTime.UtcNow;
            }
        }

        /// <summary>"statement at its start (ms from <see cref="Start"/>) +its duration, …"; the gaps between them are the process's own work.</summary>
        public string Summary()
        {
            lock (_done)
            {
                return string.Join("; ", _done.Select(d => $"{d.Sql} @{(d.Start - _since).TotalMilliseconds:0} +{d.Ms:0}"));
            }
        }

        public void Dispose() => _listener.Dispose();

        // The first words say which statement it was (EF's aliases and the CTE names are enough to tell them apart).
        private static string Words(string sql)
        {
            var words = sql.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
            return string.Join(' ', words.Take(4));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>
    /// CPU time the PostgreSQL backends serving <paramref name="database"/> have used (/proc, when the server runs on this
    /// machine; 0 otherwise): the server's share of a run, which the run's own CPU time does not include.
    /// </summary>
    private static double ServerCpuMs(string database)
    {
        var ticks = 0L;
        foreach (var folder in Directory.Exists("/proc") ? Directory.EnumerateDirectories("/proc") : [])
        {
            try
            {
                if (!char.IsAsciiDigit(Path.GetFileName(folder)[0]) || !File.ReadAllText(Path.Combine(folder, "cmdline")).Contains($"postgres: postgres {database} ", StringComparison.Ordinal))
                {
                    continue;
                }

                // Fields after the command's closing parenthesis: state is the 3rd, utime and stime the 14th and 15th.
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return ticks * 1000.0 / ClockTicksPerSecond;
    }

    // USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK).
    private const double ClockTicksPerSecond = 100;

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    // TRUNCATE, not DELETE: each run starts on empty tables and indexes, not on the dead rows of the one before.
    private static Task ClearAsync(string cs) => ExecuteAsync(cs, "TRUNCATE outbox, notification_log, fan_out_batches CASCADE");

    private static async Task ExecuteAsync(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
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
