using Abitly.Campaign;

namespace Abitly.Bot.Import;

/// <summary>
/// The validation pass: reads every file of a snapshot whole, checks every rule, and keeps what the apply pass and the
/// guards need — the header, the offer ids present (valid or not: an invalid line is not a vanished offer), the reference
/// data, and the errors (the first <see cref="ImportReport.MaxErrors"/>).
/// </summary>
public sealed class SnapshotScan
{
    public SnapshotHeader? Header { get; private set; }

    public List<SnapshotError> Errors { get; } = [];

    /// <summary>Problems that make the input unusable whatever the options: a bad or missing header, files that disagree, a damaged or cut-off file.</summary>
    public int FatalErrors { get; private set; }

    public int ValidOffers { get; private set; }

    public int InvalidOffers { get; private set; }

    public HashSet<long> Present { get; } = [];

    /// <summary>The content hash of every valid offer, so the apply pass only reads what changed.</summary>
    public Dictionary<long, string> Hashes { get; } = [];

    public HashSet<SnapshotUniversity> Universities { get; } = [];

    public HashSet<SnapshotSpeciality> Specialities { get; } = [];

    public static async Task<SnapshotScan> ReadAsync(IReadOnlyList<string> files, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(files);
        var scan = new SnapshotScan();
        var seen = new Dictionary<long, string>();
        foreach (var file in files)
        {
            await using var reader = await SnapshotReader.OpenAsync(file, ct);
            var fileName = Path.GetFileName(file);
            if (reader.Header is not { } header)
            {
                scan.Fatal(reader.HeaderErrors.Count > 0 ? reader.HeaderErrors : [new SnapshotError(fileName, 1, "header", "the file has no header line")]);
            }
            else if (scan.Header is null)
            {
                scan.Header = header;
            }
            else if (header.CampaignYear != scan.Header.CampaignYear || header.TakenAt != scan.Header.TakenAt || header.Full != scan.Header.Full)
            {
                scan.Fatal([new SnapshotError(fileName, 1, "header", $"disagrees with {Path.GetFileName(files[0])}: every file of one snapshot needs the same campaign_year, taken_at and full")]);
            }

            await foreach (var entry in reader.ReadOffersAsync(ct))
            {
                if (entry.EdboId is { } id)
                {
                    if (seen.TryGetValue(id, out var firstFile) && firstFile != fileName)
                    {
                        scan.Invalid([new SnapshotError(fileName, entry.Line, "edbo_id", $"offer {id} is also in {firstFile}")]);
                        continue;
                    }

                    seen.TryAdd(id, fileName);
                    scan.Present.Add(id);
                }

                if (entry.IsValid)
                {
                    scan.ValidOffers++;
                    scan.Hashes[entry.Offer!.EdboId] = OfferContentHash.Compute(entry.Offer);
                    scan.Universities.Add(entry.Offer!.University);
                    scan.Specialities.Add(entry.Offer.Speciality);
                }
                else if (entry.Offer is null && entry.EdboId is null && entry.Errors.Count > 0 && !reader.IsComplete)
                {
                    scan.Fatal(entry.Errors);
                }
                else
                {
                    scan.Invalid(entry.Errors);
                }
            }

            if (!reader.IsComplete)
            {
                scan.Fatal([new SnapshotError(fileName, reader.Summary.Lines, "file", "the file ends early or is damaged; nothing of it can be trusted")]);
            }
        }

        return scan;
    }

    private void Invalid(IReadOnlyList<SnapshotError> errors)
    {
        InvalidOffers++;
        Keep(errors);
    }

    private void Fatal(IReadOnlyList<SnapshotError> errors)
    {
        FatalErrors++;
        Keep(errors);
    }

    private void Keep(IReadOnlyList<SnapshotError> errors)
    {
        foreach (var error in errors)
        {
            if (Errors.Count < ImportReport.MaxErrors)
            {
                Errors.Add(error);
            }
        }
    }
}
