using Abitly.Bot.Simulation;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Data.Simulation;

/// <summary>An import run whose lists still need their simulation: the newest completed run of a year that changed anything.</summary>
public sealed record SimulationCandidate(long ImportRunId, int CampaignYear, DateTime? TakenAt);

/// <summary>A claimed simulation run: its row, its owner and how many claims it has had.</summary>
public sealed record SimulationClaim(long RunId, long ImportRunId, int CampaignYear, string Owner, int Attempts);

/// <summary>
/// What the loaded lists are a snapshot of: whether an import was writing when it was taken, the newest completed run
/// that changed anything (the data version the lists show), and the runs then still marked running (to check afterwards).
/// </summary>
public sealed record SimulationSnapshot(bool ImportRunning, long? NewestRunId, IReadOnlyList<long> RunningImports);

/// <summary>The figures a finished run records beside its results.</summary>
public sealed record SimulationSummary(
    SimulationRunStatus Status,
    SimulationHiddenReason HiddenReason,
    DateTime? TakenAt,
    double? MatchedShare,
    double? FormulaShare,
    int Persons,
    int Applications,
    int Offers,
    int Rounds,
    int Placed,
    int PlacedFirstPriority,
    int SplitApplications,
    double Seconds,
    string? Error);

/// <summary>
/// <c>simulation_runs</c> and its results. Claims, statuses and pruning are shared; reading the lists and writing the
/// results differ per provider (binary COPY on PostgreSQL, plain statements on SQLite).
/// </summary>
public interface ISimulationStore
{
    /// <summary>Import runs to simulate: per year, the newest completed run that changed anything, unless its simulation is finished or claimed.</summary>
    Task<IReadOnlyList<SimulationCandidate>> CandidatesAsync(CancellationToken ct);

    /// <summary>
    /// Claims the simulation of <paramref name="candidate"/> for <paramref name="owner"/> until the lease runs out: one
    /// row per import run, so of two instances only one gets it; a crashed owner's claim is taken over once it lapses.
    /// </summary>
    Task<SimulationClaim?> TryClaimAsync(SimulationCandidate candidate, string owner, TimeSpan lease, CancellationToken ct);

    /// <summary>Gives a claim back unfinished (an import is writing): the next attempt may take it at once.</summary>
    Task ReleaseAsync(SimulationClaim claim, CancellationToken ct);

    /// <summary>Finishes a claimed run without results (not shown, failed, superseded); false when the claim was lost.</summary>
    Task<bool> FinishAsync(SimulationClaim claim, SimulationSummary summary, CancellationToken ct);

    /// <summary>
    /// Reads the year's offers and budget applications into <paramref name="input"/> from one consistent snapshot of the
    /// database, and says what that snapshot shows of the imports.
    /// </summary>
    Task<SimulationSnapshot> LoadAsync(SimulationInput input, CancellationToken ct);

    /// <summary>Whether any of <paramref name="importRunIds"/> is no longer running: an import was finishing while the lists were read.</summary>
    Task<bool> AnyFinishedAsync(IReadOnlyList<long> importRunIds, CancellationToken ct);

    /// <summary>Writes the results and finishes the run as shown, in one transaction; false (nothing written) when the claim was lost.</summary>
    Task<bool> SaveResultsAsync(SimulationClaim claim, SimulationSummary summary, SimulationResults results, CancellationToken ct);

    /// <summary>Deletes the year's runs older than the newest <paramref name="keep"/> finished ones, with their results; returns the runs deleted.</summary>
    Task<int> PruneAsync(int campaignYear, int keep, CancellationToken ct);
}

/// <summary>What both providers share: the claim row and its statuses, in statements both engines run as written.</summary>
public abstract class SimulationStore(AbitlyDbContext db, TimeProvider time) : ISimulationStore
{
    protected AbitlyDbContext Db { get; } = db;

    protected TimeProvider Time { get; } = time;

    public async Task<IReadOnlyList<SimulationCandidate>> CandidatesAsync(CancellationToken ct)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        var newest = Db.ImportRuns
            .Where(r => r.Status == ImportRunStatus.Completed && r.CampaignYear != null && r.OffersAdded + r.OffersChanged + r.OffersWithdrawn > 0)
            .GroupBy(r => r.CampaignYear)
            .Select(g => g.Max(r => r.Id));
        return await Db.ImportRuns.AsNoTracking()
            .Where(r => newest.Contains(r.Id))
            .Where(r => !Db.SimulationRuns.Any(s => s.ImportRunId == r.Id && (s.Status != SimulationRunStatus.Running || s.LeaseUntil > now)))
            .OrderByDescending(r => r.CampaignYear)
            .Select(r => new SimulationCandidate(r.Id, r.CampaignYear!.Value, r.TakenAt))
            .ToListAsync(ct);
    }

    public async Task<SimulationClaim?> TryClaimAsync(SimulationCandidate candidate, string owner, TimeSpan lease, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var now = Time.GetUtcNow().UtcDateTime;
        // The unique import_run_id is the claim: the insert wins once; afterwards only a lapsed lease of an unfinished run
        // can be taken over, and the row lock makes two takers wait for each other and re-check.
        await using var command = await Db.CreateCommandAsync(
            """
            INSERT INTO simulation_runs (import_run_id, campaign_year, status, hidden_reason, owner, lease_until, attempts, started_at, taken_at,
                                         persons, applications, offers, rounds, placed, placed_first_priority, split_applications)
            VALUES (@run, @year, 0, 0, @owner, @lease, 1, @now, @taken, 0, 0, 0, 0, 0, 0, 0)
            ON CONFLICT (import_run_id) DO UPDATE
                SET owner = excluded.owner, lease_until = excluded.lease_until, started_at = excluded.started_at, attempts = simulation_runs.attempts + 1
                WHERE simulation_runs.status = 0 AND (simulation_runs.lease_until IS NULL OR simulation_runs.lease_until < excluded.started_at)
            RETURNING id, attempts
            """, ct);
        command.AddParameter("run", candidate.ImportRunId);
        command.AddParameter("year", candidate.CampaignYear);
        command.AddParameter("owner", owner);
        command.AddParameter("lease", now + lease);
        command.AddParameter("now", now);
        command.AddParameter("taken", candidate.TakenAt);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new SimulationClaim(reader.GetInt64(0), candidate.ImportRunId, candidate.CampaignYear, owner, reader.GetInt32(1))
            : null;
    }

    public Task ReleaseAsync(SimulationClaim claim, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return Owned(claim).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Owner, (string?)null)
            .SetProperty(r => r.LeaseUntil, (DateTime?)null)
            .SetProperty(r => r.Attempts, r => r.Attempts - 1), ct);
    }

    public async Task<bool> FinishAsync(SimulationClaim claim, SimulationSummary summary, CancellationToken ct) =>
        await Finish(claim, summary, ct) == 1;

    public abstract Task<SimulationSnapshot> LoadAsync(SimulationInput input, CancellationToken ct);

    public async Task<bool> AnyFinishedAsync(IReadOnlyList<long> importRunIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(importRunIds);
        return importRunIds.Count > 0
            && await Db.ImportRuns.AnyAsync(r => importRunIds.Contains(r.Id) && r.Status != ImportRunStatus.Running, ct);
    }

    public async Task<bool> SaveResultsAsync(SimulationClaim claim, SimulationSummary summary, SimulationResults results, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(results);
        await using var transaction = await Db.Database.BeginTransactionAsync(ct);
        // The status first: its row lock keeps a taker of a lapsed lease waiting until this commits, and then it finds
        // the run finished. Without the claim nothing is written.
        if (await Finish(claim, summary, ct) != 1)
        {
            await transaction.RollbackAsync(ct);
            return false;
        }

        await WriteResultsAsync(claim.RunId, results, ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>Writes the results in the context's current transaction.</summary>
    protected abstract Task WriteResultsAsync(long runId, SimulationResults results, CancellationToken ct);

    public async Task<int> PruneAsync(int campaignYear, int keep, CancellationToken ct)
    {
        var kept = await Db.SimulationRuns.AsNoTracking()
            .Where(r => r.CampaignYear == campaignYear && (r.Status == SimulationRunStatus.Shown || r.Status == SimulationRunStatus.NotShown))
            .OrderByDescending(r => r.Id).Take(keep).Select(r => r.Id).ToListAsync(ct);
        if (kept.Count < keep)
        {
            return 0;
        }

        var oldest = kept.Min();
        var doomed = await Db.SimulationRuns.AsNoTracking()
            .Where(r => r.CampaignYear == campaignYear && r.Id < oldest && r.Status != SimulationRunStatus.Running)
            .Select(r => r.Id).ToListAsync(ct);
        if (doomed.Count == 0)
        {
            return 0;
        }

        await Db.SimulationApplications.Where(a => doomed.Contains(a.RunId)).ExecuteDeleteAsync(ct);
        await Db.SimulationOffers.Where(o => doomed.Contains(o.RunId)).ExecuteDeleteAsync(ct);
        return await Db.SimulationRuns.Where(r => doomed.Contains(r.Id)).ExecuteDeleteAsync(ct);
    }

    private IQueryable<SimulationRun> Owned(SimulationClaim claim) =>
        Db.SimulationRuns.Where(r => r.Id == claim.RunId && r.Owner == claim.Owner && r.Status == SimulationRunStatus.Running);

    private Task<int> Finish(SimulationClaim claim, SimulationSummary summary, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(summary);
        var now = Time.GetUtcNow().UtcDateTime;
        var error = summary.Error is { Length: > 4000 } text ? text[..3999] + "…" : summary.Error;
        return Owned(claim).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, summary.Status)
            .SetProperty(r => r.HiddenReason, summary.HiddenReason)
            .SetProperty(r => r.FinishedAt, now)
            .SetProperty(r => r.LeaseUntil, (DateTime?)null)
            .SetProperty(r => r.TakenAt, summary.TakenAt)
            .SetProperty(r => r.MatchedShare, summary.MatchedShare)
            .SetProperty(r => r.FormulaShare, summary.FormulaShare)
            .SetProperty(r => r.Persons, summary.Persons)
            .SetProperty(r => r.Applications, summary.Applications)
            .SetProperty(r => r.Offers, summary.Offers)
            .SetProperty(r => r.Rounds, summary.Rounds)
            .SetProperty(r => r.Placed, summary.Placed)
            .SetProperty(r => r.PlacedFirstPriority, summary.PlacedFirstPriority)
            .SetProperty(r => r.SplitApplications, summary.SplitApplications)
            .SetProperty(r => r.Seconds, summary.Seconds)
            .SetProperty(r => r.Error, error), ct);
    }
}
