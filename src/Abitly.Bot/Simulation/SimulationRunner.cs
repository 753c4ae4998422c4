using System.Diagnostics;
using Abitly.Bot.Data;
using Abitly.Bot.Data.Simulation;
using Abitly.Bot.Hosting;
using Abitly.Domain.Allocation;
using Microsoft.Extensions.Logging;

namespace Abitly.Bot.Simulation;

/// <summary>What one attempt at a simulation did.</summary>
public enum SimulationOutcome
{
    /// <summary>Finished with results the bot shows.</summary>
    Shown,
    /// <summary>Finished without results: persons could not be matched reliably.</summary>
    NotShown,
    /// <summary>Failed; the error is recorded on the run.</summary>
    Failed,
    /// <summary>A newer import run changed the lists first; that one is simulated instead.</summary>
    Superseded,
    /// <summary>An import was writing: the claim was given back for the next attempt.</summary>
    Deferred,
    /// <summary>The claim lapsed and another instance took it over; nothing was written.</summary>
    ClaimLost,
}

/// <summary>One attempt's outcome and figures, with the time of each phase (for the log and the benchmark).</summary>
public sealed record SimulationReport(
    long? RunId,
    long ImportRunId,
    int CampaignYear,
    SimulationOutcome Outcome,
    double? MatchedShare,
    double? FormulaShare,
    int Persons,
    int Applications,
    int Rounds,
    int Placed,
    int PlacedFirstPriority,
    int SplitApplications,
    TimeSpan Load,
    TimeSpan Match,
    TimeSpan Allocate,
    TimeSpan Store,
    string? Error)
{
    /// <summary>The allocation engine alone, inside <see cref="Allocate"/> (which also matches seats to rows and places).</summary>
    public TimeSpan Engine { get; init; }
}

/// <summary>
/// Simulates the allocation over the newest imported lists, exactly once across processes (docs/allocation.md, "When it
/// runs"): finds the import runs that need it, claims one (a row per import run; a lease a crashed owner loses), reads
/// the lists from one snapshot, matches persons, allocates, and stores the results with the run's status in one
/// transaction. The Quartz job calls it after every import and once a minute to catch up; the sandbox and the
/// <c>simulate</c> command call it directly.
/// </summary>
public sealed partial class SimulationRunner(ISimulationStore store, InstanceIdentity instance, ILogger<SimulationRunner> logger)
{
    /// <summary>How long a claim holds: far above a national run (seconds), so only a dead owner loses it.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    /// <summary>Claims a run may have; a run whose owners keep dying (out of memory, say) is given up after this many.</summary>
    public const int MaxAttempts = 3;

    /// <summary>Finished runs kept per year; older ones and their results are deleted.</summary>
    public const int KeepRuns = 3;

    /// <summary>Simulates every import run that needs it; returns what each attempt did (empty when nothing was due).</summary>
    public async Task<IReadOnlyList<SimulationReport>> RunPendingAsync(CancellationToken ct)
    {
        var reports = new List<SimulationReport>();
        // A superseded candidate makes way for the newer run, which the next pass finds; anything else ends the work.
        for (var pass = 0; pass < 4; pass++)
        {
            var superseded = false;
            foreach (var candidate in await store.CandidatesAsync(ct))
            {
                if (await RunAsync(candidate, ct) is { } report)
                {
                    reports.Add(report);
                    superseded |= report.Outcome == SimulationOutcome.Superseded;
                }
            }

            if (!superseded)
            {
                break;
            }
        }

        return reports;
    }

    /// <summary>One candidate: null when another instance holds it.</summary>
    private async Task<SimulationReport?> RunAsync(SimulationCandidate candidate, CancellationToken ct)
    {
        var claim = await store.TryClaimAsync(candidate, instance.Name, Lease, ct);
        if (claim is null)
        {
            return null;
        }

        var total = Stopwatch.StartNew();
        var report = new SimulationReport(claim.RunId, claim.ImportRunId, claim.CampaignYear, SimulationOutcome.Failed, null, null, 0, 0, 0, 0, 0, 0,
            TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, null);
        if (claim.Attempts > MaxAttempts)
        {
            var error = $"given up after {MaxAttempts} attempts whose process stopped before finishing";
            await store.FinishAsync(claim, Summary(SimulationRunStatus.Failed, candidate, total, error: error), ct);
            LogGivenUp(claim.RunId, claim.ImportRunId, MaxAttempts);
            return report with { Error = error };
        }

        try
        {
            return await SimulateAsync(claim, candidate, report, total, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: give the claim back so whoever is alive need not wait for the lease.
            await store.ReleaseAsync(claim, CancellationToken.None);
            throw;
        }
        catch (Exception ex)
        {
            LogFailed(ex, claim.RunId, claim.ImportRunId);
            var error = ex.GetBaseException().Message;
            using var save = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await store.FinishAsync(claim, Summary(SimulationRunStatus.Failed, candidate, total, error: error), save.Token);
            return report with { Error = error };
        }
    }

    private async Task<SimulationReport> SimulateAsync(SimulationClaim claim, SimulationCandidate candidate, SimulationReport report, Stopwatch total, CancellationToken ct)
    {
        var phase = Stopwatch.StartNew();
        var input = new SimulationInput(claim.CampaignYear);
        var snapshot = await store.LoadAsync(input, ct);
        if (snapshot.ImportRunning || (snapshot.NewestRunId == claim.ImportRunId && await store.AnyFinishedAsync(snapshot.RunningImports, ct)))
        {
            // An import was writing (or finishing) as the lists were read: they may be half old, half new.
            await store.ReleaseAsync(claim, ct);
            LogDeferred(claim.RunId, claim.ImportRunId);
            return report with { Outcome = SimulationOutcome.Deferred, Load = phase.Elapsed };
        }

        if (snapshot.NewestRunId != claim.ImportRunId)
        {
            await store.FinishAsync(claim, Summary(SimulationRunStatus.Superseded, candidate, total), ct);
            LogSuperseded(claim.RunId, claim.ImportRunId, snapshot.NewestRunId);
            return report with { Outcome = SimulationOutcome.Superseded };
        }

        var load = phase.Elapsed;
        phase.Restart();
        var match = SimulationComputation.Match(input);
        var persons = match.Persons;
        var matchTime = phase.Elapsed;
        report = report with { Load = load, Match = matchTime, MatchedShare = persons.MatchedShare, FormulaShare = persons.FormulaShare, Persons = persons.PersonCount };
        if (!persons.IsReliable)
        {
            var reason = persons.MatchedShare < PersonMatching.MinMatchedShare ? SimulationHiddenReason.PersonsNotMatched : SimulationHiddenReason.FormulasUnknown;
            var finished = await store.FinishAsync(claim, Summary(SimulationRunStatus.NotShown, candidate, total, persons, reason: reason), ct);
            LogNotShown(claim.RunId, claim.ImportRunId, persons.MatchedShare, persons.FormulaShare, reason);
            await PruneAsync(claim, ct);
            return report with { Outcome = finished ? SimulationOutcome.NotShown : SimulationOutcome.ClaimLost };
        }

        phase.Restart();
        var results = SimulationComputation.Allocate(input, match);
        var allocate = phase.Elapsed;
        phase.Restart();
        var summary = Summary(SimulationRunStatus.Shown, candidate, total, persons) with
        {
            Persons = results.Persons,
            Applications = results.Applications.Length,
            Offers = results.Offers.Length,
            Rounds = results.Rounds,
            Placed = results.Placed,
            PlacedFirstPriority = results.PlacedFirstPriority,
            SplitApplications = results.SplitApplications,
        };
        var saved = await store.SaveResultsAsync(claim, summary, results, ct);
        var storeTime = phase.Elapsed;
        report = report with
        {
            Outcome = saved ? SimulationOutcome.Shown : SimulationOutcome.ClaimLost,
            Persons = results.Persons,
            Applications = results.Applications.Length,
            Rounds = results.Rounds,
            Placed = results.Placed,
            PlacedFirstPriority = results.PlacedFirstPriority,
            SplitApplications = results.SplitApplications,
            Allocate = allocate,
            Engine = results.Engine,
            Store = storeTime,
        };
        if (saved)
        {
            LogShown(claim.RunId, claim.ImportRunId, claim.CampaignYear, results.Applications.Length, results.Persons, results.Rounds, results.Placed,
                persons.MatchedShare, load.TotalSeconds, matchTime.TotalSeconds, allocate.TotalSeconds, storeTime.TotalSeconds);
            await PruneAsync(claim, ct);
        }
        else
        {
            LogClaimLost(claim.RunId, claim.ImportRunId);
        }

        return report;
    }

    private async Task PruneAsync(SimulationClaim claim, CancellationToken ct)
    {
        try
        {
            await store.PruneAsync(claim.CampaignYear, KeepRuns, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next run prunes again; results kept a little longer harm nobody.
            LogPruneFailed(ex, claim.CampaignYear);
        }
    }

    private static SimulationSummary Summary(SimulationRunStatus status, SimulationCandidate candidate, Stopwatch total, PersonMatchResult? persons = null,
        SimulationHiddenReason reason = SimulationHiddenReason.None, string? error = null) =>
        new(status, reason, candidate.TakenAt, persons?.MatchedShare, persons?.FormulaShare, persons?.PersonCount ?? 0, 0, 0, 0, 0, 0, 0, total.Elapsed.TotalSeconds, error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulation run {RunId} of import run {ImportRunId} ({Year}) shown: {Applications} applications of {Persons} persons, {Rounds} rounds, {Placed} placed, matched share {MatchedShare:P1}; load {Load:0.00} s, match {Match:0.00} s, allocate {Allocate:0.00} s, store {Store:0.00} s")]
    private partial void LogShown(long runId, long importRunId, int year, int applications, int persons, int rounds, int placed, double matchedShare, double load, double match, double allocate, double store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulation run {RunId} of import run {ImportRunId} is not shown ({Reason}): matched share {MatchedShare:P1}, formula share {FormulaShare:P1}")]
    private partial void LogNotShown(long runId, long importRunId, double matchedShare, double formulaShare, SimulationHiddenReason reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulation run {RunId} of import run {ImportRunId} deferred: an import was writing the lists")]
    private partial void LogDeferred(long runId, long importRunId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulation run {RunId} of import run {ImportRunId} superseded by import run {NewestRunId}")]
    private partial void LogSuperseded(long runId, long importRunId, long? newestRunId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulation run {RunId} of import run {ImportRunId}: the claim lapsed and was taken over; nothing written")]
    private partial void LogClaimLost(long runId, long importRunId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Simulation run {RunId} of import run {ImportRunId} failed")]
    private partial void LogFailed(Exception ex, long runId, long importRunId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Simulation run {RunId} of import run {ImportRunId} given up after {Attempts} attempts")]
    private partial void LogGivenUp(long runId, long importRunId, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning old simulation runs of {Year} failed")]
    private partial void LogPruneFailed(Exception ex, int year);
}
