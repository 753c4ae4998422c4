using System.Diagnostics;
using System.Threading.Channels;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Data.Import;
using Abitly.Campaign;
using Microsoft.Extensions.Logging;

namespace Abitly.Bot.Import;

/// <summary>What to import and how strictly.</summary>
/// <param name="Source">A snapshot file, a folder of them, or an http(s) URL.</param>
/// <param name="Trigger">Who asked: "cli", "sync", "admin", "seed".</param>
/// <param name="SkipInvalid">Apply the valid offers of a file that has invalid ones (and report the rest).</param>
/// <param name="AllowVanish">Let a full snapshot withdraw more than 10 % of the year's offers.</param>
/// <param name="Force">Apply a snapshot older than the last one applied for its year.</param>
public sealed record ImportRequest(string Source, string Trigger, bool SkipInvalid = false, bool AllowVanish = false, bool Force = false);

/// <summary>How an import ended.</summary>
public enum ImportOutcome
{
    Completed,
    NotModified,
    Refused,
    Failed,
}

/// <summary>What an import did, for the operator (command line, admin chat) and for what follows a run (alerts, simulation).</summary>
public sealed record ImportReport(
    ImportOutcome Outcome,
    long? RunId,
    int Added,
    int Changed,
    int Unchanged,
    int Withdrawn,
    int Invalid,
    IReadOnlyList<SnapshotError> Errors,
    string? Message,
    TimeSpan Elapsed,
    IReadOnlyList<long> ChangedOffers)
{
    /// <summary>Errors beyond this many are counted, not kept.</summary>
    public const int MaxErrors = 100;
}

/// <summary>Learns of every completed import run that changed something (tracked-offer alerts, the allocation simulation).</summary>
public interface IImportRunObserver
{
    Task RunCompletedAsync(long runId, int campaignYear, IReadOnlyList<long> changedOffers, CancellationToken ct);
}

/// <summary>
/// Imports one campaign snapshot (docs/import-format.md): a validation pass over the whole input first, so that by
/// default nothing of an input with an invalid record is applied; then the apply pass, one transaction per changed offer
/// (an unchanged offer, by content hash, is not touched); then, for a full snapshot, the withdrawal of the year's offers
/// it no longer lists, guarded against a truncated feed. Every import is an <c>import_runs</c> row: the data version.
/// </summary>
public sealed partial class CampaignImporter(
    ImportRunStore runs,
    IImportWriterFactory writers,
    IHttpClientFactory httpClients,
    AbitlySettings settings,
    IEnumerable<IImportRunObserver> observers,
    TimeProvider time,
    ILogger<CampaignImporter> logger)
{
    /// <summary>The HTTP client of import sources (its own, with no logging that could show the bearer secret).</summary>
    public const string HttpClientName = "import";

    /// <summary>A full snapshot may withdraw at most this share of the year's offers unless told otherwise.</summary>
    public const double VanishLimit = 0.10;

    // A chunk of lists goes through COPY together; each offer still commits on its own.
    private const int ChunkApplications = 20_000;
    private const int ChunkOffers = 200;

    public async Task<ImportReport> ImportAsync(ImportRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var watch = Stopwatch.StartNew();
        await using var writer = await writers.OpenAsync(ct);
        var run = await runs.StartAsync(request.Source, request.Trigger, ct);
        var progress = new Progress();
        try
        {
            if (!await writer.TryLockAsync(ct))
            {
                return await EndAsync(run, ImportOutcome.Refused, "another import is running; this one waits for nothing and changes nothing — try again when it has finished", [], progress, watch);
            }

            await runs.MarkInterruptedAsync(run.Id, ct);
            ImportInput input;
            try
            {
                input = ImportInput.IsHttp(request.Source)
                    ? await ImportInput.FromHttpAsync(httpClients.CreateClient(HttpClientName), request.Source, settings, await runs.ValidatorsAsync(request.Source, ct), ct)
                    : ImportInput.FromPath(request.Source);
            }
            catch (ImportInputException ex)
            {
                return await EndAsync(run, ImportOutcome.Failed, ex.Message, [], progress, watch);
            }

            await using (input)
            {
                (run.ETag, run.LastModified) = (input.ETag, input.LastModified);
                if (input.NotModified)
                {
                    return await EndAsync(run, ImportOutcome.NotModified, "the source has not changed since the last import (HTTP 304)", [], progress, watch);
                }

                return await ImportFilesAsync(request, input.Files, run, writer, progress, watch, ct);
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested || ex is not OperationCanceledException)
        {
            LogFailed(ex, run.Id);
            return await EndAsync(run, ImportOutcome.Failed, $"failed after {progress.Added + progress.Changed} offers were applied: {ex.GetBaseException().Message}", [], progress, watch);
        }
    }

    private async Task<ImportReport> ImportFilesAsync(ImportRequest request, IReadOnlyList<string> files, ImportRun run, IImportWriter writer, Progress progress, Stopwatch watch, CancellationToken ct)
    {
        var phase = Stopwatch.StartNew();
        var scan = await SnapshotScan.ReadAsync(files, ct);
        progress.ScanSeconds = phase.Elapsed.TotalSeconds;
        if (scan.Header is { } header)
        {
            (run.CampaignYear, run.TakenAt, run.Full) = (header.CampaignYear, header.TakenAt.UtcDateTime, header.Full);
        }

        progress.Invalid = scan.InvalidOffers;
        if (scan.Header is null || scan.FatalErrors > 0 || (scan.Errors.Count > 0 && !request.SkipInvalid))
        {
            var why = scan.Header is null ? "no valid header, so nothing was applied"
                : scan.FatalErrors > 0 ? "the input is damaged or incomplete, so nothing was applied"
                : $"{scan.InvalidOffers} invalid offer line(s), so nothing was applied (--skip-invalid applies the valid offers and reports the rest)";
            return await EndAsync(run, ImportOutcome.Failed, why, scan.Errors, progress, watch);
        }

        var snapshot = scan.Header;
        if (!request.Force && await runs.LastAppliedTakenAtAsync(snapshot.CampaignYear, ct) is { } last && snapshot.TakenAt.UtcDateTime < last)
        {
            return await EndAsync(run, ImportOutcome.Refused,
                $"the snapshot was taken at {snapshot.TakenAt:u}, before the one already applied for {snapshot.CampaignYear} ({last:u}); --force applies it anyway",
                scan.Errors, progress, watch);
        }

        var active = snapshot.Full ? await runs.ActiveOfferIdsAsync(snapshot.CampaignYear, ct) : [];
        var vanishing = active.Count(id => !scan.Present.Contains(id));
        if (snapshot.Full && vanishing > 0 && vanishing > active.Count * VanishLimit && !request.AllowVanish)
        {
            return await EndAsync(run, ImportOutcome.Refused,
                $"this full snapshot would withdraw {vanishing} of the {active.Count} offers of {snapshot.CampaignYear} (more than {VanishLimit:P0}); a truncated feed must not withdraw the campaign — check it, or pass --allow-vanish",
                scan.Errors, progress, watch);
        }

        phase.Restart();
        var (universities, specialities) = await runs.UpsertReferenceDataAsync(scan.Universities, scan.Specialities, ct);
        var stored = await runs.OfferStatesAsync(ct);
        var toApply = new HashSet<long>();
        foreach (var (id, hash) in scan.Hashes)
        {
            if (stored.TryGetValue(id, out var state) && state.ContentHash == hash && !state.Withdrawn)
            {
                progress.Unchanged++;
            }
            else
            {
                toApply.Add(id);
            }
        }

        if (toApply.Count > 0)
        {
            // Reading and preparing (CPU here) overlaps writing (mostly PostgreSQL's work): a bounded hand-over of chunks.
            var chunks = Channel.CreateBounded<List<PreparedOffer>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
            var now = time.GetUtcNow().UtcDateTime;
            var takenAt = snapshot.TakenAt.UtcDateTime;
            var reading = Task.Run(() => PrepareChunksAsync(files, toApply, stored, scan.Hashes, snapshot.CampaignYear, universities, specialities, chunks.Writer, ct), ct);
            try
            {
                await foreach (var chunk in chunks.Reader.ReadAllAsync(ct))
                {
                    var writing = Stopwatch.StartNew();
                    await writer.ApplyAsync(chunk, run.Id, takenAt, now, progress.Applied, ct);
                    progress.WriteSeconds += writing.Elapsed.TotalSeconds;
                }
            }
            finally
            {
                // A writer failure must not leave the reader blocked on a full channel.
                chunks.Writer.TryComplete();
                await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await reading;
        }

        progress.ApplySeconds = phase.Elapsed.TotalSeconds;
        if (snapshot.Full)
        {
            var withdrawn = await writer.WithdrawMissingAsync(snapshot.CampaignYear, scan.Present, run.Id, snapshot.TakenAt.UtcDateTime, time.GetUtcNow().UtcDateTime, ct);
            progress.Withdrawn = withdrawn.Count;
            progress.ChangedOffers.AddRange(withdrawn);
        }

        var report = await EndAsync(run, ImportOutcome.Completed, scan.Errors.Count > 0 ? $"{scan.InvalidOffers} invalid offer line(s) skipped" : null, scan.Errors, progress, watch);
        if (progress.ChangedOffers.Count > 0)
        {
            foreach (var observer in observers)
            {
                await observer.RunCompletedAsync(run.Id, snapshot.CampaignYear, progress.ChangedOffers, ct);
            }
        }

        return report;
    }

    /// <summary>The apply pass's reader: the changed offers of every file, prepared, in chunks for one COPY each.</summary>
    private static async Task PrepareChunksAsync(
        IReadOnlyList<string> files,
        HashSet<long> toApply,
        Dictionary<long, StoredOfferState> stored,
        Dictionary<long, string> hashes,
        int year,
        Dictionary<SnapshotUniversity, int> universities,
        Dictionary<string, int> specialities,
        ChannelWriter<List<PreparedOffer>> chunks,
        CancellationToken ct)
    {
        var chunk = new List<PreparedOffer>();
        var applications = 0;
        try
        {
            foreach (var file in files)
            {
                await using var reader = await SnapshotReader.OpenAsync(file, ct);
                await foreach (var entry in reader.ReadOffersAsync(ct))
                {
                    if (!entry.IsValid || !toApply.Contains(entry.Offer!.EdboId))
                    {
                        continue;   // invalid ones were reported by the validation pass; unchanged ones are left alone
                    }

                    var offer = entry.Offer;
                    chunk.Add(PreparedOffer.From(offer, year, hashes[offer.EdboId], universities[offer.University], specialities[offer.Speciality.Code], isNew: !stored.ContainsKey(offer.EdboId)));
                    applications += offer.Applications.Count;
                    if (applications >= ChunkApplications || chunk.Count >= ChunkOffers)
                    {
                        await chunks.WriteAsync(chunk, ct);
                        (chunk, applications) = ([], 0);
                    }
                }
            }

            if (chunk.Count > 0)
            {
                await chunks.WriteAsync(chunk, ct);
            }

            chunks.TryComplete();
        }
        catch (Exception ex)
        {
            chunks.TryComplete(ex);
            throw;
        }
    }

    private async Task<ImportReport> EndAsync(ImportRun run, ImportOutcome outcome, string? message, IReadOnlyList<SnapshotError> errors, Progress progress, Stopwatch watch)
    {
        run.Status = outcome switch
        {
            ImportOutcome.Completed => ImportRunStatus.Completed,
            ImportOutcome.NotModified => ImportRunStatus.NotModified,
            ImportOutcome.Refused => ImportRunStatus.Refused,
            _ => ImportRunStatus.Failed,
        };
        (run.OffersAdded, run.OffersChanged, run.OffersUnchanged, run.OffersWithdrawn, run.OffersInvalid) =
            (progress.Added, progress.Changed, progress.Unchanged, progress.Withdrawn, progress.Invalid);
        run.Error = outcome == ImportOutcome.Completed && message is null ? null
            : string.Join(Environment.NewLine, new[] { message }.Concat(errors.Take(20).Select(e => e.ToString())).OfType<string>());
        try
        {
            // Not tied to the caller's token: the outcome is worth recording even while stopping.
            using var save = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await runs.SaveAsync(run, finished: true, save.Token);
        }
        catch (Exception ex)
        {
            // The database may be what failed; the next import marks this run interrupted.
            LogNotRecorded(ex, run.Id);
        }

        var report = new ImportReport(outcome, run.Id, progress.Added, progress.Changed, progress.Unchanged, progress.Withdrawn, progress.Invalid,
            errors, message, watch.Elapsed, progress.ChangedOffers);
        LogFinished(run.Id, outcome, progress.Added, progress.Changed, progress.Unchanged, progress.Withdrawn, progress.Invalid, watch.Elapsed.TotalSeconds, message);
        LogPhases(run.Id, progress.ScanSeconds, progress.ApplySeconds, progress.WriteSeconds);
        return report;
    }

    /// <summary>Counts as the apply pass goes; they survive a failure half-way.</summary>
    private sealed class Progress
    {
        public int Added { get; private set; }

        public int Changed { get; private set; }

        public int Unchanged { get; set; }

        public int Withdrawn { get; set; }

        public int Invalid { get; set; }

        public List<long> ChangedOffers { get; } = [];

        public double ScanSeconds { get; set; }

        public double ApplySeconds { get; set; }

        public double WriteSeconds { get; set; }

        public void Applied(PreparedOffer offer)
        {
            if (offer.IsNew)
            {
                Added++;
            }
            else
            {
                Changed++;
            }

            ChangedOffers.Add(offer.Offer.EdboId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Import run {RunId} failed")]
    private partial void LogFailed(Exception ex, long runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import run {RunId}: its outcome could not be recorded")]
    private partial void LogNotRecorded(Exception ex, long runId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Import run {RunId}: validation pass {Scan:0.00} s, apply pass {Apply:0.00} s of which writing {Write:0.00} s")]
    private partial void LogPhases(long runId, double scan, double apply, double write);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import run {RunId} {Outcome}: {Added} added, {Changed} changed, {Unchanged} unchanged, {Withdrawn} withdrawn, {Invalid} invalid in {Seconds:0.0} s{Note}")]
    private partial void LogFinished(long runId, ImportOutcome outcome, int added, int changed, int unchanged, int withdrawn, int invalid, double seconds, string? note);
}
