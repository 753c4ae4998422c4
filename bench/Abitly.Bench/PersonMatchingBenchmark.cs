using System.Diagnostics;
using System.Globalization;
using Abitly.Campaign;
using Abitly.Campaign.Generation;
using Abitly.Domain.Allocation;

namespace Abitly.Bench;

/// <summary>
/// Person matching (issue 16) on generated campaigns with the person keys dropped: its accuracy against the ground truth
/// (same-person pairs, exact persons, and the simulated cut-offs on matched persons against those on true persons) in
/// the scenarios that justify the threshold, and its speed on the whole campaign. Arguments: campaigns, each a preset or
/// <c>offers:applications:seed</c> (default <c>campaign national</c>; docs/allocation.md also ran <c>300:60000:7</c>,
/// <c>400:120000:5</c> and <c>800:300000:3</c>). Figures in docs/allocation.md, "Persons across lists".
/// </summary>
internal static class PersonMatchingBenchmark
{
    private const double TargetMilliseconds = 2_000;

    /// <summary>What the lists could show, from the default to poorer sources.</summary>
    private static readonly (string Name, PersonMatchingScenario Scenario)[] Scenarios =
    [
        ("with keys", PersonMatchingScenario.WithoutKeys with { PersonKeys = true }),
        ("no keys (default)", PersonMatchingScenario.WithoutKeys),
        ("no weights: speciality", PersonMatchingScenario.WithoutKeys with { Formulas = MatchingFormulas.Speciality }),
        ("«Шевченко А.» 25 %", PersonMatchingScenario.WithoutKeys with { NameForm = MatchingNameForm.SurnameAndFirstInitial, Share = 0.25 }),
        ("«Шевченко А.» 50 %", PersonMatchingScenario.WithoutKeys with { NameForm = MatchingNameForm.SurnameAndFirstInitial, Share = 0.5 }),
        ("«Шевченко А.» 75 %", PersonMatchingScenario.WithoutKeys with { NameForm = MatchingNameForm.SurnameAndFirstInitial, Share = 0.75 }),
        ("«Шевченко А.» all", PersonMatchingScenario.WithoutKeys with { NameForm = MatchingNameForm.SurnameAndFirstInitial }),
        ("no formula 5 %", PersonMatchingScenario.WithoutKeys with { Formulas = MatchingFormulas.None, Share = 0.05 }),
        ("no formula 10 %", PersonMatchingScenario.WithoutKeys with { Formulas = MatchingFormulas.None, Share = 0.10 }),
        ("no formula all", PersonMatchingScenario.WithoutKeys with { Formulas = MatchingFormulas.None }),
        ("cancelled left out", PersonMatchingScenario.WithoutKeys with { ActiveOnly = true }),
    ];

    public static Task<int> RunAsync(string[] args)
    {
        var campaigns = args.Length > 0 ? args.Select(Options).ToArray() : [Options("campaign"), Options("national")];
        Console.WriteLine(
            $"Matched share ≥ {PersonMatching.MinMatchedShare:0.00} and formula share ≥ {PersonMatching.MinFormulaShare:0.00} to show a simulation; " +
            "cut-off differences in points, over offers with a cut-off on both sides; + = matched cut-offs stricter.");
        foreach (var options in campaigns)
        {
            Run(options);
        }

        return Task.FromResult(0);
    }

    /// <summary>A preset by name, or a campaign-preset resized as <c>offers:applications:seed</c>.</summary>
    private static CampaignGeneratorOptions Options(string argument)
    {
        var parts = argument.Split(':');
        if (parts.Length == 1)
        {
            return CampaignGeneratorOptions.For(Enum.Parse<CampaignPreset>(argument, ignoreCase: true));
        }

        return new CampaignGeneratorOptions
        {
            Preset = CampaignPreset.Campaign,
            Offers = int.Parse(parts[0], CultureInfo.InvariantCulture),
            Applications = int.Parse(parts[1], CultureInfo.InvariantCulture),
            Seed = parts.Length > 2 ? long.Parse(parts[2], CultureInfo.InvariantCulture) : CampaignGeneratorOptions.DefaultSeed,
        };
    }

    private static void Run(CampaignGeneratorOptions options)
    {
        var watch = Stopwatch.StartNew();
        var campaign = CampaignGenerator.Generate(options);
        var title = options.Offers is null ? options.Preset.ToString().ToLowerInvariant() : $"{options.OfferCount}:{options.ApplicationCount}:{options.Seed}";
        Console.WriteLine();
        Console.WriteLine($"== {title}: {campaign.OfferCount:N0} offers, {campaign.ApplicationCount:N0} rows, generated in {watch.Elapsed.TotalSeconds:0.0} s");
        PrintNames(campaign);
        PrintSpeed(campaign);

        Console.WriteLine(
            $"{"scenario",-24} {"matched",7} {"formula",7} {"shown",5} {"pairs P",8} {"pairs R",8} {"exact p.",8} {"exact a.",8} {"persons",16} " +
            $"{"ident.",6} {"mean",6} {"p95",6} {"max",6} {"signed",7} {"1 free",6}  confidence (applications: key/unique/linked/open/chosen/unresolved; exact persons)");
        foreach (var (name, scenario) in Scenarios)
        {
            var trial = PersonMatchingTrial.Prepare(campaign, scenario);
            var match = trial.Match();
            var figures = trial.Evaluate(match);
            var grouping = figures.Grouping;
            var cutOffs = figures.CutOffs;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{name,-24} {figures.MatchedShare,7:0.0000} {figures.FormulaShare,7:0.00} {(figures.Reliable ? "yes" : "no"),5} " +
                $"{grouping.PairPrecision,8:0.0000} {grouping.PairRecall,8:0.0000} {grouping.ExactPersonShare,8:0.0000} {grouping.ExactApplicationShare,8:0.0000} " +
                $"{figures.FoundPersons,7:N0}/{figures.TruePersons,-8:N0} {cutOffs.IdenticalShare,6:0.000} {cutOffs.MeanDifference / 1000,6:0.000} " +
                $"{cutOffs.P95Difference / 1000.0,6:0.000} {cutOffs.MaxDifference / 1000.0,6:0.00} {cutOffs.MeanSignedDifference / 1000,7:+0.000;-0.000} {cutOffs.OneFree,6:N0}  " +
                $"{Confidences(match, trial)}"));
        }
    }

    /// <summary>How often persons share the stored name: what the heuristic is up against.</summary>
    private static void PrintNames(GeneratedCampaign campaign)
    {
        var budget = campaign.Persons.Where(p => p.Applications.Any(a => a.Priority is not null)).ToList();
        var byStored = budget.CountBy(p => PublishedNames.ToInitials(p.FullName)).ToDictionary();
        var byFull = budget.CountBy(p => p.FullName).ToDictionary();
        var shareStored = budget.Count(p => byStored[PublishedNames.ToInitials(p.FullName)] > 1) / (double)budget.Count;
        var shareFull = budget.Count(p => byFull[p.FullName] > 1) / (double)budget.Count;
        var largest = byStored.MaxBy(n => n.Value);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"names: {budget.Count:N0} persons with budget applications; {shareStored:P1} share their stored name «Прізвище І. Б.» with another, " +
            $"{shareFull:P1} their full name; the most shared stored name has {largest.Value} persons"));
    }

    /// <summary>The matcher on the whole campaign without keys (and with them): one warm-up, then timed runs.</summary>
    private static void PrintSpeed(GeneratedCampaign campaign)
    {
        foreach (var (name, scenario) in new[] { ("no keys", PersonMatchingScenario.WithoutKeys), ("with keys", PersonMatchingScenario.WithoutKeys with { PersonKeys = true }) })
        {
            var trial = PersonMatchingTrial.Prepare(campaign, scenario);
            trial.Match();
            var wall = new List<double>();
            var cpu = new List<double>();
            long allocated = 0;
            using var process = Process.GetCurrentProcess();
            for (var run = 0; run < 7; run++)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                var before = GC.GetTotalAllocatedBytes(precise: true);
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                trial.Match();
                wall.Add(watch.Elapsed.TotalMilliseconds);
                process.Refresh();
                cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
                allocated = Math.Max(allocated, GC.GetTotalAllocatedBytes(precise: true) - before);
            }

            wall.Sort();
            cpu.Sort();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"speed ({name}): {trial.Applications.Count:N0} budget applications matched in median {wall[wall.Count / 2]:0} ms wall " +
                $"(min {wall[0]:0}, max {wall[^1]:0}), {cpu[cpu.Count / 2]:0} ms CPU; target ≤ {TargetMilliseconds:0} ms; " +
                $"single-threaded; one run allocates ≤ {allocated / 1048576.0:0} MB; load average {LoadAverage()}"));
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>Applications per confidence, and the share of persons of each confidence found exactly.</summary>
    private static string Confidences(PersonMatchResult match, PersonMatchingTrial trial)
    {
        var truthSize = trial.TruePerson.CountBy(p => p).ToDictionary();
        var members = new Dictionary<int, (int Person, int Count, bool Mixed)>();
        for (var a = 0; a < match.ApplicationCount; a++)
        {
            var found = match.Person[a];
            var truth = trial.TruePerson[a];
            members[found] = members.TryGetValue(found, out var seen)
                ? (seen.Person, seen.Count + 1, seen.Mixed || seen.Person != truth)
                : (truth, 1, false);
        }

        var exact = new int[6];
        var persons = new int[6];
        foreach (var (found, (truth, count, mixed)) in members)
        {
            var confidence = (int)match.Confidence[found];
            persons[confidence]++;
            exact[confidence] += !mixed && truthSize[truth] == count ? 1 : 0;
        }

        return string.Join(" / ", Enumerable.Range(0, 6).Select(c => string.Create(
            CultureInfo.InvariantCulture,
            $"{match.ApplicationsByConfidence[c] / (double)match.ApplicationCount:0.000}{(persons[c] > 0 ? $" ({exact[c] / (double)persons[c]:0.00})" : "")}")));
    }
}
