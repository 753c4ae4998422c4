using System.Net;
using System.Text.Json.Nodes;
using Abitly.Bot.Data;
using Abitly.Bot.Data.Import;
using Abitly.Bot.Import;
using Abitly.Campaign;
using Abitly.Campaign.Generation;
using Abitly.Domain.Ranking;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using static Abitly.Bot.Tests.Import.ImportTestKit;

namespace Abitly.Bot.Tests.Import;

/// <summary>The importer against real PostgreSQL: bad input, idempotence, history, withdrawal and its guard, atomicity.</summary>
public sealed class ImportTests
{
    public static TheoryData<string, string, string> BadRecords => new()
    {
        // What is broken, the field that names it, and a piece of the message.
        { "score", "applications[1].score", "is outside 100–200" },
        { "priority", "applications[0].priority", "is outside 1–5" },
        { "quota", "applications[0].quota", "" },
        { "places", "budget_places", "is negative" },
        { "weights", "weights", "slot 1 (ukr) is missing" },
        { "type", "budget_places", "" },
    };

    [Theory]
    [MemberData(nameof(BadRecords))]
    public async Task An_invalid_record_names_file_line_and_field_and_nothing_of_the_file_is_applied(string broken, string field, string message)
    {
        await using var kit = await StartAsync();
        var bad = Line(Offer(2001, 180m, 170m));
        switch (broken)
        {
            case "score": bad["applications"]![1]!["score"] = 250.5; break;
            case "priority": bad["applications"]![0]!["priority"] = 7; break;
            case "quota": bad["applications"]![0]!["quota"] = "quota3"; break;
            case "places": bad["budget_places"] = -4; break;
            case "weights": bad["weights"] = new JsonArray(new JsonObject { ["slot"] = 2, ["subject"] = "math", ["coefficient"] = 0.4 }); break;
            case "type": bad["budget_places"] = "many"; break;
            default: throw new ArgumentOutOfRangeException(nameof(broken));
        }

        var path = await kit.WriteLinesAsync("bad.jsonl", Line(Header()).ToJsonString(), Line(Offer(2000, 190m)).ToJsonString(), bad.ToJsonString());

        var report = await kit.ImportAsync(path);

        Assert.Equal(ImportOutcome.Failed, report.Outcome);
        Assert.All(report.Errors, e => Assert.Equal(("bad.jsonl", 3), (Path.GetFileName(e.File), e.Line)));
        Assert.Contains(report.Errors, e => e.Field == field && e.Message.Contains(message, StringComparison.Ordinal));
        await using var db = kit.OpenDb();
        Assert.Equal(0, await db.Offers.CountAsync());   // the valid offer on line 2 is not applied either
        var run = await db.ImportRuns.SingleAsync();
        Assert.Equal(ImportRunStatus.Failed, run.Status);
        Assert.Contains("bad.jsonl:3: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_a_duplicate_id_and_a_missing_header_are_reported_the_same_way()
    {
        await using var kit = await StartAsync();
        var path = await kit.WriteLinesAsync("bad.jsonl",
            Line(Header()).ToJsonString(), Line(Offer(2000, 190m)).ToJsonString(), "{\"edbo_id\": 2001, \"university\": ", Line(Offer(2000, 150m)).ToJsonString());
        var noHeader = await kit.WriteLinesAsync("no-header.jsonl", Line(Offer(2000, 190m)).ToJsonString());

        var report = await kit.ImportAsync(path);
        var headless = await kit.ImportAsync(noHeader);

        Assert.Equal(ImportOutcome.Failed, report.Outcome);
        Assert.Equal([3, 4], report.Errors.Select(e => e.Line));
        Assert.Contains(report.Errors, e => e.Line == 4 && e.Field == "edbo_id");
        Assert.Equal(ImportOutcome.Failed, headless.Outcome);
        Assert.Contains(headless.Errors, e => e.Line == 1 && e.Message.Contains("header is missing", StringComparison.Ordinal));
        await using var db = kit.OpenDb();
        Assert.Equal(0, await db.Offers.CountAsync());
    }

    [Fact]
    public async Task Skip_invalid_applies_the_valid_offers_and_reports_the_rest()
    {
        await using var kit = await StartAsync();
        var bad = Line(Offer(2001, 180m));
        bad["applications"]![0]!["priority"] = 0;
        var path = await kit.WriteLinesAsync("mixed.jsonl", Line(Header()).ToJsonString(), Line(Offer(2000, 190m)).ToJsonString(), bad.ToJsonString());

        var report = await kit.ImportAsync(path, skipInvalid: true);

        Assert.Equal((ImportOutcome.Completed, 1, 1), (report.Outcome, report.Added, report.Invalid));
        Assert.Single(report.Errors);
        await using var db = kit.OpenDb();
        Assert.Equal([2000L], await db.Offers.Select(o => o.Id).ToListAsync());
    }

    [Fact]
    public async Task An_empty_file_and_a_truncated_gzip_fail_clearly_and_apply_nothing()
    {
        await using var kit = await StartAsync();
        var empty = await kit.WriteLinesAsync("empty.jsonl");
        var cut = await kit.TruncatedGzipAsync("cut.jsonl.gz", Header(), [.. Enumerable.Range(0, 40).Select(i => Offer(3000 + i, 190m, 180m, 170m, 160m))]);

        var emptyReport = await kit.ImportAsync(empty);
        var cutReport = await kit.ImportAsync(cut);

        Assert.Equal(ImportOutcome.Failed, emptyReport.Outcome);
        Assert.Equal(ImportOutcome.Failed, cutReport.Outcome);
        Assert.Contains("damaged or incomplete", cutReport.Message, StringComparison.Ordinal);
        await using var db = kit.OpenDb();
        Assert.Equal(0, await db.Offers.CountAsync());
        Assert.Equal(2, await db.ImportRuns.CountAsync(r => r.Status == ImportRunStatus.Failed));
    }

    [Fact]
    public async Task Reimporting_a_snapshot_touches_nothing_and_a_revision_only_its_changed_offers()
    {
        await using var kit = await StartAsync();
        var options = CampaignGeneratorOptions.For(CampaignPreset.Ci);
        var first = Path.Combine(kit.Directory, "r0.jsonl.gz");
        await CampaignGenerator.Generate(options).WriteAsync(first);
        var revision = CampaignGenerator.Generate(options with { Revision = 1, ChangedOffers = 6 });
        var second = Path.Combine(kit.Directory, "r1.jsonl.gz");
        await revision.WriteAsync(second);

        var initial = await kit.ImportAsync(first);
        Dictionary<long, DateTime> stamps;
        await using (var db = kit.OpenDb())
        {
            stamps = await db.Offers.ToDictionaryAsync(o => o.Id, o => o.UpdatedAt);
        }

        var again = await kit.ImportAsync(first);
        var changed = await kit.ImportAsync(second);

        Assert.Equal((ImportOutcome.Completed, 50, 0), (initial.Outcome, initial.Added, initial.Unchanged));
        Assert.Equal((0, 0, 50), (again.Added, again.Changed, again.Unchanged));
        Assert.Equal((0, 6, 44), (changed.Added, changed.Changed, changed.Unchanged));
        Assert.Equal(revision.ChangedOfferIds.Order(), changed.ChangedOffers.Order());
        await using var check = kit.OpenDb();
        var now = await check.Offers.ToDictionaryAsync(o => o.Id, o => o.UpdatedAt);
        Assert.Equal(revision.ChangedOfferIds.Order(), now.Where(p => p.Value != stamps[p.Key]).Select(p => p.Key).Order());
        // History: a snapshot row per offer for the first run, and one more for each changed offer.
        Assert.Equal(50 + 6, await check.OfferSnapshots.CountAsync());
        var runs = await check.ImportRuns.OrderBy(r => r.Id).Select(r => r.Id).ToListAsync();
        Assert.Equal(revision.ChangedOfferIds.Order(), await check.OfferSnapshots.Where(s => s.ImportRunId == runs[2]).Select(s => s.OfferId).OrderBy(id => id).ToListAsync());
    }

    [Fact]
    public async Task A_snapshot_row_carries_the_cut_off_by_the_one_rule_and_analytics_are_computed()
    {
        await using var kit = await StartAsync();
        // Budget 3 with one quota-1 place and no quota applicant: the unfilled quota seat passes on, so 3 general seats;
        // active budget scores 195, 190, 180, 170 → the third is 180. The cancelled 200 does not compete.
        var offer = Offer(4000, 195m, 190m, 180m, 170m) with
        {
            Applications =
            [
                .. Offer(4000, 195m, 190m, 180m, 170m).Applications,
                new SnapshotApplication(5, "Коваль Марія Іванівна", 200m, 1, "Скасовано вступником", QuotaKind.None),
            ],
        };
        var report = await kit.ImportAsync(await kit.WriteAsync("one.jsonl", Header(), offer));

        Assert.Equal(ImportOutcome.Completed, report.Outcome);
        await using var db = kit.OpenDb();
        var snapshot = await db.OfferSnapshots.SingleAsync();
        Assert.Equal((180m, 4, 4), (snapshot.CutOff, snapshot.ActiveApplications, snapshot.ActiveBudgetApplications));
        var analytics = await db.OfferAnalytics.SingleAsync();
        Assert.Equal((5, 4), (analytics.ApplicationsTotal, analytics.ApplicationsBudget));
        Assert.Equal(183.75m, analytics.AvgScore);   // (195 + 190 + 180 + 170) / 4
        // Names are stored as initials only.
        Assert.Equal(["Коваль М. І.", "Шевченко А. П."], await db.Applicants.Select(a => a.FullName).Distinct().OrderBy(n => n).ToListAsync());
    }

    [Fact]
    public async Task An_older_snapshot_is_refused_unless_forced()
    {
        await using var kit = await StartAsync();
        var noon = new DateTimeOffset(2026, 7, 20, 12, 0, 0, TimeSpan.FromHours(3));
        await kit.ImportAsync(await kit.WriteAsync("new.jsonl", Header(noon), Offer(5000, 190m)));
        var older = await kit.WriteAsync("old.jsonl", Header(noon.AddHours(-1)), Offer(5000, 150m));

        var refused = await kit.ImportAsync(older);
        var forced = await kit.ImportAsync(older, force: true);

        Assert.Equal(ImportOutcome.Refused, refused.Outcome);
        Assert.Contains("--force", refused.Message, StringComparison.Ordinal);
        Assert.Equal((ImportOutcome.Completed, 1), (forced.Outcome, forced.Changed));
    }

    [Fact]
    public async Task A_full_snapshot_withdraws_missing_offers_but_not_more_than_a_tenth_unless_allowed()
    {
        await using var kit = await StartAsync();
        var offers = Enumerable.Range(0, 20).Select(i => Offer(6000 + i, 190m - i)).ToArray();
        var takenAt = new DateTimeOffset(2026, 7, 20, 12, 0, 0, TimeSpan.Zero);
        await kit.ImportAsync(await kit.WriteAsync("all.jsonl", Header(takenAt), offers));

        // 2 of 20 missing (10 %): allowed. A partial snapshot (full = false) withdraws nothing.
        var partial = await kit.ImportAsync(await kit.WriteAsync("partial.jsonl", Header(takenAt.AddHours(1), full: false), offers[..5]));
        var twoGone = await kit.ImportAsync(await kit.WriteAsync("two-gone.jsonl", Header(takenAt.AddHours(2)), offers[2..]));
        // 15 of the remaining 18 missing: refused, then applied when allowed.
        var truncated = await kit.WriteAsync("truncated.jsonl", Header(takenAt.AddHours(3)), offers[2..5]);
        var refused = await kit.ImportAsync(truncated);
        var allowed = await kit.ImportAsync(truncated, allowVanish: true);

        Assert.Equal(0, partial.Withdrawn);
        Assert.Equal((ImportOutcome.Completed, 2), (twoGone.Outcome, twoGone.Withdrawn));
        Assert.Equal(ImportOutcome.Refused, refused.Outcome);
        Assert.Contains("would withdraw 15 of the 18", refused.Message, StringComparison.Ordinal);
        Assert.Equal((ImportOutcome.Completed, 15), (allowed.Outcome, allowed.Withdrawn));
        await using var db = kit.OpenDb();
        Assert.Equal(20, await db.Offers.CountAsync());   // never deleted
        Assert.Equal(17, await db.Offers.CountAsync(o => o.WithdrawnAt != null));
        Assert.Equal(17, await db.OfferSnapshots.CountAsync(s => s.Withdrawn));
        // An offer that comes back is no longer withdrawn.
        var back = await kit.ImportAsync(await kit.WriteAsync("back.jsonl", Header(takenAt.AddHours(4), full: false), offers[0]));
        Assert.Equal(1, back.Changed);
        Assert.Null((await db.Offers.AsNoTracking().SingleAsync(o => o.Id == 6000)).WithdrawnAt);
    }

    [Fact]
    public async Task A_second_import_while_one_holds_the_lock_is_refused_and_changes_nothing()
    {
        await using var kit = await StartAsync();
        await using var other = new NpgsqlConnection(kit.ConnectionString);
        await other.OpenAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", other))
        {
            take.Parameters.AddWithValue("key", PostgresImportWriter.ImportLockKey);
            await take.ExecuteScalarAsync();
        }

        var report = await kit.ImportAsync(await kit.WriteAsync("one.jsonl", Header(), Offer(7000, 190m)));

        Assert.Equal(ImportOutcome.Refused, report.Outcome);
        Assert.Contains("another import is running", report.Message, StringComparison.Ordinal);
        await using var db = kit.OpenDb();
        Assert.Equal(0, await db.Offers.CountAsync());
    }

    [Fact]
    public async Task A_database_failure_half_way_keeps_what_was_committed_and_a_rerun_completes_it()
    {
        await using var kit = await StartAsync();
        await using (var db = kit.OpenDb())
        {
            // Stands in for the database failing in the middle of the run: the seventh offer cannot be written.
            await db.Database.ExecuteSqlRawAsync("""
                CREATE FUNCTION fail_offer() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
                  IF NEW.id = 8006 THEN RAISE EXCEPTION 'disk full (simulated)'; END IF; RETURN NEW; END $$;
                CREATE TRIGGER fail_offer BEFORE INSERT ON offers FOR EACH ROW EXECUTE FUNCTION fail_offer();
                """);
        }

        var path = await kit.WriteAsync("ten.jsonl", Header(), [.. Enumerable.Range(0, 10).Select(i => Offer(8000 + i, 190m, 180m))]);
        var failed = await kit.ImportAsync(path);
        await using (var db = kit.OpenDb())
        {
            Assert.Equal(ImportOutcome.Failed, failed.Outcome);
            Assert.Equal(6, failed.Added);
            Assert.Contains("disk full", failed.Message, StringComparison.Ordinal);
            Assert.Equal(6, await db.Offers.CountAsync());
            Assert.Equal(12, await db.Applicants.CountAsync());   // whole offers only
            var run = await db.ImportRuns.SingleAsync();
            Assert.Equal((ImportRunStatus.Failed, 6), (run.Status, run.OffersAdded));
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER fail_offer ON offers");
        }

        var rerun = await kit.ImportAsync(path);

        Assert.Equal((ImportOutcome.Completed, 4, 6), (rerun.Outcome, rerun.Added, rerun.Unchanged));
    }

    [Fact]
    public async Task A_reader_sees_an_offers_old_list_or_its_new_list_never_a_mix()
    {
        await using var kit = await StartAsync();
        var old = Enumerable.Range(0, 30).Select(i => Offer(9000 + i, [.. Enumerable.Range(0, 200).Select(j => 100m + (j / 4m))])).ToArray();
        var takenAt = new DateTimeOffset(2026, 7, 20, 12, 0, 0, TimeSpan.Zero);
        await kit.ImportAsync(await kit.WriteAsync("old.jsonl", Header(takenAt), old));
        // The new lists are all 150.000: any row count other than 200 (old) or 300 (new), or a mix of scores, is a torn read.
        var fresh = Enumerable.Range(0, 30).Select(i => Offer(9000 + i, [.. Enumerable.Repeat(150m, 300)])).ToArray();
        var path = await kit.WriteAsync("new.jsonl", Header(takenAt.AddHours(1)), fresh);

        var torn = new List<string>();
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            await using var db = kit.OpenDb();
            var reads = 0;
            while (!stop.IsCancellationRequested || reads < 20)
            {
                foreach (var id in new[] { 9000L, 9015, 9029 })
                {
                    var scores = await db.Applicants.AsNoTracking().Where(a => a.OfferId == id).Select(a => a.Score).ToListAsync();
                    var isOld = scores.Count == 200 && scores.Distinct().Count() == 200;
                    var isNew = scores.Count == 300 && scores.All(s => s == 150m);
                    if (!isOld && !isNew)
                    {
                        torn.Add($"offer {id}: {scores.Count} rows");
                    }
                }

                reads++;
            }

            return reads;
        });

        var report = await kit.ImportAsync(path);
        await stop.CancelAsync();
        var reads = await reader;

        Assert.Equal(30, report.Changed);
        Assert.Empty(torn);
        Assert.True(reads >= 20);
    }

    [Fact]
    public async Task An_http_source_is_spooled_with_a_bearer_secret_and_a_conditional_request_then_a_500_fails_cleanly()
    {
        await using var kit = await StartAsync();
        var body = await File.ReadAllBytesAsync(await kit.WriteAsync("served.jsonl", Header(), Offer(9500, 190m)));
        var seen = new List<(string? Authorization, string? IfNoneMatch)>();
        var fail = false;
        await using var server = await HttpSource.StartAsync(async context =>
        {
            lock (seen)
            {
                seen.Add((context.Request.Headers.Authorization, context.Request.Headers.IfNoneMatch));
            }

            if (fail)
            {
                context.Response.StatusCode = 500;
                return;
            }

            if (context.Request.Headers.IfNoneMatch == "\"v1\"")
            {
                context.Response.StatusCode = 304;
                return;
            }

            context.Response.Headers.ETag = "\"v1\"";
            await context.Response.Body.WriteAsync(body);
        });
        await using var secured = await StartWithSecretAsync(kit);

        var first = await secured.ImportAsync(server.Url);
        var second = await secured.ImportAsync(server.Url);
        fail = true;
        var third = await secured.ImportAsync(server.Url + "?other");

        Assert.Equal((ImportOutcome.Completed, 1), (first.Outcome, first.Added));
        Assert.Equal(ImportOutcome.NotModified, second.Outcome);
        Assert.Equal(ImportOutcome.Failed, third.Outcome);
        Assert.Contains("HTTP 500", third.Message, StringComparison.Ordinal);
        Assert.All(seen, s => Assert.Equal("Bearer s3cret-token", s.Authorization));
        Assert.Equal([null, "\"v1\"", null], seen.Select(s => s.IfNoneMatch));
        Assert.Empty(Directory.EnumerateFiles(Path.GetTempPath(), "abitly-import-*.jsonl"));   // the spool is deleted
    }

    private static Task<ImportTestKit> StartWithSecretAsync(ImportTestKit kit) => kit.WithSettingsAsync(s => s with { ImportBearerToken = "s3cret-token", ImportTimeoutSeconds = 10 });

    /// <summary>A tiny web server on loopback serving one handler.</summary>
    private sealed class HttpSource : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private HttpSource(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public static async Task<HttpSource> StartAsync(RequestDelegate handler)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.Run(handler);
            await app.StartAsync();
            var address = app.Urls.First();
            return new HttpSource(app, address + "/snapshot.jsonl");
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}

/// <summary>The sandbox's SQLite file imports with the same semantics.</summary>
public sealed class SqliteImportTests
{
    [Fact]
    public async Task Import_reimport_revision_and_withdrawal_on_sqlite()
    {
        await using var kit = await StartAsync(DatabaseProvider.Sqlite);
        var options = CampaignGeneratorOptions.For(CampaignPreset.Ci);
        var first = Path.Combine(kit.Directory, "r0.jsonl.gz");
        await CampaignGenerator.Generate(options).WriteAsync(first);
        var revision = CampaignGenerator.Generate(options with { Revision = 1, ChangedOffers = 4 });
        var second = Path.Combine(kit.Directory, "r1.jsonl.gz");
        await revision.WriteAsync(second);

        var initial = await kit.ImportAsync(first);
        var again = await kit.ImportAsync(first);
        var changed = await kit.ImportAsync(second);
        var offers = revision.Offers().ToArray();
        var fewer = await kit.ImportAsync(await kit.WriteAsync("fewer.jsonl", revision.Header with { TakenAt = revision.Header.TakenAt.AddHours(1) }, offers[2..]));

        Assert.Equal((ImportOutcome.Completed, 50), (initial.Outcome, initial.Added));
        Assert.Equal(50, again.Unchanged);
        Assert.Equal((4, 46), (changed.Changed, changed.Unchanged));
        Assert.Equal((ImportOutcome.Completed, 2), (fewer.Outcome, fewer.Withdrawn));
        await using var db = kit.OpenDb();
        Assert.Equal(revision.ApplicationCount, await db.Applicants.CountAsync());   // withdrawn offers keep their lists
        Assert.Equal(2, await db.Offers.CountAsync(o => o.WithdrawnAt != null));
        // Scores compare numerically on SQLite too: the best score of an offer is its first position.
        var top = await db.Applicants.Where(a => a.OfferId == offers[5].EdboId).OrderByDescending(a => a.Score).Select(a => a.Position).FirstAsync();
        Assert.Equal(1, top);
    }
}
