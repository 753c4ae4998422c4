using System.Diagnostics;
using System.Globalization;
using Abitly.Charts;
using Abitly.Domain.Ranking;

namespace Abitly.Bench;

/// <summary>
/// The score chart of an offer with 10,000 applications: the cold first render (Warm), then warm renders one at a
/// time (p50/p99) and two at a time, as the bot may run them, with the PNG's size and the memory a render takes.
/// </summary>
internal static class ChartBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        var renders = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var input = Input(count);

        var workingSetAtStart = WorkingSet();
        var cold = Stopwatch.StartNew();
        ScoreChartRenderer.Warm();
        Console.WriteLine($"first render (Warm): {cold.Elapsed.TotalMilliseconds:0.0} ms; working set {Megabytes(workingSetAtStart)} -> {Megabytes(WorkingSet())}");

        for (var i = 0; i < 20; i++)
        {
            ScoreChartRenderer.Render(input);
        }

        var times = new double[renders];
        var size = 0;
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var workingSetBefore = WorkingSet();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < renders; i++)
        {
            var watch = Stopwatch.StartNew();
            size = ScoreChartRenderer.Render(input).Png.Length;
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        // CPU time per render does not grow when other processes share the cores; wall-clock percentiles do.
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / renders;
        var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)renders;
        var workingSetAfter = WorkingSet();
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"{count:N0} applications, {renders} warm renders one at a time: {Summary(times)}; CPU {cpu:0.0} ms per render; load {LoadAverage()}");
        Console.WriteLine($"PNG: {size:N0} bytes ({size / 1024.0:0.0} KB), {ScoreChartRenderer.Width}x{ScoreChartRenderer.Height}");
        var sortedTimes = times.Order().ToArray();
        BenchFigures.Report("chart.warm_p99_ms", $"score chart, {count:N0} applications: warm render p99", sortedTimes[Math.Min(sortedTimes.Length - 1, (int)Math.Ceiling(0.99 * sortedTimes.Length) - 1)], "ms", Better.Lower, 40);
        BenchFigures.Report("chart.cpu_ms", "score chart: CPU per render", cpu, "ms", Better.Lower);
        // Managed allocations per render (the bitmap and the PNG stream are native, so the working set is shown too), and
        // what stays behind after all renders: a leak would show as growth of the live heap or the working set.
        Console.WriteLine($"memory: {allocated / 1024:N0} KB managed allocated per render; live heap {Megabytes(heapBefore)} -> {Megabytes(heapAfter)}, " +
            $"working set {Megabytes(workingSetBefore)} -> {Megabytes(workingSetAfter)} over {renders} renders");

        var concurrent = new double[renders];
        var all = Stopwatch.StartNew();
        Parallel.For(0, renders, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var watch = Stopwatch.StartNew();
            ScoreChartRenderer.Render(input);
            concurrent[i] = watch.Elapsed.TotalMilliseconds;
        });
        Console.WriteLine($"two at a time: {Summary(concurrent)}; {renders / all.Elapsed.TotalSeconds:0} renders/s; peak working set {Megabytes(PeakWorkingSet())}");
        return Task.FromResult(0);
    }

    private static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.0} MB");

    /// <summary>The 1-minute load average on Linux (other processes competing for the cores), else "n/a".</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static string Summary(double[] milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        double At(double share) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(share * sorted.Length) - 1)];
        return $"p50 {At(0.50):0.0} ms, p99 {At(0.99):0.0} ms, max {sorted[^1]:0.0} ms";
    }

    /// <summary>A bell-shaped list around 160 with about 6 % on each quota, the budget line and a linked user.</summary>
    private static ScoreChartInput Input(int count)
    {
        var random = new Random(2025);
        var applications = new ChartApplication[count];
        for (var i = 0; i < count; i++)
        {
            var spread = (random.NextDouble() + random.NextDouble() + random.NextDouble() + random.NextDouble() - 2) * 40;
            var score = Math.Clamp(Math.Round(160m + (decimal)spread, 3), 100m, 200m);
            var roll = random.Next(100);
            applications[i] = new ChartApplication(score, roll < 6 ? QuotaKind.Quota1 : roll < 12 ? QuotaKind.Quota2 : QuotaKind.None);
        }

        var texts = new ScoreChartTexts
        {
            Title = "Розподіл конкурсних балів",
            Subtitle = $"F2 Інженерія програмного забезпечення · КПІ ім. Ігоря Сікорського · {count:N0} заяв",
            ScoreAxis = "Конкурсний бал",
            CountAxis = "Кількість заяв",
            GeneralLegend = "Загальний конкурс",
            Quota1Legend = "Квота 1",
            Quota2Legend = "Квота 2",
            CutOffLabel = "Прохідний на бюджет: {0}",
            BudgetSeatsLabel = "Бюджетних місць: {0}",
            MarkerLabel = "Ваш бал: {0}",
        };
        return new ScoreChartInput(applications, 171.204m, 1_200, new UserScoreMarker(168.25m, "місце 3 412–3 415"), texts);
    }
}
