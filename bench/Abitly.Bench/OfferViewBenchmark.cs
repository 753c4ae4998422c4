using System.Diagnostics;
using System.Globalization;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Domain.Ranking;
using Abitly.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace Abitly.Bench;

/// <summary>
/// OfferService.BuildOfferViewAsync on an offer of 10,000 applicants for a linked user: hot (the prepared list cached) and
/// cold (the first view after the list version changed) against the bare Npgsql fetch of the same rows, and where a cold
/// view's time goes; then views per second with 50 concurrent workers over 20 offers of 3,000 applicants.
/// </summary>
internal static class OfferViewBenchmark
{
    private const long BigOffer = 9_900_001;
    private const long PopularBase = 9_900_100;
    private const long TelegramUserId = 777_001;

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var calls = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : quick ? 150 : 1000;
        var seconds = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : quick ? 2 : 10;
        const int workers = 50;
        const int popular = 20;
        var redis = BenchDatabase.RedisConfiguration();
        await using var database = await BenchDatabase.CreateAsync("offer");
        if (database is null || redis is null)
        {
            return 2;
        }

        var cs = database.ConnectionString;
        var year = AbitlySettings.CampaignYearOf(DateTimeOffset.UtcNow);
        var seed = Stopwatch.StartNew();
        await DemoData.SeedAsync(cs, year, DateTime.UtcNow, CancellationToken.None);
        var random = new Random(7);
        await CloneOfferAsync(cs, BigOffer, 10_000, random);
        for (var i = 1; i <= popular; i++)
        {
            await CloneOfferAsync(cs, PopularBase + i, 3_000, random);
        }

        await database.ExecuteAsync($"""
            INSERT INTO telegram_users (id, first_name, web_user_id, created_at, updated_at, last_seen_at)
            VALUES ({TelegramUserId}, 'Bench', {DemoData.Ids.DemoWebUser}, now(), now(), now());
            ANALYZE;
            """);
        Console.WriteLine($"seeded demo data + offer {BigOffer} (10,000 applicants) + {popular} offers of 3,000 in {seed.Elapsed.TotalSeconds:0.0} s");

        var settings = new AbitlySettings
        {
            BotToken = "123456:bench",
            DatabaseConnectionString = cs,
            RedisConfiguration = redis,
            Port = 0,
            CampaignYear = year,
            LinkWebUrl = "https://abitly.example/profile",
        };
        // The host's container, not started: the same pooled DbContext and scoped OfferService the pipeline uses.
        await using var app = BotHost.Build(settings, customize: b => b.WebHost.UseUrls("http://127.0.0.1:0"));
        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
        TelegramUser user;
        await using (var db = new AbitlyDbContext(Database.Configure(new DbContextOptionsBuilder<AbitlyDbContext>(), cs).Options))
        {
            user = await db.TelegramUsers.AsNoTracking().SingleAsync(u => u.Id == TelegramUserId);
        }

        // The same pool settings as the bot's own connections (no reset on return, auto-prepare, JIT off), so the anchor differs only in what it runs.
        await using var dataSource = NpgsqlDataSource.Create(Database.Tuned(cs));

        // Warm-up of every path (JIT, EF query cache, connection pools).
        for (var i = 0; i < (quick ? 20 : 50); i++)
        {
            await ChangeListVersionAsync(dataSource, BigOffer);
            await ViewAsync(scopes, BigOffer, user);
            await ViewAsync(scopes, BigOffer, user);
            await BareAsync(dataSource, BigOffer, DemoData.Ids.DemoWebUser, TelegramUserId, year);
        }

        // Interleaved, so all three see the same machine state: the list version changes (untimed), the first view after
        // it is cold (reads and prepares the list), the second is hot (the prepared list from the cache), then the bare fetch.
        var cold = new List<double>(calls);
        var hot = new List<double>(calls);
        var bare = new List<double>(calls);
        var rows = 0;
        var textLength = 0;
        for (var i = 0; i < calls; i++)
        {
            await ChangeListVersionAsync(dataSource, BigOffer);
            var watch = Stopwatch.StartNew();
            textLength = await ViewAsync(scopes, BigOffer, user);
            cold.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            await ViewAsync(scopes, BigOffer, user);
            hot.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            rows = await BareAsync(dataSource, BigOffer, DemoData.Ids.DemoWebUser, TelegramUserId, year);
            bare.Add(watch.Elapsed.TotalMilliseconds);
        }

        cold.Sort();
        hot.Sort();
        bare.Sort();
        double P(List<double> s, double p) => Stats.Percentile(s, p);
        var ratio50 = P(cold, 0.5) / P(bare, 0.5);
        var ratio99 = P(cold, 0.99) / P(bare, 0.99);
        Console.WriteLine($"offer {BigOffer}, 10,000 applicants, linked user (web user 1), {calls:N0} calls each; view text {textLength} chars, bare rows {rows:N0}");
        Console.WriteLine($"  hot view (cached list)     p50 {P(hot, 0.5):0.00} ms  p99 {P(hot, 0.99):0.00} ms  max {hot[^1]:0.00} ms (target p99 <= {HotTargetMs} ms)");
        Console.WriteLine($"  cold view (list changed)   p50 {P(cold, 0.5):0.00} ms  p99 {P(cold, 0.99):0.00} ms  max {cold[^1]:0.00} ms (target p99 <= {ColdTargetMs} ms)");
        Console.WriteLine($"  bare Npgsql fetch          p50 {P(bare, 0.5):0.00} ms  p99 {P(bare, 0.99):0.00} ms  max {bare[^1]:0.00} ms");
        Console.WriteLine($"  ratio cold/bare            p50 {ratio50:0.00}  p99 {ratio99:0.00} (target <= {ColdRatioTarget})");
        var pass = P(hot, 0.99) <= HotTargetMs && P(cold, 0.99) <= ColdTargetMs && ratio99 <= ColdRatioTarget;

        await PrintColdBreakdownAsync(scopes, dataSource, user, Math.Max(50, calls / 4));

        // Concurrency: 50 workers on 20 popular offers for a fixed time.
        var done = 0L;
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var total = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var r = new Random(w);
            while (!stop.IsCancellationRequested)
            {
                var watch = Stopwatch.StartNew();
                await ViewAsync(scopes, PopularBase + r.Next(1, popular + 1), user);
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                Interlocked.Increment(ref done);
            }
        })).ToList();
        await Task.WhenAll(tasks);
        var elapsed = total.Elapsed.TotalSeconds;
        var sorted = latencies.Order().ToList();
        var rate = done / elapsed;
        Console.WriteLine($"concurrent: {workers} workers, {popular} offers of 3,000 applicants, {elapsed:0.0} s: {done:N0} views = {rate:0} views/s (target >= 300/s); latency p50 {P(sorted, 0.5):0.0} ms, p99 {P(sorted, 0.99):0.0} ms");
        pass &= rate >= 300;

        var zipfPreset = args.Contains("--national") ? Abitly.Campaign.Generation.CampaignPreset.National : Abitly.Campaign.Generation.CampaignPreset.Campaign;
        var (zipfHitRate, budgetMegabytes) = ZipfHitRates(settings.OfferCacheMegabytes, zipfPreset, quick);

        BenchFigures.Report("offer.hot_p99_ms", "offer view p99, hot (10,000 applicants, linked user)", P(hot, 0.99), "ms", Better.Lower, HotTargetMs);
        BenchFigures.Report(new BenchFigure("offer.cold_p99_ms", "offer view p99, cold (first view after the list changed)", P(cold, 0.99), "ms", Better.Lower,
            ColdTargetMs, "bare fetch p99", P(bare, 0.99), ColdRatioTarget));
        BenchFigures.Report("offer.zipf_hit_rate", $"offer cache hit rate, Zipf s = {ZipfExponent} over the {zipfPreset.ToString().ToLowerInvariant()} preset's offers, popular = long lists ({budgetMegabytes} MB)",
            zipfHitRate, "%", Better.Higher);
        BenchFigures.Report("offer.cache_budget_mb", "offer cache budget (OFFER_CACHE_MB default)", budgetMegabytes, "MB", Better.Lower);
        Console.WriteLine(pass ? "PASS" : "FAIL");
        return pass ? 0 : 1;
    }

    private const double ZipfExponent = 1.1;

    /// <summary>
    /// The offer cache under Zipf demand (s = 1.1) over the campaign preset's 1,500 offers, with their real prepared lists
    /// (so each entry weighs what it would): the hit rate per budget, once with popularity following list length (popular
    /// offers draw more applications: the heavy case) and once in random order. No database: only the cache's choices.
    /// Returns the first case's hit rate at <paramref name="defaultMegabytes"/>.
    /// </summary>
    private static (double HitRate, int Megabytes) ZipfHitRates(int defaultMegabytes, Abitly.Campaign.Generation.CampaignPreset preset, bool quick)
    {
        var watch = Stopwatch.StartNew();
        var campaign = Abitly.Campaign.Generation.CampaignGenerator.Generate(Abitly.Campaign.Generation.CampaignGeneratorOptions.For(preset));
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var prepared = campaign.Offers()
            .Select(o => OfferApplications.Prepare(
                [.. o.Applications.Select(a => new RankedApplication(a.Score, a.Priority, a.Status, a.Quota))],
                new BudgetSeats(o.BudgetPlaces, o.Quota1Places, o.Quota2Places)))
            .ToArray();
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var estimated = prepared.Sum(p => p.EstimatedBytes);
        var lengths = prepared.Select(p => p.Competition.GeneralScoresDescending.Count).Order().ToArray();
        Console.WriteLine($"offer cache: {prepared.Length:N0} offers of the {preset.ToString().ToLowerInvariant()} preset prepared in {watch.Elapsed.TotalSeconds:0.0} s; general lists median {lengths[lengths.Length / 2]:N0}, "
            + $"p90 {lengths[lengths.Length * 9 / 10]:N0}, max {lengths[^1]:N0}; all of them estimated {estimated / 1048576.0:0.0} MB (heap grew {(heapAfter - heapBefore) / 1048576.0:0.0} MB "
            + "for the prepared lists alone, without the cache's entries)");

        // Zipf over ranks 1..n: P(rank k) ∝ k^-s, drawn by inverse CDF.
        var n = prepared.Length;
        var cumulative = new double[n];
        var total = 0.0;
        for (var k = 0; k < n; k++)
        {
            total += Math.Pow(k + 1, -ZipfExponent);
            cumulative[k] = total;
        }

        var byLength = Enumerable.Range(0, n).OrderByDescending(i => prepared[i].EstimatedBytes).ToArray();
        var shuffled = Enumerable.Range(0, n).ToArray();
        new Random(5).Shuffle(shuffled);
        var requests = quick ? 60_000 : 300_000;
        var warmUp = requests / 10;
        int[] budgets = [1, 2, 4, 8, 12, 16, 24, 32, 48];
        Console.WriteLine($"  budget MB   hit rate (popular = long lists)   hit rate (popularity random)   ({requests:N0} requests after {warmUp:N0} to warm up)");
        var atDefault = double.NaN;
        foreach (var megabytes in budgets.Append(defaultMegabytes).Distinct().Order())
        {
            var heavy = HitRate(megabytes, byLength);
            var random = HitRate(megabytes, shuffled);
            Console.WriteLine($"  {megabytes,9}   {heavy,28:0.0} %   {random,27:0.0} %{(megabytes == defaultMegabytes ? "   <- default" : "")}");
            if (megabytes == defaultMegabytes)
            {
                atDefault = heavy;
            }
        }

        Console.WriteLine($"  {"all",9}   {HitRate(int.MaxValue / 1048576, byLength),28:0.0} %   {HitRate(int.MaxValue / 1048576, shuffled),27:0.0} %   (every list kept: only first views miss)");
        return (atDefault, defaultMegabytes);

        double HitRate(int megabytes, int[] offerOfRank)
        {
            var cache = new OfferApplicationsCache(megabytes * 1048576L);
            var draw = new Random(3);
            long hits = 0;
            for (var i = 0; i < warmUp + requests; i++)
            {
                var rank = Array.BinarySearch(cumulative, draw.NextDouble() * total);
                var offer = offerOfRank[rank < 0 ? ~rank : rank];
                if (cache.Get(offer, "v") is not null)
                {
                    hits += i >= warmUp ? 1 : 0;
                }
                else
                {
                    cache.Put(offer, "v", prepared[offer]);
                }
            }

            return 100.0 * hits / requests;
        }
    }

    private const double HotTargetMs = 5;
    private const double ColdTargetMs = 25;
    private const double ColdRatioTarget = 1.5;

    /// <summary>What an import that changed the offer leaves behind for the cache: a new updated_at, so a new list version.</summary>
    private static async Task ChangeListVersionAsync(NpgsqlDataSource source, long offerId)
    {
        await using var command = source.CreateCommand("UPDATE offers SET updated_at = updated_at + interval '1 millisecond' WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = offerId });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Where a cold view's time goes: each of its steps timed alone (median and p99 over <paramref name="rounds"/> list changes).</summary>
    private static async Task PrintColdBreakdownAsync(IServiceScopeFactory scopes, NpgsqlDataSource source, TelegramUser user, int rounds)
    {
        var steps = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        void Add(string step, Stopwatch watch)
        {
            if (!steps.TryGetValue(step, out var list))
            {
                steps[step] = list = [];
            }

            list.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
        }

        for (var i = 0; i < rounds; i++)
        {
            await ChangeListVersionAsync(source, BigOffer);
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var offers = services.GetRequiredService<OfferQueries>();
            var watch = Stopwatch.StartNew();
            var head = (await offers.GetViewHeadAsync(BigOffer, user.Id, CancellationToken.None))!.Head;
            Add("head (offer, subjects, analytics, data's age, followed)", watch);
            var rows = await offers.GetListAsync(BigOffer, CancellationToken.None);
            Add("list rows and cut-off history (applicants, offer_snapshots)", watch);
            var prepared = OfferApplications.Prepare(rows.Applications, OfferService.SeatsOf(head.Offer), rows.History);
            Add("prepare (competition, buckets, trend)", watch);
            var web = (await services.GetRequiredService<WebUserQueries>().GetWithGradesAsync(DemoData.Ids.DemoWebUser, CancellationToken.None))!;
            Add("web user and grades", watch);
            var personal = OfferService.Evaluate(head.Offer, prepared, web.Grades);
            Add("score and place", watch);
            var asker = personal.Outcome?.Score is { } score ? new SimulationAsker(web.DisplayName, score.WithPriorityBonus, score.WithoutPriorityBonus) : null;
            _ = await services.GetRequiredService<SimulationStandingService>().GetStandingAsync(BigOffer, asker, CancellationToken.None);
            Add("simulation standing", watch);
        }

        Console.WriteLine($"  cold view by step ({rounds} list changes; p50 / p99 ms):");
        foreach (var (step, list) in steps)
        {
            list.Sort();
            Console.WriteLine($"    {step,-60} {Stats.Percentile(list, 0.5),6:0.00} / {Stats.Percentile(list, 0.99),6:0.00}");
        }
    }

    private static async Task<int> ViewAsync(IServiceScopeFactory scopes, long offerId, TelegramUser user)
    {
        await using var scope = scopes.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<OfferService>();
        var view = await service.BuildOfferViewAsync(offerId, null, user, CancellationToken.None);
        if (view.Status != OfferViewStatus.Ok)
        {
            throw new InvalidOperationException($"offer {offerId}: {view.Status}");
        }

        return OfferViewRenderer.Render(view).Html.Length;
    }

    /// <summary>
    /// The rows a cold offer view reads, raw and in one round trip: offer + university + speciality + analytics, subjects,
    /// the cut-off history, the year's newest completed import, whether the user follows the offer, the list's ranking
    /// columns, the web user + grades.
    /// </summary>
    private const int ApplicantsResult = 5;

    private static async Task<int> BareAsync(NpgsqlDataSource source, long offerId, long webUserId, long telegramUserId, int year)
    {
        await using var connection = await source.OpenConnectionAsync();
        var rows = 0;
        await using var batch = new NpgsqlBatch(connection);
        void Add(string sql, params object[] parameters)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var p in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = p });
            }

            batch.BatchCommands.Add(command);
        }

        Add("""
            SELECT o.id, o.year, o.university_id, o.speciality_id, o.program_name, o.faculty, o.education_form, o.degree,
                   o.budget_places, o.quota1places, o.quota2places, o.license_volume, o.regional_coefficient,
                   o.sectoral_coefficient_applies, o.source_url, o.updated_at, o.content_hash, o.import_run_id, o.withdrawn_at,
                   u.id, u.name, u.short_name, u.region, s.id, s.code, s.name,
                   a.offer_id, a.applications_total, a.applications_budget, a.min_budget_score_last_year, a.avg_score, a.computed_at
            FROM offers o
            JOIN universities u ON u.id = o.university_id
            JOIN specialities s ON s.id = o.speciality_id
            LEFT JOIN offer_analytics a ON a.offer_id = o.id
            WHERE o.id = $1
            """, offerId);
        Add("SELECT offer_id, slot, subject, coefficient, min_score FROM offer_subjects WHERE offer_id = $1", offerId);
        Add("SELECT taken_at, cut_off FROM offer_snapshots WHERE offer_id = $1 AND NOT withdrawn ORDER BY import_run_id DESC LIMIT 64", offerId);
        Add("SELECT taken_at FROM import_runs WHERE campaign_year = $1 AND status = 1 ORDER BY id DESC LIMIT 1", year);
        Add("SELECT EXISTS (SELECT 1 FROM tracked_offers WHERE telegram_user_id = $1 AND offer_id = $2)", telegramUserId, offerId);
        Add("SELECT score, priority, status, quota FROM applicants WHERE offer_id = $1", offerId);
        Add("""
            SELECT w.id, w.email, w.display_name, w.created_at, g.user_id, g.subject, g.score, g.year
            FROM users w LEFT JOIN user_grades g ON g.user_id = w.id
            WHERE w.id = $1
            """, webUserId);
        await using var reader = await batch.ExecuteReaderAsync();
        var values = new object[40];
        var applications = new List<(decimal? Score, int? Priority, string Status, QuotaKind Quota)>();
        var result = 0;
        do
        {
            while (await reader.ReadAsync())
            {
                if (result == ApplicantsResult)
                {
                    // Typed, as a reader of the list would read it.
                    applications.Add((
                        reader.IsDBNull(0) ? null : reader.GetDecimal(0),
                        reader.IsDBNull(1) ? null : reader.GetInt32(1),
                        reader.GetString(2),
                        (QuotaKind)reader.GetInt16(3)));
                }
                else
                {
                    reader.GetValues(values);
                    rows++;
                }
            }

            result++;
        }
        while (await reader.NextResultAsync());
        return rows + applications.Count;
    }

    /// <summary>A copy of offer 1402001 (offer row, subjects, analytics, snapshot history) under a new id with <paramref name="applicants"/> generated applications.</summary>
    private static async Task CloneOfferAsync(string cs, long id, int applicants, Random random)
    {
        const long source = DemoData.Ids.ComputerScienceOffer;
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using (var command = new NpgsqlCommand($"""
            CREATE TEMP TABLE o AS SELECT * FROM offers WHERE id = {source};
            UPDATE o SET id = {id}, source_url = 'https://vstup.edbo.gov.ua/offer/{id}/';
            INSERT INTO offers SELECT * FROM o;
            CREATE TEMP TABLE s AS SELECT * FROM offer_subjects WHERE offer_id = {source};
            UPDATE s SET offer_id = {id};
            INSERT INTO offer_subjects SELECT * FROM s;
            CREATE TEMP TABLE a AS SELECT * FROM offer_analytics WHERE offer_id = {source};
            UPDATE a SET offer_id = {id}, applications_total = {applicants}, applications_budget = {applicants * 4 / 5};
            INSERT INTO offer_analytics SELECT * FROM a;
            INSERT INTO offer_snapshots (offer_id, import_run_id, taken_at, content_hash, active_applications, active_budget_applications,
                                         budget_places, quota1places, quota2places, cut_off, withdrawn)
            SELECT {id}, import_run_id, taken_at, content_hash, active_applications, active_budget_applications,
                   budget_places, quota1places, quota2places, cut_off, withdrawn
            FROM offer_snapshots WHERE offer_id = {source};
            DROP TABLE o, s, a;
            """, connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        string[] surnames = ["Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Мельник", "Поліщук"];
        var now = DateTime.UtcNow;
        // A list as it is published and imported: best score first, positions in that order (the importer copies rows in
        // list order, so they lie in the table in that order too).
        var scores = Enumerable.Range(0, applicants).Select(_ => Math.Round(120m + (decimal)(random.NextDouble() * 80), 3)).OrderDescending().ToArray();
        await using var copy = await connection.BeginBinaryImportAsync("COPY applicants (offer_id, position, full_name, score, priority, status, quota, updated_at) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < applicants; i++)
        {
            var roll = random.Next(100);
            var status = roll switch
            {
                < 80 => "Допущено",
                < 90 => "Зареєстровано",
                < 95 => "Скасовано вступником",
                < 98 => "Відмова",
                _ => "Рекомендовано (бюджет)",
            };
            await copy.StartRowAsync();
            await copy.WriteAsync(id, NpgsqlDbType.Bigint);
            await copy.WriteAsync(i + 1, NpgsqlDbType.Integer);
            await copy.WriteAsync($"{surnames[random.Next(surnames.Length)]} {(char)('А' + random.Next(28))}. {(char)('А' + random.Next(28))}.", NpgsqlDbType.Varchar);
            await copy.WriteAsync(scores[i], NpgsqlDbType.Numeric);
            if (random.Next(6) == 0)
            {
                await copy.WriteNullAsync();
            }
            else
            {
                await copy.WriteAsync(random.Next(1, 6), NpgsqlDbType.Integer);
            }

            await copy.WriteAsync(status, NpgsqlDbType.Varchar);
            await copy.WriteAsync((short)(random.Next(25) == 0 ? QuotaKind.Quota1 : QuotaKind.None), NpgsqlDbType.Smallint); // the quota kind
            await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
        }

        await copy.CompleteAsync();
    }
}
