using Abitly.Bot.Commands;
using Abitly.Bot.Data;
using Abitly.Bot.Import;
using Abitly.Bot.Simulation;
using Abitly.Bot.Tests.Import;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.Campaign;
using Abitly.Campaign.Generation;
using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Tests.Simulation;

/// <summary>The simulation after an import, against real PostgreSQL: once across instances, crash takeover, and results that obey the allocation's rules.</summary>
public sealed class SimulationTests
{
    [Fact]
    public async Task A_generated_campaign_is_simulated_once_by_two_instances_and_its_results_obey_the_allocation()
    {
        await using var kit = await ImportTestKit.StartAsync();
        await using var otherInstance = await kit.WithSettingsAsync(s => s);
        var file = Path.Combine(kit.Directory, "ci.jsonl.gz");
        await CampaignGenerator.Generate(CampaignGeneratorOptions.For(CampaignPreset.Ci) with { Year = TestServices.CampaignYear }).WriteAsync(file);
        var import = await kit.ImportAsync(file);
        Assert.Equal(ImportOutcome.Completed, import.Outcome);

        var attempts = await Task.WhenAll(kit.SimulateAsync(), otherInstance.SimulateAsync());

        var report = Assert.Single(attempts.SelectMany(a => a));
        Assert.Equal((SimulationOutcome.Shown, import.RunId), (report.Outcome, (long?)report.ImportRunId));
        Assert.Empty(await kit.SimulateAsync());   // nothing left to do: the catch-up finds the run simulated

        await using var db = kit.OpenDb();
        var run = await db.SimulationRuns.SingleAsync();
        Assert.Equal((SimulationRunStatus.Shown, import.RunId!.Value, 1.0), (run.Status, run.ImportRunId, run.MatchedShare));
        var offers = await db.Offers.Where(o => o.Year == TestServices.CampaignYear && o.WithdrawnAt == null).ToDictionaryAsync(o => o.Id);
        var simulatedOffers = await db.SimulationOffers.Where(o => o.RunId == run.Id).ToDictionaryAsync(o => o.OfferId);
        Assert.Equal(offers.Keys.Order(), simulatedOffers.Keys.Order());
        var budget = await db.Applicants.Where(a => a.Priority >= 1 && a.Priority <= 5)
            .Select(a => new { a.OfferId, a.Position, a.Score, Priority = a.Priority!.Value, a.Status, a.Quota, a.PersonKey }).ToListAsync();
        var results = await db.SimulationApplications.Where(r => r.RunId == run.Id).ToListAsync();

        // Every active scored budget application is allocated, and each result is an application of the lists.
        Assert.Equal(budget.Count(a => a.Score is not null && ApplicationStatuses.IsActive(a.Status)), results.Count);
        var rows = results.Join(budget, r => (r.OfferId, r.Position), a => (a.OfferId, a.Position), (r, a) => (Result: r, Application: a)).ToList();
        Assert.Equal(results.Count, rows.Count);

        // A person holds at most one seat; an offer seats no more than its budget places, and says how many it seated.
        var held = rows.Where(x => x.Result.Outcome == SimulatedOutcome.RecommendedHere).ToList();
        Assert.All(held.GroupBy(x => x.Application.PersonKey), g => Assert.Single(g));
        foreach (var (id, simulated) in simulatedOffers)
        {
            var seated = held.Count(x => x.Application.OfferId == id);
            Assert.Equal(seated, simulated.Quota1Seated + simulated.Quota2Seated + simulated.GeneralSeated);
            Assert.True(seated <= (offers[id].BudgetPlaces ?? 0), $"offer {id} seats {seated} of {offers[id].BudgetPlaces}");
        }

        // Every other application of a placed person says where the seat is, and whether that priority is higher or lower.
        var seatOf = held.ToDictionary(x => x.Application.PersonKey!);
        foreach (var (result, application) in rows.Where(x => x.Result.Outcome != SimulatedOutcome.RecommendedHere))
        {
            if (seatOf.TryGetValue(application.PersonKey!, out var seat))
            {
                var expected = seat.Application.Priority < application.Priority ? SimulatedOutcome.HigherPriorityElsewhere : SimulatedOutcome.LowerPriorityElsewhere;
                Assert.Equal((expected, seat.Application.OfferId, (short?)seat.Application.Priority), (result.Outcome, result.HeldOfferId, result.HeldPriority));
            }
            else
            {
                Assert.Equal((SimulatedOutcome.NotRecommended, (long?)null), (result.Outcome, result.HeldOfferId));
            }
        }

        // Stability in the general competition: an application left out that its person would rather have (not placed,
        // or placed at a lower priority) faces an offer whose general seats are all taken by scores at least as high.
        foreach (var (result, application) in rows.Where(x => x.Application.Quota == QuotaKind.None
            && x.Result.Outcome is SimulatedOutcome.NotRecommended or SimulatedOutcome.LowerPriorityElsewhere))
        {
            var cutOff = simulatedOffers[result.OfferId].CutOff;
            Assert.True(cutOff is { } c && application.Score <= c, $"offer {result.OfferId}: {application.Score} left out, cut-off {cutOff}");
        }
    }

    [Fact]
    public async Task The_simulate_command_prints_each_attempt_with_its_figures_and_then_that_nothing_is_due()
    {
        await using var kit = await ImportTestKit.StartAsync();
        var import = await kit.ImportAsync(await kit.WriteAsync("a.jsonl", ImportTestKit.Header(), ImportTestKit.Offer(7001, 190m, 180m, 170m, 160m)));
        var settings = BotTestHost.DefaultSettings("http://127.0.0.1:1", kit.ConnectionString) with { RedisConfiguration = "" };

        // Four persons (one key each) at priorities 1–4 on one list of 3 budget places, none on the quota: 190, 180 and 170
        // are placed, one of the three at priority 1 → 33.3 %.
        using var output = new StringWriter();
        using var errors = new StringWriter();
        Assert.Equal(0, await ImportCommands.SimulateAsync(settings, output, errors, CancellationToken.None));
        Assert.Contains($"of import run {import.RunId} ({TestServices.CampaignYear}) shown: matched share 100.0 %, 4 persons, 4 applications,", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("3 placed (33.3 % at priority 1)", output.ToString(), StringComparison.Ordinal);
        Assert.Equal("", errors.ToString());

        using var again = new StringWriter();
        Assert.Equal(0, await ImportCommands.SimulateAsync(settings, again, errors, CancellationToken.None));
        Assert.StartsWith("No simulation is due", again.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crashed_owner_s_claim_is_taken_over_once_its_lease_lapses_and_given_up_after_three_attempts()
    {
        await using var kit = await ImportTestKit.StartAsync();
        var first = await kit.ImportAsync(await kit.WriteAsync("a.jsonl", ImportTestKit.Header(), ImportTestKit.Offer(7001, 190m, 180m, 170m, 160m)));
        var now = DateTime.UtcNow;
        await using (var db = kit.OpenDb())
        {
            // Another instance claimed it and is (as far as anyone knows) still working on it.
            db.SimulationRuns.Add(new SimulationRun
            {
                ImportRunId = first.RunId!.Value,
                CampaignYear = TestServices.CampaignYear,
                Status = SimulationRunStatus.Running,
                Owner = "host-that-died",
                LeaseUntil = now.AddMinutes(5),
                Attempts = 1,
                StartedAt = now,
            });
            await db.SaveChangesAsync();
        }

        Assert.Empty(await kit.SimulateAsync());

        await using (var db = kit.OpenDb())
        {
            await db.SimulationRuns.ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseUntil, now.AddSeconds(-1)));
        }

        var takeover = Assert.Single(await kit.SimulateAsync());
        Assert.Equal(SimulationOutcome.Shown, takeover.Outcome);
        await using (var db = kit.OpenDb())
        {
            var run = await db.SimulationRuns.SingleAsync();
            Assert.Equal((SimulationRunStatus.Shown, 2), (run.Status, run.Attempts));
            Assert.Null(run.LeaseUntil);
            Assert.Equal(4, await db.SimulationApplications.CountAsync(a => a.RunId == run.Id));
        }

        // A later import whose simulation killed its process three times (the third claim's lease has lapsed too).
        var second = await kit.ImportAsync(await kit.WriteAsync("b.jsonl", ImportTestKit.Header(new DateTimeOffset(2026, 7, 20, 14, 0, 0, TimeSpan.FromHours(3))),
            ImportTestKit.Offer(7001, 191m, 180m, 170m, 160m)));
        await using (var db = kit.OpenDb())
        {
            db.SimulationRuns.Add(new SimulationRun
            {
                ImportRunId = second.RunId!.Value,
                CampaignYear = TestServices.CampaignYear,
                Status = SimulationRunStatus.Running,
                Owner = "host-that-died",
                LeaseUntil = now.AddSeconds(-1),
                Attempts = SimulationRunner.MaxAttempts,
                StartedAt = now,
            });
            await db.SaveChangesAsync();
        }

        var givenUp = Assert.Single(await kit.SimulateAsync());
        Assert.Equal(SimulationOutcome.Failed, givenUp.Outcome);
        await using (var db = kit.OpenDb())
        {
            var run = await db.SimulationRuns.SingleAsync(r => r.ImportRunId == second.RunId);
            Assert.Equal(SimulationRunStatus.Failed, run.Status);
            Assert.Contains("given up", run.Error, StringComparison.Ordinal);
        }

        Assert.Empty(await kit.SimulateAsync());   // a failed run is not retried
    }
}
