using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Abitly.Bot.Rendering;
using Abitly.BotApiEmulator;
using Npgsql;
using Emulator = Abitly.BotApiEmulator.BotApiEmulator;

namespace Abitly.Bench;

/// <summary>
/// Ours against peers in other stacks (a grammY bot on Node, a Python asyncio bot; bench/peers/), in the same run, against
/// the same in-process Bot API emulator and a fresh migrated database each: idle RSS, then a burst of /help updates from
/// many chats, measuring throughput, the bot process's CPU per update, enqueue-to-reply latency, and correctness.
/// </summary>
internal static class PeersBenchmark
{
    private const string Token = "123456:bench";
    private const long FirstChat = 5_000_000;
    private const int Concurrency = 32;
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(5);
    private static readonly double TicksPerSecond = ClockTicksPerSecond();

    private sealed record Options(int Updates, int Chats, int Runs, int LatencyMs, int Rate, IReadOnlyList<string> Only, IReadOnlyList<(string Name, string Value)> OursEnv);

    /// <summary>One bot under test: how to start it, given the bench database and the emulator.</summary>
    private sealed record Contender(string Name, Func<string, string, ProcessStartInfo> Start);

    /// <summary>What one run of one bot measured.</summary>
    private sealed record RunResult(
        string Bot,
        int Run,
        bool Correct,
        double UpdatesPerSecond,
        double CpuMsPerUpdate,
        double P50,
        double P99,
        double IdleRssMb,
        double PeakRssMb,
        double PgCpuMsPerUpdate,
        double EmulatorCpuMsPerUpdate,
        double OtherLoadCores,
        int Polls);

    public static async Task<int> RunAsync(string[] args)
    {
        if (ParseOptions(args) is not { } options)
        {
            Console.Error.WriteLine("usage: peers [updates=10000] [chats=200] [--runs N=3] [--latency-ms N=0] [--rate N=0 (burst)] [--only ours,grammy,python] [--ours-env NAME=VALUE ...]");
            return 2;
        }

        var redis = BenchDatabase.RedisConfiguration();
        if (redis is null || Environment.GetEnvironmentVariable("DATABASE_URL") is null)
        {
            Console.Error.WriteLine("DATABASE_URL and REDIS_URL must be set (source scripts/services.sh && abitly_services_up)");
            return 2;
        }

        var peers = FindPeersFolder();
        if (peers is null)
        {
            Console.Error.WriteLine("bench/peers not found above the current folder; run from the repository (bench/peers/run does)");
            return 2;
        }

        var contenders = Contenders(peers, redis, options.OursEnv).Where(c => options.Only.Count == 0 || options.Only.Contains(c.Name)).ToList();
        if (contenders.Count == 0 || !Prerequisites(peers, contenders))
        {
            return 2;
        }

        Console.WriteLine($"peers: {options.Updates:N0} /help updates from {options.Chats} chats, {options.Runs} runs, "
            + $"emulator latency {options.LatencyMs} ms, {(options.Rate > 0 ? $"paced at {options.Rate}/s" : "all enqueued at once")}, "
            + $"concurrency {Concurrency} each, {Environment.ProcessorCount} cores"
            + (options.OursEnv.Count > 0 ? $"; ours with {string.Join(' ', options.OursEnv.Select(e => $"{e.Name}={e.Value}"))}" : ""));
        Console.WriteLine($"  each run: fresh database (migrated), fresh emulator, start, first getUpdates, {IdleWait.TotalSeconds:0} s idle (RSS), "
            + $"warm-up 1 update per chat, then the load; bots take turns in a rotating order");
        await WarmUpHarnessAsync(options.Updates, options.Chats);
        var results = new List<RunResult>();
        for (var run = 1; run <= options.Runs; run++)
        {
            for (var i = 0; i < contenders.Count; i++)
            {
                var contender = contenders[(i + run - 1) % contenders.Count];
                var result = await MeasureAsync(contender, run, options);
                results.Add(result);
                Console.WriteLine($"  run {run} {contender.Name,-6}: {(result.Correct ? "correct" : "WRONG")}, {result.UpdatesPerSecond:0} updates/s, "
                    + $"CPU {result.CpuMsPerUpdate:0.000} ms/update, p50 {result.P50:0} ms, p99 {result.P99:0} ms, idle RSS {result.IdleRssMb:0.0} MB "
                    + $"(peak {result.PeakRssMb:0.0}), PostgreSQL {result.PgCpuMsPerUpdate:0.000} ms/update, emulator {result.EmulatorCpuMsPerUpdate:0.000} ms/update, "
                    + $"other load {result.OtherLoadCores:0.00} cores, getUpdates {result.Polls}");
            }
        }

        PrintSummary(results, contenders, options);
        ReportFigures(results);
        var correct = results.All(r => r.Correct);
        Console.WriteLine(correct ? "PASS (every run correct)" : "FAIL (a run was incorrect; see above)");
        return correct ? 0 : 1;
    }

    private static Options? ParseOptions(string[] args)
    {
        var positional = new List<int>();
        var runs = 3;
        var latency = 0;
        var rate = 0;
        List<string> only = [];
        List<(string, string)> oursEnv = [];
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0:
                    runs = n;
                    i++;
                    break;
                case "--latency-ms" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var ms) && ms >= 0:
                    latency = ms;
                    i++;
                    break;
                case "--rate" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var r) && r >= 0:
                    rate = r;
                    i++;
                    break;
                case "--ours-env" when i + 1 < args.Length && args[i + 1].IndexOf('=', StringComparison.Ordinal) > 0:
                    // Runtime settings to try on ours alone (e.g. DOTNET_gcServer=0); the harness and the peers keep theirs.
                    var eq = args[i + 1].IndexOf('=', StringComparison.Ordinal);
                    oursEnv.Add((args[i + 1][..eq], args[i + 1][(eq + 1)..]));
                    i++;
                    break;
                case "--only" when i + 1 < args.Length:
                    only = [.. args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    i++;
                    break;
                default:
                    if (!int.TryParse(args[i], CultureInfo.InvariantCulture, out var value) || value <= 0)
                    {
                        return null;
                    }

                    positional.Add(value);
                    break;
            }
        }

        if (positional.Count > 2)
        {
            return null;
        }

        var updates = positional.Count > 0 ? positional[0] : 10_000;
        var chats = positional.Count > 1 ? positional[1] : 200;
        return new Options(updates, chats, runs, latency, rate, only, oursEnv);
    }

    private static List<Contender> Contenders(string peers, string redis, IReadOnlyList<(string Name, string Value)> oursEnv) =>
    [
        new("ours", (database, api) =>
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "Abitly.Bot.dll");
            var info = StartInfo("dotnet", [dll], AppContext.BaseDirectory, api);
            info.Environment["DATABASE_URL"] = database;
            info.Environment["REDIS_URL"] = redis;
            info.Environment["PORT"] = PipelineBenchmark.FreePort().ToString(CultureInfo.InvariantCulture);
            info.Environment["DOTNET_ENVIRONMENT"] = "Production";
            foreach (var (name, value) in oursEnv)
            {
                info.Environment[name] = value;
            }

            return info;
        }),
        new("grammy", (database, api) =>
        {
            var info = StartInfo("node", [Path.Combine(peers, "grammy", "bot.js")], Path.Combine(peers, "grammy"), api);
            info.Environment["DATABASE_URL"] = PostgresUrl(database);
            info.Environment["NODE_ENV"] = "production";
            return info;
        }),
        new("python", (database, api) =>
        {
            // Debian's interpreter: python3 on PATH may be another one that cannot see python3-aiohttp and python3-asyncpg.
            var info = StartInfo("/usr/bin/python3", [Path.Combine(peers, "python", "bot.py")], Path.Combine(peers, "python"), api);
            info.Environment["DATABASE_URL"] = PostgresUrl(database);
            return info;
        }),
    ];

    private static ProcessStartInfo StartInfo(string file, string[] args, string folder, string api)
    {
        var info = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        info.Environment["BOT_TOKEN"] = Token;
        info.Environment["TELEGRAM_API_URL"] = api;
        info.Environment["UPDATE_MAX_CONCURRENCY"] = Concurrency.ToString(CultureInfo.InvariantCulture);
        info.Environment["POLL_TIMEOUT_SECONDS"] = "25";
        // The peers reply with our help text, handed over so it never drifts (ours ignores the variable).
        info.Environment["HELP_TEXT"] = Texts.Help;
        return info;
    }

    /// <summary>The Npgsql connection string as a postgres:// URL, with the same pool bound for the peers' pools.</summary>
    private static string PostgresUrl(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        var user = Uri.EscapeDataString(b.Username ?? "postgres");
        var password = b.Password is { Length: > 0 } p ? ":" + Uri.EscapeDataString(p) : "";
        return $"postgres://{user}{password}@{b.Host}:{b.Port}/{Uri.EscapeDataString(b.Database ?? "postgres")}";
    }

    private static string? FindPeersFolder()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "bench", "peers");
                if (File.Exists(Path.Combine(candidate, "grammy", "bot.js")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static bool Prerequisites(string peers, List<Contender> contenders)
    {
        var ok = true;
        if (contenders.Any(c => c.Name == "grammy") && !Directory.Exists(Path.Combine(peers, "grammy", "node_modules", "grammy")))
        {
            Console.Error.WriteLine("grammy: run `npm ci` in bench/peers/grammy first (bench/peers/run does)");
            ok = false;
        }

        if (contenders.Any(c => c.Name == "python") && !File.Exists("/usr/bin/python3"))
        {
            Console.Error.WriteLine("python: /usr/bin/python3 is missing (apt-get install python3-aiohttp python3-asyncpg; bench/peers/run does)");
            ok = false;
        }

        return ok;
    }

    private static async Task<RunResult> MeasureAsync(Contender contender, int run, Options options)
    {
        await using var database = await BenchDatabase.CreateAsync("peers_" + contender.Name)
            ?? throw new InvalidOperationException("DATABASE_URL is not a PostgreSQL connection");
        // A Telegram-like answer time for every method but getUpdates (whose wait is the long poll itself).
        await using var emulator = await Emulator.StartAsync(new BotApiEmulatorOptions { LatencyMs = options.LatencyMs });

        var output = new ConcurrentQueue<string>();
        using var process = Process.Start(contender.Start(database.ConnectionString, emulator.BaseUrl))
            ?? throw new InvalidOperationException($"{contender.Name} did not start");
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var failed = new RunResult(contender.Name, run, false, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0);
        try
        {
            if (!await UntilAsync(emulator.WaitForCallAsync(c => c.Method == "getUpdates", TimeSpan.FromSeconds(60)), process))
            {
                Dump(contender, "never polled", output);
                return failed;
            }

            await Task.Delay(IdleWait);
            var idleRss = ReadStatusKb(process.Id, "VmRSS") / 1024.0;

            // Warm-up: one update per chat creates every user row, and JIT, pools and connections warm up.
            var warm = await PumpAsync(emulator, process, options.Chats, options.Chats, 0, TimeSpan.FromSeconds(120));
            if (warm is null)
            {
                Dump(contender, "warm-up replies did not all arrive", output);
                return failed;
            }

            await using var probe = new PostgresProbe(database.ConnectionString);
            var pgBefore = await probe.BackendTicksAsync();
            var machineBefore = MachineBusyTicks();
            var harnessBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var cpuBefore = ProcessTicks(process.Id);
            var load = await PumpAsync(emulator, process, options.Updates, options.Chats, options.Rate, TimeSpan.FromSeconds(600));
            var cpuAfter = ProcessTicks(process.Id);
            var harnessAfter = Process.GetCurrentProcess().TotalProcessorTime;
            var machineAfter = MachineBusyTicks();
            var pgAfter = await probe.BackendTicksAsync();
            var peakRss = ReadStatusKb(process.Id, "VmHWM") / 1024.0;
            if (load is null)
            {
                Dump(contender, "the replies of the load did not all arrive", output);
                return failed;
            }

            var n = options.Updates;
            var botMs = (cpuAfter - cpuBefore) * 1000 / TicksPerSecond;
            var pgMs = pgAfter.Sum(kv => kv.Value - pgBefore.GetValueOrDefault(kv.Key)) * 1000 / TicksPerSecond;
            var harnessMs = (harnessAfter - harnessBefore).TotalMilliseconds;
            var machineMs = (machineAfter - machineBefore) * 1000 / TicksPerSecond;
            var otherCores = Math.Max(0, machineMs - botMs - pgMs - harnessMs) / load.Elapsed.TotalMilliseconds;

            var correct = await CheckAsync(contender, emulator, database, options, output);
            var exit = await TerminateAsync(process);
            if (exit != 0)
            {
                Dump(contender, $"exit code {exit?.ToString(CultureInfo.InvariantCulture) ?? "none (killed)"} on SIGTERM", output);
                correct = false;
            }

            // On SIGTERM every bot confirms what it handled; nothing may be left for a redelivery.
            if (emulator.PendingUpdates != 0)
            {
                Console.WriteLine($"    {contender.Name}: {emulator.PendingUpdates} updates left unconfirmed after SIGTERM (confirmed offset {emulator.ConfirmedOffset})");
                correct = false;
            }

            return new RunResult(contender.Name, run, correct, n / load.Elapsed.TotalSeconds, botMs / n, load.P50, load.P99,
                idleRss, peakRss, pgMs / n, harnessMs / n, otherCores, load.Polls);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    /// <summary>
    /// Plays one load through a throwaway emulator before the first measurement (an HTTP client in the harness acting as a
    /// bot), so that the harness's own JIT, tier-up and heap growth (it shares the cores) do not land on whichever bot
    /// goes first.
    /// </summary>
    private static async Task WarmUpHarnessAsync(int updates, int chats)
    {
        await using var emulator = await Emulator.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(emulator.BaseUrl) };
        var help = JsonSerializer.Serialize(Texts.Help);
        var seen = 0;
        var done = emulator.WaitForCallAsync(c => c.Method == "sendMessage" && ++seen >= updates, TimeSpan.FromSeconds(120));
        for (var i = 0; i < updates; i++)
        {
            emulator.SendText(FirstChat + (i % chats), "/help", firstName: "Bench");
        }

        // Update ids count from 1: each batch of 100 is confirmed by the next poll.
        for (var offset = 1; offset <= updates; offset += 100)
        {
            using var poll = await http.PostAsync(new Uri($"/bot{Token}/getUpdates", UriKind.Relative), Json($"{{\"offset\":{offset},\"limit\":100,\"timeout\":0}}"));
            await Parallel.ForAsync(offset, Math.Min(offset + 100, updates + 1), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, ct) =>
            {
                using var send = await http.PostAsync(new Uri($"/bot{Token}/sendMessage", UriKind.Relative),
                    Json($"{{\"chat_id\":{FirstChat + ((id - 1) % chats)},\"text\":{help},\"parse_mode\":\"HTML\",\"link_preview_options\":{{\"is_disabled\":true}}}}"), ct);
            });
        }

        await done;
        _ = emulator.Calls.Count(c => c.Method == "sendMessage" && c.Ok);
        _ = emulator.MessagesIn(FirstChat).Count(m => m.FromBot);

        static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
    }

    private sealed record PumpResult(TimeSpan Elapsed, double P50, double P99, int Polls);

    /// <summary>
    /// Enqueues <paramref name="count"/> /help messages round-robin over chats (all at once, or <paramref name="rate"/> per
    /// second), waits for as many sendMessage calls, and pairs the k-th reply in a chat with the k-th message of that chat
    /// (a chat is answered in order).
    /// </summary>
    private static async Task<PumpResult?> PumpAsync(Emulator emulator, Process process, int count, int chats, int rate, TimeSpan timeout)
    {
        var start = DateTimeOffset.UtcNow;
        var seen = 0;
        // Counted as the emulator records each call (under its lock): no copies of the growing call log while the bot works.
        var done = emulator.WaitForCallAsync(c => c.Method == "sendMessage" && c.StartedAt >= start && ++seen >= count, timeout);
        var enqueued = new Dictionary<long, List<DateTimeOffset>>();
        var pace = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            // Paced: catch up with the schedule, then sleep a tick (open loop: replies never hold the next message back).
            while (rate > 0 && i >= (pace.Elapsed.TotalSeconds * rate) + 1 && !process.HasExited)
            {
                await Task.Delay(2);
            }

            var chat = FirstChat + (i % chats);
            var message = emulator.SendText(chat, "/help", firstName: "Bench");
            if (!enqueued.TryGetValue(chat, out var times))
            {
                enqueued[chat] = times = [];
            }

            times.Add(message.Date);
        }

        if (!await UntilAsync(done, process))
        {
            return null;
        }

        var calls = emulator.Calls;
        var polls = calls.Count(c => c.Method == "getUpdates" && c.StartedAt >= start);
        var sends = calls.Where(c => c.Method == "sendMessage" && c.StartedAt >= start).ToList();
        var latencies = new List<double>(sends.Count);
        foreach (var group in sends.GroupBy(c => c.ChatId ?? 0))
        {
            var times = enqueued.GetValueOrDefault(group.Key) ?? [];
            var k = 0;
            foreach (var reply in group.OrderBy(c => c.FinishedAt))
            {
                if (k < times.Count)
                {
                    latencies.Add((reply.FinishedAt - times[k]).TotalMilliseconds);
                }

                k++;
            }
        }

        latencies.Sort();
        var last = sends.Max(c => c.FinishedAt);
        return new PumpResult(last - start, Stats.Percentile(latencies, 0.5), Stats.Percentile(latencies, 0.99), polls);
    }

    /// <summary>Every chat got exactly its replies (the /help text, HTML, no link preview), and every user has one row.</summary>
    private static async Task<bool> CheckAsync(Contender contender, Emulator emulator, BenchDatabase database, Options options, ConcurrentQueue<string> output)
    {
        var problems = new List<string>();
        var failedCalls = emulator.Calls.Count(c => c.Method != "getUpdates" && !c.Ok && c.StatusCode != 499);
        if (failedCalls > 0)
        {
            problems.Add($"{failedCalls} Bot API calls failed");
        }

        var wrongChats = 0;
        var wrongReplies = 0;
        for (var i = 0; i < options.Chats; i++)
        {
            var chat = FirstChat + i;
            // One warm-up message, then the burst's share of this chat.
            var expected = 1 + (options.Updates / options.Chats) + (i < options.Updates % options.Chats ? 1 : 0);
            var replies = emulator.MessagesIn(chat).Where(m => m.FromBot).ToList();
            wrongChats += replies.Count == expected ? 0 : 1;
            // Telegram.Bot sends "Html"; Telegram reads parse_mode without regard to case.
            wrongReplies += replies.Count(m => m.Text != Texts.Help || !string.Equals(m.ParseMode, "HTML", StringComparison.OrdinalIgnoreCase) || !m.LinkPreviewDisabled);
        }

        if (wrongChats > 0)
        {
            problems.Add($"{wrongChats} chats did not get exactly their replies");
        }

        if (wrongReplies > 0)
        {
            problems.Add($"{wrongReplies} replies differ from /help in HTML without link preview");
        }

        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT count(*), count(DISTINCT id), count(*) FILTER (WHERE id BETWEEN @first AND @last AND first_name = 'Bench' AND last_seen_at >= created_at) FROM telegram_users",
                connection);
            command.Parameters.AddWithValue("first", FirstChat);
            command.Parameters.AddWithValue("last", FirstChat + options.Chats - 1);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            var (rows, distinct, matching) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            if (rows != options.Chats || distinct != options.Chats || matching != options.Chats)
            {
                problems.Add($"telegram_users: {rows} rows, {distinct} ids, {matching} of the bench users (expected {options.Chats})");
            }
        }

        // The same durable work as ours: every update recorded once, every reply an outbox row recorded as sent (each bot
        // records "sent" a moment after the send, in group commits: give the last one a few seconds).
        var expectedRows = options.Updates + options.Chats;
        (long Updates, long Sent, long Rows) durable = default;
        for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(100))
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT (SELECT count(*) FROM updates WHERE handled_at IS NOT NULL), (SELECT count(*) FROM outbox WHERE lane = 0 AND status = 1), (SELECT count(*) FROM outbox)",
                connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            durable = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            if (durable.Sent >= expectedRows)
            {
                break;
            }
        }

        if (durable.Updates != expectedRows || durable.Sent != expectedRows || durable.Rows != expectedRows)
        {
            problems.Add($"updates handled {durable.Updates}, reply rows sent {durable.Sent} of {durable.Rows} (expected {expectedRows} each)");
        }

        if (problems.Count > 0)
        {
            Dump(contender, string.Join("; ", problems), output);
        }

        return problems.Count == 0;
    }

    private static void PrintSummary(List<RunResult> results, List<Contender> contenders, Options options)
    {
        Console.WriteLine();
        Console.WriteLine($"Median [min–max] of {options.Runs} runs ({options.Updates:N0} updates, {options.Chats} chats, emulator latency {options.LatencyMs} ms, "
            + $"{(options.Rate > 0 ? $"paced at {options.Rate}/s" : "all at once")}):");
        Console.WriteLine();
        Console.WriteLine("| bot | updates/s | CPU ms/update | p50 ms | p99 ms | idle RSS MB | peak RSS MB | PostgreSQL CPU ms/update | other load (cores) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var contender in contenders)
        {
            var rows = results.Where(r => r.Bot == contender.Name && r.Correct).ToList();
            if (rows.Count == 0)
            {
                Console.WriteLine($"| {contender.Name} | no correct run | | | | | | | |");
                continue;
            }

            Console.WriteLine($"| {contender.Name} | {Spread(rows, r => r.UpdatesPerSecond, "0")} | {Spread(rows, r => r.CpuMsPerUpdate, "0.000")} "
                + $"| {Spread(rows, r => r.P50, "0")} | {Spread(rows, r => r.P99, "0")} | {Spread(rows, r => r.IdleRssMb, "0.0")} "
                + $"| {Spread(rows, r => r.PeakRssMb, "0.0")} | {Spread(rows, r => r.PgCpuMsPerUpdate, "0.000")} | {Spread(rows, r => r.OtherLoadCores, "0.00")} |");
        }

        var ours = results.Where(r => r.Bot == "ours" && r.Correct).ToDictionary(r => r.Run);
        var peers = contenders.Where(c => c.Name != "ours").ToList();
        if (ours.Count == 0 || peers.Count == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("Ours ÷ theirs, per run (both measured in the same run), median [min–max]:");
        Console.WriteLine();
        Console.WriteLine("| ours ÷ | throughput (goal ≥ 3) | CPU per update | p99 latency (goal < 1) | idle RSS |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var peer in peers)
        {
            var pairs = results.Where(r => r.Bot == peer.Name && r.Correct && ours.ContainsKey(r.Run)).Select(r => (Ours: ours[r.Run], Peer: r)).ToList();
            if (pairs.Count == 0)
            {
                Console.WriteLine($"| {peer.Name} | no paired run | | | |");
                continue;
            }

            var throughput = pairs.Select(p => p.Ours.UpdatesPerSecond / p.Peer.UpdatesPerSecond).ToList();
            var p99 = pairs.Select(p => p.Ours.P99 / p.Peer.P99).ToList();
            Console.WriteLine($"| {peer.Name} | {Spread(throughput, "0.00")}× | {Spread(pairs.Select(p => p.Ours.CpuMsPerUpdate / p.Peer.CpuMsPerUpdate).ToList(), "0.00")}× "
                + $"| {Spread(p99, "0.00")}× | {Spread(pairs.Select(p => p.Ours.IdleRssMb / p.Peer.IdleRssMb).ToList(), "0.00")}× |");
            var met = Median(throughput) >= 3 && Median(p99) < 1;
            Console.WriteLine($"|   goal vs {peer.Name} | {(met ? "met" : "not met")} (median throughput ratio {Median(throughput):0.00}, median p99 ratio {Median(p99):0.00}) | | | |");
        }
    }

    /// <summary>Each run's figures for `bench all`: ours against the targets, and against each peer of the same run.</summary>
    private static void ReportFigures(List<RunResult> results)
    {
        foreach (var ours in results.Where(r => r.Bot == "ours" && r.Correct))
        {
            BenchFigures.Report("peers.ours.updates_per_s", "ours: /help updates/s end to end", ours.UpdatesPerSecond, "updates/s", Better.Higher, 1500);
            BenchFigures.Report("peers.ours.cpu_ms", "ours: bot CPU per update", ours.CpuMsPerUpdate, "ms", Better.Lower, 0.3);
            BenchFigures.Report("peers.ours.pg_cpu_ms", "ours: PostgreSQL CPU per update", ours.PgCpuMsPerUpdate, "ms", Better.Lower);
            foreach (var peer in results.Where(r => r.Bot != "ours" && r.Correct && r.Run == ours.Run))
            {
                BenchFigures.Report(new BenchFigure($"peers.throughput.{peer.Bot}", $"ours vs {peer.Bot}: updates/s", ours.UpdatesPerSecond, "updates/s", Better.Higher,
                    AnchorLabel: peer.Bot, Anchor: peer.UpdatesPerSecond, RatioTarget: 3));
                BenchFigures.Report(new BenchFigure($"peers.cpu.{peer.Bot}", $"ours vs {peer.Bot}: CPU per update", ours.CpuMsPerUpdate, "ms", Better.Lower,
                    AnchorLabel: peer.Bot, Anchor: peer.CpuMsPerUpdate));
                BenchFigures.Report(new BenchFigure($"peers.p99.{peer.Bot}", $"ours vs {peer.Bot}: p99 latency", ours.P99, "ms", Better.Lower,
                    AnchorLabel: peer.Bot, Anchor: peer.P99, RatioTarget: 1));
                BenchFigures.Report(new BenchFigure($"peers.idle_rss.{peer.Bot}", $"ours vs {peer.Bot}: idle RSS", ours.IdleRssMb, "MB", Better.Lower,
                    AnchorLabel: peer.Bot, Anchor: peer.IdleRssMb));
            }
        }
    }

    private static string Spread(List<RunResult> rows, Func<RunResult, double> pick, string format) => Spread([.. rows.Select(pick)], format);

    private static string Spread(List<double> values, string format)
    {
        var ci = CultureInfo.InvariantCulture;
        return values.Count == 1
            ? values[0].ToString(format, ci)
            : $"{Median(values).ToString(format, ci)} [{values.Min().ToString(format, ci)}–{values.Max().ToString(format, ci)}]";
    }

    private static double Median(List<double> values) => Stats.Percentile([.. values.Order()], 0.5);

    /// <summary>Waits for <paramref name="task"/>; false when it timed out or the bot process exited first.</summary>
    private static async Task<bool> UntilAsync(Task task, Process process)
    {
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(task, exited);
        if (first != task)
        {
            return false;
        }

        try
        {
            await task;
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static void Dump(Contender contender, string what, ConcurrentQueue<string> output)
    {
        Console.WriteLine($"    {contender.Name}: {what}; its last output:");
        foreach (var line in output)
        {
            Console.WriteLine("    | " + line);
        }
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 40)
        {
            output.TryDequeue(out _);
        }
    }

    private static async Task<int?> TerminateAsync(Process process)
    {
        if (process.HasExited)
        {
            return process.ExitCode;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return null;
        }
    }

    private static long ReadStatusKb(int pid, string field) => PipelineBenchmark.ReadStatusKb(pid, field);

    /// <summary>utime + stime + cutime + cstime of a process (all its threads, and children it waited for), in clock ticks.</summary>
    private static long ProcessTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name in parentheses, which may itself contain spaces; utime is field 14.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
                + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>CPU time the whole machine spent busy (all cores, everything but idle and iowait), in clock ticks.</summary>
    private static long MachineBusyTicks()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
        return cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7];
    }

    private static double ClockTicksPerSecond()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", ["CLK_TCK"]) { RedirectStandardOutput = true, UseShellExecute = false });
            var text = getconf!.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return double.TryParse(text, CultureInfo.InvariantCulture, out var hz) && hz > 0 ? hz : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }

    /// <summary>CPU of the PostgreSQL backends serving the bench database (the server runs on this machine).</summary>
    private sealed class PostgresProbe(string connectionString) : IAsyncDisposable
    {
        private readonly NpgsqlConnection _connection = new(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);

        public async Task<Dictionary<int, long>> BackendTicksAsync()
        {
            if (_connection.State != System.Data.ConnectionState.Open)
            {
                await _connection.OpenAsync();
            }

            await using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", _connection);
            var ticks = new Dictionary<int, long>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var pid = reader.GetInt32(0);
                ticks[pid] = ProcessTicks(pid);
            }

            return ticks;
        }

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}
