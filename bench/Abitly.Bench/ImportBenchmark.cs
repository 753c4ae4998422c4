using System.Diagnostics;
using System.Globalization;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Abitly.Bot.Import;
using Abitly.Bot.Services;
using Abitly.Campaign;
using Abitly.Campaign.Generation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace Abitly.Bench;

/// <summary>
/// Issue 13's figures on PostgreSQL: the `campaign` preset imported into an empty database by the real `import` command
/// (time and the process's peak RSS) beside a bare COPY of the same rows into an unlogged table (the floor); a re-import
/// of the unchanged snapshot; a revision with 300 offers changed; and the offer view's p99 for offers an import is not
/// touching, idle and while a large revision is imported.
/// </summary>
internal static class ImportBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var preset = args.Length > 0 ? Enum.Parse<CampaignPreset>(args[0], ignoreCase: true) : CampaignPreset.Campaign;
        await using var database = await BenchDatabase.CreateAsync("import");
        if (database is null)
        {
            return 2;
        }

        var directory = Directory.CreateTempSubdirectory("abitly-bench-import-").FullName;
        try
        {
            var options = CampaignGeneratorOptions.For(preset);
            var year = options.Year;
            var file = Path.Combine(directory, "r0.jsonl.gz");
            var campaign = CampaignGenerator.Generate(options);
            await campaign.WriteAsync(file);
            var changed300 = Path.Combine(directory, "r1.jsonl.gz");
            var revision = CampaignGenerator.Generate(options with { Revision = 1, ChangedOffers = Math.Min(300, options.OfferCount) });
            await revision.WriteAsync(changed300);
            var bigChange = Path.Combine(directory, "r2.jsonl.gz");
            var big = CampaignGenerator.Generate(options with { Revision = 2, ChangedOffers = options.OfferCount * 3 / 4 });
            await big.WriteAsync(bigChange);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"preset {preset}: {campaign.OfferCount:N0} offers, {campaign.ApplicationCount:N0} applications; {new FileInfo(file).Length / 1e6:0.0} MB gzip"));

            var pass = true;
            var (seconds, peakMb, output) = await ImportProcessAsync(database.ConnectionString, file);
            var floor = await BareCopyAsync(database.ConnectionString, campaign);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"(1) import into an empty database: {seconds:0.00} s by its own report, peak RSS {peakMb:0} MB (targets <= 15 s, <= 400 MB)"));
            Console.WriteLine($"    {output.Trim()}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    floor: bare binary COPY of the same {campaign.ApplicationCount:N0} rows into an unlogged table {floor:0.00} s; ratio {seconds / floor:0.0}x (target <= 6x)"));
            pass &= seconds <= 15 && peakMb <= 400 && seconds / floor <= 6;
            BenchFigures.Report(new BenchFigure($"import.{preset}.empty_s".ToLowerInvariant(), $"import {preset} into an empty database", seconds, "s", Better.Lower,
                preset == CampaignPreset.Campaign ? 15 : null, "bare binary COPY", floor, 6));
            BenchFigures.Report($"import.{preset}.peak_mb".ToLowerInvariant(), $"import {preset}: peak RSS", peakMb, "MB", Better.Lower, 400);

            var (again, _, againOutput) = await ImportProcessAsync(database.ConnectionString, file);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(2) re-import unchanged: {again:0.00} s (target <= 3 s): {againOutput.Trim()}"));
            pass &= again <= 3 && againOutput.Contains(" 0 added, 0 changed,", StringComparison.Ordinal);
            BenchFigures.Report($"import.{preset}.unchanged_s".ToLowerInvariant(), $"re-import {preset} unchanged", again, "s", Better.Lower, 3);

            var before = await StampsAsync(database.ConnectionString);
            var (changedSeconds, _, changedOutput) = await ImportProcessAsync(database.ConnectionString, changed300);
            var after = await StampsAsync(database.ConnectionString);
            var bumped = after.Count(p => before[p.Key] != p.Value);
            int snapshots;
            await using (var db = Database.Open(DatabaseProvider.Postgres, database.ConnectionString))
            {
                var lastRun = await db.ImportRuns.MaxAsync(r => r.Id);
                snapshots = await db.OfferSnapshots.CountAsync(s => s.ImportRunId == lastRun);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"(3) revision with {revision.ChangedOfferIds.Count} offers changed: {changedSeconds:0.00} s; {bumped} offers got a new updated_at, {snapshots} snapshot rows: {changedOutput.Trim()}"));
            pass &= bumped == revision.ChangedOfferIds.Count && snapshots == bumped;
            BenchFigures.Report($"import.{preset}.changed_s".ToLowerInvariant(), $"import {preset} with {revision.ChangedOfferIds.Count} offers changed", changedSeconds, "s", Better.Lower);

            pass &= await OfferViewDuringImportAsync(database.ConnectionString, year, bigChange, big.ChangedOfferIds.ToHashSet(), campaign);
            Console.WriteLine(pass ? "PASS" : "FAIL");
            return pass ? 0 : 1;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The real `import` command as its own process: its reported duration, and its peak RSS polled from /proc.</summary>
    private static async Task<(double Seconds, double PeakMb, string Output)> ImportProcessAsync(string cs, string file)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Abitly.Bot.dll"), "import", file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DATABASE_URL"] = cs;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, ReadHwm(process.Id));
            await Task.Delay(20);
        }

        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        var seconds = double.Parse(output.Split(" in ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
        return (seconds, peak / 1024.0, output);
    }

    private static long ReadHwm(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The floor: the same rows, one binary COPY, into an unlogged table with no index.</summary>
    private static async Task<double> BareCopyAsync(string cs, GeneratedCampaign campaign)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand(
            "CREATE UNLOGGED TABLE bare_copy (offer_id bigint, position int, full_name text, score numeric(6,3), priority int, status text, quota smallint, person_key text)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var rows = campaign.Offers().Select(o => (o.EdboId, o.Applications, Names: o.Applications.Select(a => PublishedNames.ToInitials(a.Name)).ToArray())).ToList();
        var watch = Stopwatch.StartNew();
        await using (var copy = await connection.BeginBinaryImportAsync("COPY bare_copy FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (id, applications, names) in rows)
            {
                for (var i = 0; i < applications.Count; i++)
                {
                    var a = applications[i];
                    await copy.StartRowAsync();
                    await copy.WriteAsync(id, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(a.Position, NpgsqlDbType.Integer);
                    await copy.WriteAsync(names[i], NpgsqlDbType.Text);
                    await (a.Score is { } s ? copy.WriteAsync(s, NpgsqlDbType.Numeric) : copy.WriteNullAsync());
                    await (a.Priority is { } p ? copy.WriteAsync(p, NpgsqlDbType.Integer) : copy.WriteNullAsync());
                    await copy.WriteAsync(a.Status, NpgsqlDbType.Text);
                    await copy.WriteAsync((short)a.Quota, NpgsqlDbType.Smallint);
                    await (a.PersonKey is { } k ? copy.WriteAsync(k, NpgsqlDbType.Text) : copy.WriteNullAsync());
                }
            }

            await copy.CompleteAsync();
        }

        var seconds = watch.Elapsed.TotalSeconds;
        await using var drop = new NpgsqlCommand("DROP TABLE bare_copy", connection);
        await drop.ExecuteNonQueryAsync();
        return seconds;
    }

    private static async Task<Dictionary<long, DateTime>> StampsAsync(string cs)
    {
        await using var db = Database.Open(DatabaseProvider.Postgres, cs);
        return await db.Offers.ToDictionaryAsync(o => o.Id, o => o.UpdatedAt);
    }

    /// <summary>p99 of the offer view for offers the import does not touch: idle, then while a large revision is imported in-process.</summary>
    private static async Task<bool> OfferViewDuringImportAsync(string cs, int year, string revisionFile, HashSet<long> changing, GeneratedCampaign campaign)
    {
        var redis = BenchDatabase.RedisConfiguration();
        if (redis is null)
        {
            return false;
        }

        var settings = new AbitlySettings { BotToken = "123456:bench", DatabaseConnectionString = cs, RedisConfiguration = redis, Port = 0, CampaignYear = year };
        await using var app = BotHost.Build(settings, customize: b => b.WebHost.UseUrls("http://127.0.0.1:0"));
        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
        // The largest offers the revision leaves alone: each view reads and prepares a big list.
        var untouched = campaign.Offers().Where(o => !changing.Contains(o.EdboId)).OrderByDescending(o => o.Applications.Count).Take(20).Select(o => o.EdboId).ToArray();
        async Task<List<double>> ViewsAsync(Func<bool> keepGoing, int minimum)
        {
            var times = new List<double>();
            var i = 0;
            while (keepGoing() || times.Count < minimum)
            {
                // A fresh cache each time: the view pays for reading and preparing the list, the part an import competes with.
                app.Services.GetRequiredService<OfferApplicationsCache>().Clear();
                await using var scope = scopes.CreateAsyncScope();
                var watch = Stopwatch.StartNew();
                var view = await scope.ServiceProvider.GetRequiredService<OfferService>().BuildOfferViewAsync(untouched[i++ % untouched.Length], null, null, CancellationToken.None);
                times.Add(watch.Elapsed.TotalMilliseconds);
                if (view.Status != OfferViewStatus.Ok)
                {
                    throw new InvalidOperationException(view.Status.ToString());
                }
            }

            times.Sort();
            return times;
        }

        await ViewsAsync(() => false, 100);   // warm-up
        var idle = await ViewsAsync(() => false, 400);
        Task<ImportReport> importing;
        await using (var scope = scopes.CreateAsyncScope())
        {
            importing = scope.ServiceProvider.GetRequiredService<CampaignImporter>().ImportAsync(new ImportRequest(revisionFile, "bench"), CancellationToken.None);
            var during = await ViewsAsync(() => !importing.IsCompleted, 50);
            var report = await importing;
            double P(List<double> s, double p) => Stats.Percentile(s, p);
            var ratio = P(during, 0.99) / P(idle, 0.99);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"(4) offer view (cold list) of offers not re-imported: idle p50 {P(idle, 0.5):0.0} ms p99 {P(idle, 0.99):0.0} ms; during an import of {report.Changed:N0} changed offers ({report.Elapsed.TotalSeconds:0.0} s) p50 {P(during, 0.5):0.0} ms p99 {P(during, 0.99):0.0} ms over {during.Count} views; ratio {ratio:0.00} (target <= 3)"));
            return ratio <= 3 && report.Outcome == ImportOutcome.Completed;
        }
    }
}
