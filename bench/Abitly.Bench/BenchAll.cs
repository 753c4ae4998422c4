using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Abitly.Bench;

/// <summary>
/// `bench all [--quick] [--runs N] [--only a,b] [--out FILE]`: every benchmark, each run N times as a child process (a fresh
/// process per run, so cold figures stay cold), their figures gathered by key and written to bench/RESULTS.md with the
/// median, the spread, the target, the anchor measured in the same run and the ratio to it, and the machine and date.
/// </summary>
internal static class BenchAll
{
    /// <summary>One benchmark as `bench all` runs it: its arguments for a full and a quick run, and a time limit per run.</summary>
    private sealed record Suite(string Name, string[] Full, string[] Quick, TimeSpan Limit);

    // Peers go first: they are the figures most sensitive to what else the machine did just before.
    private static readonly Suite[] Suites =
    [
        new("peers", ["10000", "200", "--runs", "1"], ["3000", "200", "--runs", "1"], TimeSpan.FromMinutes(10)),
        new("pipeline", ["--runs", "1"], ["--quick", "--runs", "1"], TimeSpan.FromMinutes(5)),
        new("offer", [], ["--quick"], TimeSpan.FromMinutes(5)),
        new("daily", ["--runs", "1"], ["--quick", "--runs", "1"], TimeSpan.FromMinutes(5)),
        new("sender", ["750", "25"], ["150", "25"], TimeSpan.FromMinutes(10)),
        new("chart", [], ["200", "10000"], TimeSpan.FromMinutes(5)),
        new("tracked", [], [], TimeSpan.FromMinutes(10)),
        new("import", ["campaign"], ["ci"], TimeSpan.FromMinutes(15)),
        new("allocation", [], ["30000", "1000", "5"], TimeSpan.FromMinutes(10)),
        new("simulation", ["national", "1"], ["campaign", "1"], TimeSpan.FromMinutes(20)),
        new("crash", ["3000", "25"], ["300", "100"], TimeSpan.FromMinutes(15)),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var runs = quick ? 3 : 5;
        string[] only = [];
        var output = Path.Combine(FindBenchFolder() ?? Environment.CurrentDirectory, "RESULTS.md");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0:
                    runs = n;
                    i++;
                    break;
                case "--only" when i + 1 < args.Length:
                    only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    break;
                case "--out" when i + 1 < args.Length:
                    output = Path.GetFullPath(args[++i]);
                    break;
                case "--quick":
                    break;
                default:
                    Console.Error.WriteLine("usage: all [--quick] [--runs N (5; 3 quick)] [--only peers,offer,...] [--out bench/RESULTS.md]");
                    return 2;
            }
        }

        var suites = Suites.Where(s => only.Length == 0 || only.Contains(s.Name)).ToList();
        var logs = Directory.CreateTempSubdirectory("abitly-bench-");
        var started = DateTimeOffset.Now;
        var loadBefore = LoadAverage();
        Console.WriteLine($"bench all: {suites.Count} benchmarks × {runs} runs ({(quick ? "quick" : "full")}); logs in {logs.FullName}");
        var figures = new List<(string Suite, int Run, BenchFigure Figure)>();
        var failures = new List<string>();
        foreach (var suite in suites)
        {
            for (var run = 1; run <= runs; run++)
            {
                var file = Path.Combine(logs.FullName, $"{suite.Name}-{run}.jsonl");
                var log = Path.Combine(logs.FullName, $"{suite.Name}-{run}.log");
                var watch = Stopwatch.StartNew();
                var exit = await RunChildAsync(suite.Name, quick ? suite.Quick : suite.Full, file, log, suite.Limit);
                var got = File.Exists(file)
                    ? File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<BenchFigure>(l, BenchJson.Options)!).ToList()
                    : [];
                figures.AddRange(got.Select(f => (suite.Name, run, f)));
                Console.WriteLine($"  {suite.Name} run {run}: exit {exit?.ToString(CultureInfo.InvariantCulture) ?? "timeout"}, {got.Count} figures, {watch.Elapsed.TotalSeconds:0} s");
                if (exit != 0)
                {
                    failures.Add($"{suite.Name} run {run}: exit {exit?.ToString(CultureInfo.InvariantCulture) ?? "timeout"} (log {log})");
                }
            }
        }

        var markdown = Render(figures, suites, runs, quick, started, loadBefore, LoadAverage(), failures);
        await File.WriteAllTextAsync(output, markdown);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"written to {output}");
        return failures.Count == 0 ? 0 : 1;
    }

    private static async Task<int?> RunChildAsync(string name, string[] args, string figuresFile, string logFile, TimeSpan limit)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Abitly.Bench.dll"), name, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment[BenchFigures.FileVariable] = figuresFile;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start");
        await using var log = new StreamWriter(logFile);
        var gate = new Lock();
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return null;
        }

        void Write(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                log.WriteLine(line);
            }
        }
    }

    private static string Render(
        List<(string Suite, int Run, BenchFigure Figure)> figures, List<Suite> suites, int runs, bool quick,
        DateTimeOffset started, string loadBefore, string loadAfter, List<string> failures)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Benchmark results ({(quick ? "quick" : "full")})");
        md.AppendLine();
        md.AppendLine("Written by `dotnet run -c Release --project bench/Abitly.Bench -- all" + (quick ? " --quick" : "") + "`; every benchmark ran as a fresh process "
            + $"{runs} times. Each row: the median of the runs and their spread (min–max), the target, the anchor measured in the same runs "
            + "(a peer's figure, or a floor such as the bare SQL fetch) and the ratio to it (the median of the per-run ratios).");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Date: {started:yyyy-MM-dd HH:mm zzz}; commit {Commit()}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Machine()}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Load average (1, 5, 15 min) before: {loadBefore}; after: {loadAfter}");
        md.AppendLine();
        md.AppendLine("| benchmark | figure | median | spread | target | met | anchor | ratio | ratio target | met |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var suite in suites)
        {
            var ofSuite = figures.Where(f => f.Suite == suite.Name).ToList();
            if (ofSuite.Count == 0)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {suite.Name} | no figures | | | | | | | | |");
                continue;
            }

            foreach (var group in ofSuite.GroupBy(f => f.Figure.Key))
            {
                var first = group.First().Figure;
                var values = group.Select(f => f.Figure.Value).Where(double.IsFinite).Order().ToList();
                if (values.Count == 0)
                {
                    continue;
                }

                var median = Median(values);
                var met = first.Target is { } t ? (first.Better == Better.Lower ? median <= t : median >= t) ? "yes" : "**no**" : "";
                var target = first.Target is { } tt ? $"{(first.Better == Better.Lower ? "≤" : "≥")} {Format(tt)}" : "";
                var anchors = group.Where(f => f.Figure.Anchor is { } a && double.IsFinite(a) && a != 0).ToList();
                var anchor = anchors.Count > 0 ? $"{first.AnchorLabel} {Format(Median([.. anchors.Select(f => f.Figure.Anchor!.Value).Order()]))}" : "";
                var ratios = anchors.Select(f => f.Figure.Value / f.Figure.Anchor!.Value).Where(double.IsFinite).Order().ToList();
                var ratio = ratios.Count > 0 ? $"{Median(ratios):0.00}× ({ratios[0]:0.00}–{ratios[^1]:0.00})" : "";
                var ratioTarget = first.RatioTarget is { } rt && ratios.Count > 0 ? $"{(first.Better == Better.Lower ? "≤" : "≥")} {rt:0.##}×" : "";
                var ratioMet = first.RatioTarget is { } r && ratios.Count > 0
                    ? (first.Better == Better.Lower ? Median(ratios) <= r : Median(ratios) >= r) ? "yes" : "**no**"
                    : "";
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {suite.Name} | {first.Label} | {Format(median)} {first.Unit} | {Format(values[0])}–{Format(values[^1])} (n={values.Count}) | {target} | {met} | {anchor} | {ratio} | {ratioTarget} | {ratioMet} |");
            }
        }

        if (failures.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Runs that exited non-zero — a target the benchmark checks itself was missed, or it failed (their figures, if any, are in the table; see the logs):");
            foreach (var failure in failures)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {failure}");
            }
        }

        return md.ToString();
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static string Format(double value) =>
        Math.Abs(value) >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 1 ? value.ToString("0.0#", CultureInfo.InvariantCulture)
        : value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string LoadAverage()
    {
        try
        {
            return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string Machine()
    {
        var cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }

        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"')
            : null;
        return $"{cpu}, {Environment.ProcessorCount} cores, {memory:0} GiB, {os ?? Environment.OSVersion.ToString()}, .NET {Environment.Version}";
    }

    private static string Commit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["rev-parse", "--short", "HEAD"]) { RedirectStandardOutput = true, RedirectStandardError = true });
            var sha = git?.StandardOutput.ReadToEnd().Trim();
            git?.WaitForExit();
            return string.IsNullOrEmpty(sha) ? "unknown" : sha;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private static string? FindBenchFolder()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "bench", "Abitly.Bench", "Abitly.Bench.csproj")))
            {
                return Path.Combine(dir.FullName, "bench");
            }
        }

        return null;
    }
}
