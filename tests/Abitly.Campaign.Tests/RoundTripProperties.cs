using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Abitly.Campaign.Tests;

public class RoundTripProperties
{
    private static readonly SnapshotHeader Header = SnapshotHeader.Create(2026, new DateTimeOffset(2026, 7, 20, 12, 40, 0, TimeSpan.FromHours(3)), "property test", full: false);

    private static async Task<(SnapshotHeader? Header, List<SnapshotOfferEntry> Entries)> WriteAndReadAsync(SnapshotOffer[] offers, string name)
    {
        using var folder = new TempFolder();
        var path = folder.File(name);
        await SnapshotWriter.WriteAsync(path, Header, offers);
        await using var reader = await SnapshotReader.OpenAsync(path);
        var entries = new List<SnapshotOfferEntry>();
        await foreach (var entry in reader.ReadOffersAsync())
        {
            entries.Add(entry);
        }

        return (reader.Header, entries);
    }

    private static bool RoundTrips(SnapshotOffer[] offers, string name)
    {
        // Task.Run: the reader's awaits must not need xunit's synchronization context while this blocks.
        var (header, entries) = Task.Run(() => WriteAndReadAsync(offers, name)).GetAwaiter().GetResult();
        return header == Header
            && entries.Count == offers.Length
            && entries.All(e => e.IsValid)
            && entries.Select(e => e.Offer!).SequenceEqual(offers)
            && entries.Select(e => OfferContentHash.Compute(e.Offer!)).SequenceEqual(offers.Select(OfferContentHash.Compute));
    }

    [Property(MaxTest = 60)]
    public Property Generated_offers_are_valid() =>
        Prop.ForAll(OfferGenerators.Offers(), offers => offers.All(o => SnapshotValidator.Validate(o).Count == 0));

    [Property(MaxTest = 40)]
    public Property Writer_then_reader_gives_back_the_same_offers_plain() =>
        Prop.ForAll(OfferGenerators.Offers(), offers => RoundTrips(offers, "snapshot.jsonl"));

    [Property(MaxTest = 40)]
    public Property Writer_then_reader_gives_back_the_same_offers_gzip() =>
        Prop.ForAll(OfferGenerators.Offers(), offers => RoundTrips(offers, "snapshot.jsonl.gz"));
}
