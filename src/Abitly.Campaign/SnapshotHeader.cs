namespace Abitly.Campaign;

/// <summary>The first line of a snapshot: which campaign it is, when it was taken, from where, and whether it lists every offer.</summary>
/// <param name="Format">Always <see cref="SnapshotFormat.Name"/>.</param>
/// <param name="Version">Always <see cref="SnapshotFormat.Version"/>.</param>
/// <param name="CampaignYear">The admission campaign the offers belong to (2000–2100).</param>
/// <param name="TakenAt">When the source data was taken, with its UTC offset as written in the file.</param>
/// <param name="Source">Who or what produced the data (free text, non-empty), e.g. "generator ci seed 1".</param>
/// <param name="Full">True: the file lists every offer of the year (missing ones are withdrawn); false: it only upserts the offers it lists.</param>
public sealed record SnapshotHeader(string Format, int Version, int CampaignYear, DateTimeOffset TakenAt, string Source, bool Full)
{
    /// <summary>A header of the current format and version.</summary>
    public static SnapshotHeader Create(int campaignYear, DateTimeOffset takenAt, string source, bool full) =>
        new(SnapshotFormat.Name, SnapshotFormat.Version, campaignYear, takenAt, source, full);
}
