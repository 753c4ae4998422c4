using System.Diagnostics;
using System.Globalization;
using Abitly.Campaign;
using Abitly.Campaign.Generation;

namespace Abitly.Bench;

/// <summary>
/// The campaign snapshot format: generating a preset, writing it plain and gzip, reading it back (throughput and the
/// heap while reading), hashing every offer, and a revision with 300 offers changed. Wall and CPU time are both
/// printed: on a shared machine the CPU time is the steadier figure.
/// </summary>
public static class CampaignSnapshotBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var preset = args.Length > 0 ? Enum.Parse<CampaignPreset>(args[0], ignoreCase: true) : CampaignPreset.Campaign;
        var folder = Directory.CreateTempSubdirectory("abitly-bench-campaign-");
        try
        {
            var options = CampaignGeneratorOptions.For(preset);
            var (campaign, generate) = Measure(() => CampaignGenerator.Generate(options));
            var budgetApplications = campaign.Persons.Sum(p => p.Applications.Count(a => a.Priority is not null));
            Console.WriteLine(Line($"{preset.ToString().ToLowerInvariant()}: {campaign.OfferCount:N0} offers, {campaign.ApplicationCount:N0} applications ({budgetApplications:N0} budget) of {campaign.Persons.Count:N0} persons"));
            Console.WriteLine(Line($"generate            {generate}"));

            foreach (var name in new[] { "snapshot.jsonl", "snapshot.jsonl.gz" })
            {
                var path = Path.Combine(folder.FullName, name);
                var (_, write) = await MeasureAsync(() => campaign.WriteAsync(path));
                var size = new FileInfo(path).Length;
                Console.WriteLine(Line($"write {name,-17} {write}, {size / 1e6:0.0} MB"));
            }

            var textBytes = new FileInfo(Path.Combine(folder.FullName, "snapshot.jsonl")).Length;
            foreach (var name in new[] { "snapshot.jsonl", "snapshot.jsonl.gz", "snapshot.jsonl", "snapshot.jsonl.gz" })
            {
                var path = Path.Combine(folder.FullName, name);
                var offers = 0;
                var (_, read) = await MeasureAsync(async () =>
                {
                    await using var reader = await SnapshotReader.OpenAsync(path);
                    await foreach (var entry in reader.ReadOffersAsync())
                    {
                        offers += entry.IsValid ? 1 : 0;
                    }

                    return 0;
                });
                Console.WriteLine(Line($"read {name,-18} {read}: {textBytes / 1e6 / read.Wall.TotalSeconds:0} MB/s of text ({textBytes / 1e6 / read.Cpu.TotalSeconds:0} per CPU second), {offers:N0} valid offers"));
            }

            // Live heap while reading: a full collection at the largest list so far and about 60 times along the file,
            // with the current offer still referenced.
            var every = Math.Max(25, campaign.OfferCount / 60);
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            long live = 0;
            var biggest = 0;
            var seen = 0;
            await using (var reader = await SnapshotReader.OpenAsync(Path.Combine(folder.FullName, "snapshot.jsonl.gz")))
            {
                await foreach (var entry in reader.ReadOffersAsync())
                {
                    biggest = Math.Max(biggest, entry.Offer!.Applications.Count);
                    if (++seen % every == 0 || entry.Offer.Applications.Count == biggest)
                    {
                        live = Math.Max(live, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                    }

                    GC.KeepAlive(entry);
                }
            }

            Console.WriteLine(Line($"live heap reading   {live / 1e6:0.0} MB at most above the generated campaign (largest list {biggest:N0} applications)"));

            var (hashes, hash) = Measure(() => campaign.Offers().Select(OfferContentHash.Compute).ToList());
            Console.WriteLine(Line($"hash every offer    {hash} (offers built from the model included)"));

            var changed = Math.Min(300, campaign.OfferCount);
            var (revision, revise) = Measure(() => CampaignGenerator.Generate(options with { Revision = 1, ChangedOffers = changed }));
            var differing = revision.Offers().Zip(hashes).Count(pair => OfferContentHash.Compute(pair.First) != pair.Second);
            Console.WriteLine(Line($"revision 1          {revise}: {differing:N0} offers with a new hash ({changed:N0} asked), {campaign.OfferCount - differing:N0} identical"));
            return differing == changed ? 0 : 1;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static (T Result, Timing Timing) Measure<T>(Func<T> action)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var result = action();
        return (result, new Timing(watch.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu));
    }

    private static async Task<(T Result, Timing Timing)> MeasureAsync<T>(Func<Task<T>> action)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var result = await action();
        return (result, new Timing(watch.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu));
    }

    private readonly record struct Timing(TimeSpan Wall, TimeSpan Cpu)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Wall.TotalSeconds:0.00} s wall, {Cpu.TotalSeconds:0.00} s CPU");
    }
}
