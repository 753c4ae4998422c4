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
/// OfferService.BuildOfferViewAsync on an offer of 10,000 applicants for a linked user, against the bare Npgsql fetch of
/// the same rows; then views per second with 50 concurrent workers over 20 offers of 3,000 applicants.
/// </summary>
internal static class OfferViewBenchmark
{
    private const long BigOffer = 9_900_001;
    private const long PopularBase = 9_900_100;
    private const long TelegramUserId = 777_001;

    public static async Task<int> RunAsync(string[] args)
    {
        var calls = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
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

        await using var dataSource = NpgsqlDataSource.Create(cs);

        // Warm-up of both paths (JIT, EF query cache, connection pools).
        for (var i = 0; i < 50; i++)
        {
            await ViewAsync(scopes, BigOffer, user);
            await BareAsync(dataSource, BigOffer, DemoData.Ids.DemoWebUser);
        }

        var view = new List<double>(calls);
        var bare = new List<double>(calls);
        var rows = 0;
        var textLength = 0;
        for (var i = 0; i < calls; i++)
        {
            // Interleaved, so both see the same cache and machine state.
            var watch = Stopwatch.StartNew();
            textLength = await ViewAsync(scopes, BigOffer, user);
            view.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            rows = await BareAsync(dataSource, BigOffer, DemoData.Ids.DemoWebUser);
            bare.Add(watch.Elapsed.TotalMilliseconds);
        }

        view.Sort();
        bare.Sort();
        double P(List<double> s, double p) => Stats.Percentile(s, p);
        var ratio50 = P(view, 0.5) / P(bare, 0.5);
        var ratio99 = P(view, 0.99) / P(bare, 0.99);
        Console.WriteLine($"offer {BigOffer}, 10,000 applicants, linked user (web user 1), {calls:N0} calls each; view text {textLength} chars, bare rows {rows:N0}");
        Console.WriteLine($"  BuildOfferViewAsync  p50 {P(view, 0.5):0.00} ms  p99 {P(view, 0.99):0.00} ms  max {view[^1]:0.00} ms (target p99 <= 25 ms)");
        Console.WriteLine($"  bare Npgsql fetch    p50 {P(bare, 0.5):0.00} ms  p99 {P(bare, 0.99):0.00} ms  max {bare[^1]:0.00} ms");
        Console.WriteLine($"  ratio view/bare      p50 {ratio50:0.00}  p99 {ratio99:0.00} (target <= 1.5)");
        var pass = P(view, 0.99) <= 25 && ratio50 <= 1.5;

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
        Console.WriteLine(pass ? "PASS" : "FAIL");
        return pass ? 0 : 1;
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

    /// <summary>The same rows as OfferService.LoadAsync, raw: offer + university + speciality + analytics and subjects (one round trip), applicants, web user + grades.</summary>
    private static async Task<int> BareAsync(NpgsqlDataSource source, long offerId, long webUserId)
    {
        await using var connection = await source.OpenConnectionAsync();
        var rows = 0;
        await using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                SELECT o.id, o.year, o.university_id, o.speciality_id, o.program_name, o.faculty, o.education_form, o.degree,
                       o.budget_places, o.quota1places, o.quota2places, o.license_volume, o.regional_coefficient,
                       o.sectoral_coefficient_applies, o.source_url, o.updated_at,
                       u.id, u.name, u.short_name, u.region, s.id, s.code, s.name,
                       a.offer_id, a.applications_total, a.applications_budget, a.min_budget_score_last_year, a.avg_score, a.computed_at
                FROM offers o
                JOIN universities u ON u.id = o.university_id
                JOIN specialities s ON s.id = o.speciality_id
                LEFT JOIN offer_analytics a ON a.offer_id = o.id
                WHERE o.id = $1
                """) { Parameters = { new NpgsqlParameter<long> { TypedValue = offerId } } });
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT offer_id, slot, subject, coefficient, min_score FROM offer_subjects WHERE offer_id = $1")
            {
                Parameters = { new NpgsqlParameter<long> { TypedValue = offerId } },
            });
            await using var reader = await batch.ExecuteReaderAsync();
            var values = new object[32];
            do
            {
                while (await reader.ReadAsync())
                {
                    reader.GetValues(values);
                    rows++;
                }
            }
            while (await reader.NextResultAsync());
        }

        var applications = new List<(decimal? Score, int? Priority, string Status, QuotaKind Quota)>();
        await using (var command = new NpgsqlCommand("SELECT score, priority, status, quota FROM applicants WHERE offer_id = $1", connection))
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = offerId });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                applications.Add((
                    reader.IsDBNull(0) ? null : reader.GetDecimal(0),
                    reader.IsDBNull(1) ? null : reader.GetInt32(1),
                    reader.GetString(2),
                    (QuotaKind)reader.GetInt16(3)));
            }
        }

        await using (var command = new NpgsqlCommand("""
            SELECT w.id, w.email, w.display_name, w.created_at, g.user_id, g.subject, g.score, g.year
            FROM users w LEFT JOIN user_grades g ON g.user_id = w.id
            WHERE w.id = $1
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = webUserId });
            await using var reader = await command.ExecuteReaderAsync();
            var values = new object[8];
            while (await reader.ReadAsync())
            {
                reader.GetValues(values);
                rows++;
            }
        }

        return rows + applications.Count;
    }

    /// <summary>A copy of offer 1402001 (offer row, subjects, analytics) under a new id with <paramref name="applicants"/> generated applications.</summary>
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
            DROP TABLE o, s, a;
            """, connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        string[] surnames = ["Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Мельник", "Поліщук"];
        var now = DateTime.UtcNow;
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
            await copy.WriteAsync(Math.Round(120m + (decimal)(random.NextDouble() * 80), 3), NpgsqlDbType.Numeric);
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
