using Abitly.Bench;

// Usage: dotnet run -c Release --project bench/Abitly.Bench -- <benchmark> [options]
var name = args.Length > 0 ? args[0] : "";
switch (name)
{
    case "sender":
        return await SenderBenchmark.RunAsync(args[1..]);
    case "filters":
        return await FilterMatchingBenchmark.RunAsync(args[1..]);
    case "pipeline":
        return await PipelineBenchmark.RunAsync(args[1..]);
    case "offer":
        return await OfferViewBenchmark.RunAsync(args[1..]);
    case "daily-child":
        return await DailyBenchmark.ChildAsync(args[1..]);
    case "daily":
        return await DailyBenchmark.RunAsync(args[1..]);
    case "sandbox":
        return await SandboxBenchmark.RunAsync(args[1..]);
    case "campaign":
        return await CampaignSnapshotBenchmark.RunAsync(args[1..]);
    case "import":
        return await ImportBenchmark.RunAsync(args[1..]);
    case "allocation":
        return await AllocationBenchmark.RunAsync(args[1..]);
    case "simulation":
        return await SimulationBenchmark.RunAsync(args[1..]);
    case "chart":
        return await ChartBenchmark.RunAsync(args[1..]);
    case "peers":
        return await PeersBenchmark.RunAsync(args[1..]);
    case "matching":
        return await PersonMatchingBenchmark.RunAsync(args[1..]);
    case "crash":
        return await CrashBenchmark.RunAsync(args[1..]);
    case "score":
        return await ScoreBenchmark.RunAsync(args[1..]);
    case "tracked":
        return await TrackedAlertBenchmark.RunAsync(args[1..]);
    case "all":
        return await BenchAll.RunAsync(args[1..]);
    default:
        Console.Error.WriteLine("usage: Abitly.Bench <benchmark> [options]");
        Console.Error.WriteLine("  all [--quick] [--runs N] [--only a,b]   every benchmark below N times (5; quick: smaller, 3), figures to bench/RESULTS.md");
        Console.Error.WriteLine("  sender [messages=3000] [cap=30]   MessageSender fan-out through the Bot API emulator");
        Console.Error.WriteLine("  filters [users=50000] [openDays=200]   open-day update candidate query on PostgreSQL");
        Console.Error.WriteLine("  " + PipelineBenchmark.Usage);
        Console.Error.WriteLine("                                     the published bot's start to /healthcheck and first getUpdates, idle RSS, /help updates/s");
        Console.Error.WriteLine("  offer [calls=1000] [seconds=10] [--quick] [--national]   offer view on 10,000 applicants: hot, cold (list changed) vs the bare fetch (p50/p99), views/s with 50 workers, the cache's Zipf hit rate by budget (campaign preset, or national)");
        Console.Error.WriteLine("  daily [users=20000] [--runs N] [--quick]   daily open-day reminders over users x 5 open days: cold (fresh process) and warm time, memory until queued");
        Console.Error.WriteLine("  sandbox [sends=30]                 `sandbox` start (fresh and existing database), web chat round trips, idle RSS");
        Console.Error.WriteLine("  campaign [preset=campaign]         snapshot generate, write (plain, gzip), read MB/s and heap, hash, revision with 300 offers changed");
        Console.Error.WriteLine("  import [preset=campaign]           `import` into an empty database vs a bare COPY floor, re-import, 300 changed, offer view p99 during an import");
        Console.Error.WriteLine("  allocation                         the allocation engine on a national-sized campaign: time, memory, rounds");
        Console.Error.WriteLine("  simulation [preset=national] [runs=3]   `import`, then `simulate` as processes: load, match, allocate, store, RSS; offer view p99 with and without");
        Console.Error.WriteLine("  chart [renders] [applications]     score-distribution PNG: warm p50/p99, PNG size, memory per render");
        Console.Error.WriteLine("  peers [updates] [chats] [--runs N] [--latency-ms N]   ours vs grammY and Python bots on /help (see bench/peers)");
        Console.Error.WriteLine("  matching [presets]                 persons matched across lists without person keys: accuracy and the cut-offs' error");
        Console.Error.WriteLine("  crash [recipients=3000] [cap=25]   kill -9 mid-broadcast and mid-burst of /start, start again: lost, doubled, time to resume");
        Console.Error.WriteLine("  score [calls] [preset]             the competitive score calculator: ns and bytes per call");
        Console.Error.WriteLine("  tracked [changed=300]              100,000 follows over 1,500 offers: the alert pass after a run changing 300 offers, then all: time, memory");
        return 2;
}
