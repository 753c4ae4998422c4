using Abitly.Campaign;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Data;

/// <summary>What the importer needs to know of a stored offer: its content hash and whether it is withdrawn.</summary>
public sealed record StoredOfferState(string? ContentHash, bool Withdrawn);

/// <summary><c>import_runs</c>, and the reference data and offer states an import reads before it writes.</summary>
public sealed class ImportRunStore(AbitlyDbContext db, TimeProvider time)
{
    /// <summary>Records a new run as running.</summary>
    public async Task<ImportRun> StartAsync(string source, string trigger, CancellationToken ct)
    {
        var run = new ImportRun { Source = source.Length > 1000 ? source[..1000] : source, Trigger = trigger, StartedAt = time.GetUtcNow().UtcDateTime, Status = ImportRunStatus.Running };
        db.ImportRuns.Add(run);
        await db.SaveChangesAsync(ct);
        return run;
    }

    /// <summary>Saves the run's counts and status; <paramref name="finished"/> stamps its end.</summary>
    public async Task SaveAsync(ImportRun run, bool finished, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (finished)
        {
            run.FinishedAt = time.GetUtcNow().UtcDateTime;
        }

        if (run.Error is { Length: > 4000 } error)
        {
            run.Error = error[..3999] + "…";
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>Runs left "running" by a process that died: called while holding the import lock, so none of them is alive.</summary>
    public Task<int> MarkInterruptedAsync(long exceptRunId, CancellationToken ct) =>
        db.ImportRuns.Where(r => r.Status == ImportRunStatus.Running && r.Id != exceptRunId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ImportRunStatus.Failed).SetProperty(r => r.Error, "interrupted: the importing process stopped"), ct);

    /// <summary>The newest taken_at of a run that applied anything for <paramref name="year"/> (completed, or failed half-way).</summary>
    public async Task<DateTime?> LastAppliedTakenAtAsync(int year, CancellationToken ct) =>
        await db.ImportRuns.AsNoTracking()
            .Where(r => r.CampaignYear == year && (r.Status == ImportRunStatus.Completed || (r.Status == ImportRunStatus.Failed && r.OffersAdded + r.OffersChanged + r.OffersWithdrawn > 0)))
            .MaxAsync(r => r.TakenAt, ct);

    /// <summary>The HTTP validators the last successful run of <paramref name="source"/> saw, for a conditional request.</summary>
    public async Task<(string? ETag, string? LastModified)> ValidatorsAsync(string source, CancellationToken ct)
    {
        var last = await db.ImportRuns.AsNoTracking()
            .Where(r => r.Source == source && (r.Status == ImportRunStatus.Completed || r.Status == ImportRunStatus.NotModified) && (r.ETag != null || r.LastModified != null))
            .OrderByDescending(r => r.Id)
            .FirstOrDefaultAsync(ct);
        return (last?.ETag, last?.LastModified);
    }

    /// <summary>The newest runs, newest first.</summary>
    public Task<List<ImportRun>> RecentAsync(int count, CancellationToken ct) =>
        db.ImportRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(count).ToListAsync(ct);

    /// <summary>The newest completed run of a year: the data version readers use.</summary>
    public Task<ImportRun?> LatestCompletedAsync(int year, CancellationToken ct) =>
        db.ImportRuns.AsNoTracking().Where(r => r.CampaignYear == year && r.Status == ImportRunStatus.Completed)
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);

    /// <summary>Every stored offer's state, by EDBO id (offer ids differ between years, so one map serves every year).</summary>
    public Task<Dictionary<long, StoredOfferState>> OfferStatesAsync(CancellationToken ct) =>
        db.Offers.AsNoTracking().ToDictionaryAsync(o => o.Id, o => new StoredOfferState(o.ContentHash, o.WithdrawnAt != null), ct);

    /// <summary>The ids of a year's offers that are not withdrawn.</summary>
    public Task<List<long>> ActiveOfferIdsAsync(int year, CancellationToken ct) =>
        db.Offers.AsNoTracking().Where(o => o.Year == year && o.WithdrawnAt == null).Select(o => o.Id).ToListAsync(ct);

    /// <summary>
    /// Universities matched by EDBO id when the source has one, else by exact name; specialities by code. New ones are
    /// created, renamed ones updated (DESIGN.md §9). Returns the stored ids by the snapshot's records.
    /// </summary>
    public async Task<(Dictionary<SnapshotUniversity, int> Universities, Dictionary<string, int> Specialities)> UpsertReferenceDataAsync(
        IReadOnlyCollection<SnapshotUniversity> universities, IReadOnlyCollection<SnapshotSpeciality> specialities, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(universities);
        ArgumentNullException.ThrowIfNull(specialities);
        var storedUniversities = await db.Universities.ToListAsync(ct);
        var byEdbo = storedUniversities.Where(u => u.EdboId is not null).ToDictionary(u => u.EdboId!.Value);
        var byName = storedUniversities.GroupBy(u => u.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var universityRows = new Dictionary<SnapshotUniversity, University>();
        foreach (var u in universities)
        {
            var row = u.EdboId is { } edbo && byEdbo.TryGetValue(edbo, out var known) ? known
                : byName.TryGetValue(u.Name, out var named) && (u.EdboId is null || named.EdboId is null) ? named
                : null;
            if (row is null)
            {
                row = new University { Name = u.Name, ShortName = u.Name, Region = u.Region };
                db.Universities.Add(row);
                byName[u.Name] = row;
            }

            row.EdboId ??= u.EdboId;
            row.Name = Shorten(u.Name, 300);
            row.ShortName = Shorten(u.ShortName ?? u.Name, 100);
            row.Region = Shorten(u.Region, 100);
            if (u.EdboId is { } id)
            {
                byEdbo[id] = row;
            }

            universityRows[u] = row;
        }

        var storedSpecialities = await db.Specialities.ToDictionaryAsync(s => s.Code, StringComparer.Ordinal, ct);
        foreach (var s in specialities)
        {
            if (!storedSpecialities.TryGetValue(s.Code, out var row))
            {
                row = new Speciality { Code = s.Code, Name = s.Name };
                db.Specialities.Add(row);
                storedSpecialities[s.Code] = row;
            }

            row.Name = Shorten(s.Name, 300);
        }

        await db.SaveChangesAsync(ct);
        return (universityRows.ToDictionary(p => p.Key, p => p.Value.Id), specialities.ToDictionary(s => s.Code, s => storedSpecialities[s.Code].Id, StringComparer.Ordinal));
    }

    private static string Shorten(string value, int max) => value.Length <= max ? value : value[..max];
}
