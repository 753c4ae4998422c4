using System.Diagnostics;
using System.Globalization;
using Abitly.Campaign.Generation;
using Abitly.Domain.Scoring;

namespace Abitly.Bench;

/// <summary>
/// <see cref="CompetitiveScoreCalculator.Calculate"/> per call (time and bytes allocated) on the pairs of a generated
/// campaign's lists and on two fixed cases, then the generator's time for a preset, which spends most of its CPU there.
/// CPU time is printed beside wall time: on a shared machine it is the steadier figure.
/// </summary>
internal static class ScoreBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        var calls = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000_000;
        var preset = args.Length > 1 ? Enum.Parse<CampaignPreset>(args[1], ignoreCase: true) : CampaignPreset.Campaign;

        // Real pairs: every scored application of a mid-size campaign, with the grades that count for its offer.
        var campaign = CampaignGenerator.Generate(new CampaignGeneratorOptions { Offers = 300, Applications = 30_000, Seed = 3 });
        var year = campaign.Header.CampaignYear;
        var pairs = new List<(OfferWeights Offer, ApplicantGrades Grades)>();
        foreach (var offer in campaign.Offers())
        {
            var weights = offer.ToOfferWeights(year)!;
            foreach (var application in offer.Applications)
            {
                pairs.Add((weights, campaign.FindPerson(application.PersonKey!)!.GradesFor(offer)));
            }
        }

        // DESIGN §7.2's worked example (C3, four subjects, one 4th-subject option held) and a grade set missing history.
        var example = new OfferWeights(2025, 0.45m, 0.40m, 0.40m, new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            [Subjects.English] = 0.50m,
            [Subjects.Literature] = 0.40m,
            [Subjects.Biology] = 0.30m,
            [Subjects.Geography] = 0.30m,
            [Subjects.German] = 0.50m,
            [Subjects.French] = 0.50m,
            [Subjects.Spanish] = 0.50m,
        }, SpecialityCode: "C3");
        var exampleGrades = new ApplicantGrades(new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            [Subjects.Ukrainian] = 186m,
            [Subjects.Mathematics] = 167m,
            [Subjects.History] = 168m,
            [Subjects.English] = 152m,
        });
        var missingGrades = new ApplicantGrades(new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            [Subjects.Ukrainian] = 186m,
            [Subjects.Mathematics] = 167m,
            [Subjects.English] = 152m,
        });

        Console.WriteLine(Line($"CompetitiveScoreCalculator.Calculate, {calls:N0} calls per case"));
        Report("generated lists", [.. pairs], calls);
        Report("design example", [(example, exampleGrades)], calls);
        Report("missing history", [(example, missingGrades)], calls);

        for (var run = 1; run <= 2; run++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var generated = CampaignGenerator.Generate(CampaignGeneratorOptions.For(preset));
            Console.WriteLine(Line($"generate {preset.ToString().ToLowerInvariant()} (run {run}): {watch.Elapsed.TotalSeconds:0.00} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.00} s CPU, {generated.ApplicationCount:N0} applications"));
        }

        return Task.FromResult(0);
    }

    private static void Report(string name, (OfferWeights Offer, ApplicantGrades Grades)[] pairs, int calls)
    {
        var checksum = Run(pairs, Math.Min(calls, 200_000)); // warm-up: tiered JIT reaches its optimised code
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        checksum += Run(pairs, calls);
        var wall = watch.Elapsed;
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        bytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
        Console.WriteLine(Line($"  {name,-16} {wall.TotalNanoseconds / calls,7:0} ns/call wall, {cpuUsed.TotalNanoseconds / calls,7:0} ns/call CPU, {(double)bytes / calls,6:0} B/call ({pairs.Length:N0} distinct pairs, checksum {checksum:0})"));
    }

    private static decimal Run((OfferWeights Offer, ApplicantGrades Grades)[] pairs, int calls)
    {
        var sum = 0m;
        for (var i = 0; i < calls; i++)
        {
            var (offer, grades) = pairs[i % pairs.Length];
            sum += CompetitiveScoreCalculator.Calculate(offer, grades).Score?.Base ?? 0m;
        }

        return sum;
    }

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
