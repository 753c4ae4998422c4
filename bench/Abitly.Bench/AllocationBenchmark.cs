using System.Diagnostics;
using System.Globalization;
using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;

namespace Abitly.Bench;

/// <summary>
/// BudgetAllocation.Allocate on a synthetic national-sized campaign built in memory (fixed seed): ~300,000 persons,
/// ~1,000,000 budget applications, 10,000 offers. One warm-up run, then timed runs: median and spread, memory,
/// rounds and the share placed at their first priority. Target: ≤ 1 s and ≤ 600 MB on 2 cores.
/// </summary>
internal static class AllocationBenchmark
{
    private const double TargetMilliseconds = 1000;
    private const long TargetBytes = 600L * 1024 * 1024;

    public static Task<int> RunAsync(string[] args)
    {
        var persons = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300_000;
        var offerCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var runs = args.Length > 2 ? Math.Max(5, int.Parse(args[2], CultureInfo.InvariantCulture)) : 7;
        var seed = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2025;

        var build = Stopwatch.StartNew();
        var campaign = SyntheticCampaign.Build(persons, offerCount, seed);
        var budget = campaign.Offers.Sum(o => (long)o.BudgetPlaces);
        var perOffer = campaign.Applications.CountBy(a => a.Offer).Select(g => g.Value).Order().ToArray();
        Console.WriteLine(
            $"built {persons:N0} persons, {campaign.Applications.Length:N0} budget applications, {offerCount:N0} offers " +
            $"({campaign.Offers.Count(o => o.BudgetPlaces == 0):N0} contract-only), {budget:N0} budget places " +
            $"({100.0 * budget / persons:0.0} % of persons); applications per offer: median {perOffer[perOffer.Length / 2]:N0}, " +
            $"max {perOffer[^1]:N0}; built in {build.Elapsed.TotalSeconds:0.0} s (seed {seed})");

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var inputHeap = GC.GetTotalMemory(forceFullCollection: true);
        var peakReset = ResetPeakWorkingSet();

        var warmUp = Stopwatch.StartNew();
        var result = BudgetAllocation.Allocate(campaign.Offers, campaign.Applications, campaign.TieRanks);
        Console.WriteLine($"warm-up: {warmUp.Elapsed.TotalMilliseconds:0} ms (JIT included)");

        var timings = new List<double>();
        long maxAllocated = 0, maxHeapAfter = 0;
        for (var run = 0; run < runs; run++)
        {
            result = null;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            result = BudgetAllocation.Allocate(campaign.Offers, campaign.Applications, campaign.TieRanks);
            timings.Add(watch.Elapsed.TotalMilliseconds);
            maxAllocated = Math.Max(maxAllocated, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
            maxHeapAfter = Math.Max(maxHeapAfter, GC.GetTotalMemory(forceFullCollection: false));
        }

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var peakWorkingSet = process.PeakWorkingSet64;

        var sorted = timings.Order().ToList();
        var median = sorted[sorted.Count / 2];
        Console.WriteLine(
            $"allocate ×{runs}: median {median:0} ms, min {sorted[0]:0} ms, max {sorted[^1]:0} ms, spread {sorted[^1] - sorted[0]:0} ms " +
            $"[{string.Join(", ", timings.Select(t => t.ToString("0", CultureInfo.InvariantCulture)))}] (target ≤ {TargetMilliseconds:0} ms)");
        Console.WriteLine(
            $"memory: input {Mb(inputHeap)} MB managed; one run allocates ≤ {Mb(maxAllocated)} MB; managed heap after a run ≤ {Mb(maxHeapAfter)} MB; " +
            $"peak working set {Mb(peakWorkingSet)} MB {(peakReset ? "(since the input was built)" : "(since process start: input building included)")} (target ≤ {Mb(TargetBytes)} MB)");

        BenchFigures.Report($"allocation.{persons}.median_ms", $"allocation engine, {persons:N0} persons, {offerCount:N0} offers: median of {runs}", median, "ms", Better.Lower,
            persons == 300_000 ? TargetMilliseconds : null);
        var placed = result!.PlacedPersons;
        var byPriority = result.PlacedByPriority;
        Console.WriteLine(
            $"outcome: {result.Rounds} rounds; {placed:N0} persons placed ({100.0 * placed / persons:0.0} % of persons); " +
            $"by priority {string.Join(" / ", byPriority.Select(n => n.ToString("N0", CultureInfo.InvariantCulture)))}; " +
            $"at priority 1: {Percent(byPriority[0], placed)}, within 1–3: {Percent(byPriority[0] + byPriority[1] + byPriority[2], placed)} of placed " +
            $"(2025 published: 85 % and 94 %)");
        var quota1 = result.Offers.Sum(o => o.Quota1Seated);
        var quota2 = result.Offers.Sum(o => o.Quota2Seated);
        var full = result.Offers.Count(o => o.GeneralCutOff is not null);
        Console.WriteLine($"seats: quota 1 {quota1:N0}, quota 2 {quota2:N0}, general {result.Offers.Sum(o => o.GeneralSeated):N0}; {full:N0} offers with all general seats filled (a cut-off)");

        var pass = median <= TargetMilliseconds && peakWorkingSet <= TargetBytes;
        return Task.FromResult(pass ? 0 : 1);
    }

    private static long Mb(long bytes) => bytes / (1024 * 1024);

    private static string Percent(int part, int whole) =>
        whole == 0 ? "—" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    /// <summary>Linux keeps the peak resident size since the last write of 5 to clear_refs; elsewhere the peak stays since start.</summary>
    private static bool ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A national-sized campaign that looks like the published one in the shapes that matter to the allocation.</summary>
    private sealed record SyntheticCampaign(AllocationOffer[] Offers, AllocationApplication[] Applications, int[] TieRanks)
    {
        /// <summary>Share of persons with 1, 2, 3, 4, 5 budget applications: about 3.35 each, so 300,000 persons make ~1,000,000.</summary>
        private static readonly double[] ApplicationCountShares = [0.15, 0.15, 0.20, 0.20, 0.30];

        public static SyntheticCampaign Build(int persons, int offerCount, int seed)
        {
            var random = new Random(seed);

            // Offers in order of prestige (0 = the most sought after). Budget places fall off like a power law with it
            // and sum to ~22 % of persons; one offer in ten is contract-only. Quotas: 10 % each of the budget places.
            var weights = Enumerable.Range(0, offerCount).Select(o => 1.0 / Math.Pow(o + 20, 0.55)).ToArray();
            var weightSum = weights.Sum();
            var totalBudget = persons * 0.22 / 0.9;
            var offers = new AllocationOffer[offerCount];
            var seatsUpTo = new double[offerCount];
            var seats = 0.0;
            for (var o = 0; o < offerCount; o++)
            {
                var budget = random.NextDouble() < 0.1 ? 0 : Math.Max(1, (int)Math.Round(totalBudget * weights[o] / weightSum));
                offers[o] = new AllocationOffer(1_000_000 + o, budget, budget / 10, budget / 10);
                seats += budget;
                seatsUpTo[o] = seats;
            }

            // A person's own level; each application adds a little spread (the subject weights differ per offer).
            var levels = new double[persons];
            for (var p = 0; p < persons; p++)
            {
                levels[p] = Math.Clamp(Normal(random, 162, 18), 100, 200);
            }

            var ascending = (double[])levels.Clone();
            Array.Sort(ascending);

            var applications = new List<AllocationApplication>(persons * 7 / 2);
            Span<int> chosen = stackalloc int[BudgetAllocation.MaxPriority];
            for (var p = 0; p < persons; p++)
            {
                var quota = random.NextDouble() switch
                {
                    < 0.05 => QuotaKind.Quota1,
                    < 0.11 => QuotaKind.Quota2,
                    _ => QuotaKind.None,
                };

                // People aim where they stand: at the seat their place among all persons would take in prestige order,
                // a little below it at priority 1 and safer at each next priority, with some noise; 1 in 20 anywhere.
                var ahead = persons - UpperBound(ascending, levels[p]);
                var count = ApplicationCount(random);
                for (var priority = 1; priority <= count; priority++)
                {
                    int offer;
                    do
                    {
                        offer = random.NextDouble() < 0.05
                            ? random.Next(offerCount)
                            : OfferAt(seatsUpTo, ahead * AimByPriority[priority - 1] * Math.Exp(Normal(random, 0, 0.25)), random);
                    }
                    while (chosen[..(priority - 1)].Contains(offer));

                    chosen[priority - 1] = offer;
                    var score = Math.Clamp(levels[p] + Normal(random, 0, 4), 100, 200);
                    applications.Add(new AllocationApplication(p, offer, priority, (int)Math.Round(score * 1000), quota));
                }
            }

            // Import reads one offer's list at a time, so the applications arrive grouped by offer.
            var grouped = applications.ToArray();
            Array.Sort(grouped, (a, b) => a.Offer != b.Offer ? a.Offer.CompareTo(b.Offer) : a.Person.CompareTo(b.Person));

            // Tie ranks stand for a hash of the stable person key: a fixed shuffle of the persons.
            var tieRanks = Enumerable.Range(0, persons).ToArray();
            random.Shuffle(tieRanks);
            return new SyntheticCampaign(offers, grouped, tieRanks);
        }

        /// <summary>How far down the seats, relative to the person's place, each priority aims.</summary>
        private static readonly double[] AimByPriority = [1.2, 1.5, 1.9, 2.4, 3.0];

        /// <summary>The offer holding seat number <paramref name="seat"/> in prestige order; past the last seat, one from the less sought-after half.</summary>
        private static int OfferAt(double[] seatsUpTo, double seat, Random random)
        {
            if (seat >= seatsUpTo[^1])
            {
                return random.Next(seatsUpTo.Length / 2, seatsUpTo.Length);
            }

            var index = Array.BinarySearch(seatsUpTo, seat);
            return index < 0 ? ~index : index;
        }

        private static int UpperBound(double[] ascending, double value)
        {
            int low = 0, high = ascending.Length;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (ascending[middle] <= value)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low;
        }

        private static int ApplicationCount(Random random)
        {
            var roll = random.NextDouble();
            for (var i = 0; i < ApplicationCountShares.Length; i++)
            {
                roll -= ApplicationCountShares[i];
                if (roll < 0)
                {
                    return i + 1;
                }
            }

            return ApplicationCountShares.Length;
        }

        private static double Normal(Random random, double mean, double deviation)
        {
            // Box–Muller.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            return mean + (deviation * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }
    }
}
