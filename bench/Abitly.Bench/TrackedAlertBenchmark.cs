using System.Diagnostics;
using System.Globalization;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.FanOuts;
using Abitly.Bot.Hosting;
using Abitly.Bot.Import;
using Abitly.Campaign.Generation;
using Abitly.Domain.OpenDays;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Abitly.Bench;

/// <summary>
/// Issue 15's figures on PostgreSQL: the `campaign` preset (1,500 offers, 600,000 applications) imported, 100,000 follows
/// of 20,000 users (half linked to web users with NMT grades) spread over the offers by popularity, then a revision with
/// 300 offers changed and one with every offer changed; for each, the alert pass run as the importer's nudge runs it —
/// standings recomputed, diffed, every alert claimed and in the outbox, committed — timed from the call to its return, with
/// the process's working-set growth during it (peak over the pass, measured by resetting VmHWM). The bot's composition and
/// production rules (quiet hours and the daily limit), on a clock fixed at noon Kyiv of a new day for each pass.
/// </summary>
internal static class TrackedAlertBenchmark
{
    private const int Users = 20_000;
    private const int FollowsPerUser = 5;

    public static async Task<int> RunAsync(string[] args)
    {
        var changedSmall = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        await using var database = await BenchDatabase.CreateAsync("tracked");
        if (database is null)
        {
            return 2;
        }

        var directory = Directory.CreateTempSubdirectory("abitly-bench-tracked-").FullName;
        try
        {
            var options = CampaignGeneratorOptions.For(CampaignPreset.Campaign);
            var files = new[]
            {
                (Name: "base", Options: options),
                (Name: $"{changedSmall} changed", Options: options with { Revision = 1, ChangedOffers = changedSmall }),
                (Name: "all changed", Options: options with { Revision = 2, ChangedOffers = options.OfferCount }),
            }.Select((f, i) => (f.Name, Path: Path.Combine(directory, $"r{i}.jsonl.gz"), f.Options)).ToArray();
            foreach (var (_, path, generate) in files)
            {
                // Generated one at a time and dropped, so the campaign's objects are not in the working set measured later.
                await CampaignGenerator.Generate(generate).WriteAsync(path);
            }

            var clock = new FixedClock();
            var settings = new AbitlySettings
            {
                BotToken = "123456:bench",
                DatabaseConnectionString = database.ConnectionString,
                RedisConfiguration = "",
                TelegramApiUrl = "http://127.0.0.1:1",
                Port = 0,
                CampaignYear = options.Year,
            };
            var services = new ServiceCollection();
            services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
            services.AddAbitlyServices(settings);
            services.AddSingleton<TimeProvider>(clock);
            // The bot's importer nudges a pass from inside ImportAsync; here the pass runs on its own after it, to be timed.
            services.RemoveAll<IImportRunObserver>();
            await using var provider = services.BuildServiceProvider();
            var zone = OpenDayZone.Resolve(settings.TimeZoneId);
            var firstDay = DateOnly.FromDateTime(options.BaseTakenAt.Date).AddDays(1);

            var pass = true;
            for (var i = 0; i < files.Length; i++)
            {
                // Noon Kyiv of a new day for each run: the daily limit counts but never holds, no quiet hours.
                clock.Now = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(firstDay.AddDays(i).ToDateTime(new TimeOnly(12, 0)), zone), TimeSpan.Zero);
                var report = await ImportAsync(provider, files[i].Path);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"import {files[i].Name}: run {report.RunId}, {report.Added:N0} added, {report.Changed:N0} changed, {report.Unchanged:N0} unchanged, {report.Elapsed.TotalSeconds:0.0} s"));
                if (i == 0)
                {
                    var seed = Stopwatch.StartNew();
                    var seeded = await SeedAsync(database.ConnectionString, options.Year);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"seeded {Users:N0} users ({Users / 2:N0} linked, with grades) × {FollowsPerUser} = {seeded:N0} follows over {options.OfferCount:N0} offers, weighted by list length, in {seed.Elapsed.TotalSeconds:0.0} s"));
                }

                var followers = await FollowersAsync(database.ConnectionString, report.ChangedOffers);
                var (result, elapsed, cpu, growthMb, heapMb) = await MeasuredPassAsync(provider);
                var rows = await OutboxRowsAsync(database.ConnectionString, result.PassId);
                var label = i == 0 ? "first pass (every follow new: cold process, every told state empty)" : $"pass after {files[i].Name}";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {label}: {report.ChangedOffers.Count:N0} offers changed with {followers:N0} follows; {result.FollowsEvaluated:N0} evaluated, {result.Queued:N0} alerts queued ({rows:N0} outbox rows), {result.UsersHeld} held"));
                if (i > 0)
                {
                    BenchFigures.Report($"tracked.pass{i}.ms", $"tracked alerts: run with {report.ChangedOffers.Count:N0} offers changed -> all alerts in the outbox", elapsed.TotalMilliseconds, "ms", Better.Lower,
                        i == 1 ? 3000 : null);
                    BenchFigures.Report($"tracked.pass{i}.growth_mb", $"tracked alerts ({report.ChangedOffers.Count:N0} changed): working-set growth", growthMb, "MB", Better.Lower, i == 1 ? 200 : null);
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    run completed -> all alerts in the outbox: {elapsed.TotalMilliseconds:0} ms{(i == 1 ? " (target <= 3000 ms)" : "")}, of which this process's CPU {cpu.TotalMilliseconds:0} ms (the rest is PostgreSQL and waiting); working-set growth {growthMb:0} MB{(i == 1 ? " (target <= 200 MB)" : "")}; managed heap after {heapMb:0} MB"));
                // The issue's targets are for the 300-offer run; the all-changed run is reported beside it.
                pass &= i == 0 || (rows == result.Queued && result.Queued > 0);
                pass &= i != 1 || (elapsed.TotalMilliseconds <= 3000 && growthMb <= 200);
            }

            // Figures on a shared machine depend on what else runs: say how busy it was.
            Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores");
            Console.WriteLine(pass ? "PASS" : "FAIL");
            return pass ? 0 : 1;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<ImportReport> ImportAsync(IServiceProvider provider, string path)
    {
        await using var scope = provider.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<CampaignImporter>().ImportAsync(new ImportRequest(path, "bench"), CancellationToken.None);
        if (report.Outcome != ImportOutcome.Completed)
        {
            throw new InvalidOperationException(report.Message);
        }

        return report;
    }

    /// <summary>One pass as the nudge runs it, with the working set's peak over it (VmHWM reset first) and its time.</summary>
    private static async Task<(TrackedAlertRunResult Result, TimeSpan Elapsed, TimeSpan Cpu, double GrowthMb, double HeapMb)> MeasuredPassAsync(IServiceProvider provider)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var before = ReadStatusKb("VmRSS:");
        var resetPeak = TryResetPeak();
        long sampledPeak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = resetPeak ? Task.CompletedTask : Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                sampledPeak = Math.Max(sampledPeak, ReadStatusKb("VmRSS:"));
                await Task.Delay(5, CancellationToken.None);
            }
        });
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        TrackedAlertRunResult result;
        await using (var scope = provider.CreateAsyncScope())
        {
            result = await scope.ServiceProvider.GetRequiredService<TrackedAlertRun>().RunAsync(CancellationToken.None);
        }

        var elapsed = watch.Elapsed;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        await sampling.CancelAsync();
        await sampler;
        var peak = resetPeak ? ReadStatusKb("VmHWM:") : sampledPeak;
        return (result, elapsed, cpu, (peak - before) / 1024.0, GC.GetTotalMemory(forceFullCollection: false) / 1024.0 / 1024.0);
    }

    /// <summary>Resets the process's peak RSS to its current RSS (Linux: 5 into clear_refs); false when not allowed.</summary>
    private static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long ReadStatusKb(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Users, web users with grades (ukr, math, hist and one or two 4th subjects, around 150), and five follows per user
    /// drawn without repeats with a chance proportional to the offer's list length (popular offers draw more followers),
    /// by binary COPY; the told state is empty, as if nothing had been told yet.
    /// </summary>
    private static async Task<int> SeedAsync(string cs, int year)
    {
        var random = new Random(15);
        var now = DateTime.UtcNow;
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        var offers = new List<(long Id, long Weight)>();
        await using (var command = new NpgsqlCommand("SELECT o.id, (SELECT count(*) FROM applicants a WHERE a.offer_id = o.id) + 1 FROM offers o WHERE o.year = @year ORDER BY o.id", connection))
        {
            command.Parameters.AddWithValue("year", year);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                offers.Add((reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        var cumulative = new long[offers.Count];
        for (var i = 0; i < offers.Count; i++)
        {
            cumulative[i] = (i == 0 ? 0 : cumulative[i - 1]) + offers[i].Weight;
        }

        const long webBase = 2_000_000, userBase = 1_000_000;
        await using (var copy = await connection.BeginBinaryImportAsync("COPY users (id, email, display_name, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 1; i <= Users / 2; i++)
            {
                await copy.WriteRowAsync(default, webBase + i, $"u{i}@bench.example", "U" + i, now);
            }

            await copy.CompleteAsync();
        }

        string[] fourth = ["eng", "bio", "geo", "lit", "phys", "chem"];
        await using (var copy = await connection.BeginBinaryImportAsync("COPY user_grades (user_id, subject, year, score) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 1; i <= Users / 2; i++)
            {
                var subjects = new List<string> { "ukr", "math", "hist", fourth[random.Next(fourth.Length)] };
                if (random.NextDouble() < 0.2 && fourth.FirstOrDefault(s => !subjects.Contains(s)) is { } second)
                {
                    subjects.Add(second);
                }

                foreach (var subject in subjects)
                {
                    var score = (decimal)Math.Clamp(Math.Round(150 + 22 * Gaussian(random)), 100, 200);
                    await copy.WriteRowAsync(default, webBase + i, subject, year, score);
                }
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY telegram_users (id, first_name, web_user_id, created_at, updated_at, last_seen_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 1; i <= Users; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(userBase + i, NpgsqlDbType.Bigint);
                await copy.WriteAsync("U" + i, NpgsqlDbType.Varchar);
                await (i % 2 == 0 ? copy.WriteAsync(webBase + i / 2, NpgsqlDbType.Bigint) : copy.WriteNullAsync());
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }

            await copy.CompleteAsync();
        }

        var follows = 0;
        await using (var copy = await connection.BeginBinaryImportAsync("COPY tracked_offers (telegram_user_id, offer_id, created_at, told_withdrawn, told_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 1; i <= Users; i++)
            {
                var chosen = new HashSet<long>();
                while (chosen.Count < FollowsPerUser)
                {
                    var index = Array.BinarySearch(cumulative, random.NextInt64(cumulative[^1]) + 1);
                    chosen.Add(offers[index >= 0 ? index : ~index].Id);
                }

                foreach (var offer in chosen)
                {
                    await copy.WriteRowAsync(default, userBase + i, offer, now.AddSeconds(-follows), false, now);
                    follows++;
                }
            }

            await copy.CompleteAsync();
        }

        await using var analyze = new NpgsqlCommand("ANALYZE", connection);
        await analyze.ExecuteNonQueryAsync();
        return follows;
    }

    private static async Task<long> FollowersAsync(string cs, IReadOnlyList<long> offers)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM tracked_offers WHERE offer_id = ANY(@offers)", connection);
        command.Parameters.AddWithValue("offers", offers.ToArray());
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> OutboxRowsAsync(string cs, long? passId)
    {
        await using var db = Database.Open(DatabaseProvider.Postgres, cs);
        var batch = await db.TrackedAlertPasses.Where(p => p.Id == passId).Select(p => p.FanOutBatchId).SingleOrDefaultAsync();
        return batch is null ? 0 : await db.Outbox.LongCountAsync(m => m.BatchId == batch);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>A clock the benchmark sets; the importer and the pass read it.</summary>
    private sealed class FixedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
