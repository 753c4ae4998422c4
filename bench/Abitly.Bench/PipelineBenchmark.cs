using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Abitly.Bot.Configuration;
using Abitly.Bot.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Emulator = Abitly.BotApiEmulator.BotApiEmulator;

namespace Abitly.Bench;

/// <summary>
/// The bot end to end against the Bot API emulator, as production ships it (the `dotnet publish` of the Dockerfile, run
/// from its publish folder): (a) process start to /healthcheck 200 and to the first getUpdates, over several cold starts,
/// (b) idle RSS of each started process, (d) /help updates per second through that process (its own GC settings), and
/// (c) /help updates per second through the in-process host.
/// </summary>
internal static class PipelineBenchmark
{
    private const string Token = "123456:bench";
    private const long FirstChat = 5_000_000;
    private static readonly double TicksPerSecond = ClockTicksPerSecond();

    /// <summary>The options of one run of the benchmark.</summary>
    private sealed record Options(
        int Updates,
        int Chats,
        int Runs,
        string App,
        int IdleSeconds,
        bool InProcess,
        bool Verbose,
        IReadOnlyList<(string Name, string Value)> Env);

    /// <summary>How to start the bot: the program, its arguments and what it is, for the printout.</summary>
    private sealed record BotApp(string File, string[] Args, string Description);

    /// <summary>What one cold start measured.</summary>
    private sealed record StartResult(double HealthMs, double ReceivingMs, double HealthCpuMs, double ReceivingCpuMs, double IdleRssMb, double IdleHwmMb);

    public const string Usage = "pipeline [updates=10000] [chats=200] [--runs N=5] [--app publish|build|DIR] [--idle-seconds N=5] [--env NAME=VALUE ...] [--no-inprocess] [--quick] [--verbose]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (ParseOptions(args) is not { } options)
        {
            Console.Error.WriteLine("usage: " + Usage);
            return 2;
        }

        var redis = BenchDatabase.RedisConfiguration();
        if (redis is null || ResolveApp(options.App) is not { } app)
        {
            return 2;
        }

        await using var database = await BenchDatabase.CreateAsync("pipeline");
        if (database is null)
        {
            return 2;
        }

        var ok = await ProcessAsync(app, database.ConnectionString, options);
        if (options.InProcess)
        {
            // A database of its own: the started process recorded the update ids a fresh emulator hands out again, and an
            // update recorded as handled is not handled twice.
            await using var inProcess = await BenchDatabase.CreateAsync("pipeline_inprocess");
            ok &= inProcess is not null && await ThroughputAsync(inProcess.ConnectionString, redis, options.Updates, options.Chats);
        }

        Console.WriteLine(ok ? "PASS" : "FAIL");
        return ok ? 0 : 1;
    }

    private static Options? ParseOptions(string[] args)
    {
        var positional = new List<int>();
        int? runs = null;
        var app = "publish";
        int? idle = null;
        var inProcess = true;
        var quick = false;
        var verbose = false;
        List<(string, string)> env = [];
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0:
                    runs = n;
                    i++;
                    break;
                case "--idle-seconds" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var s) && s >= 0:
                    idle = s;
                    i++;
                    break;
                case "--app" when i + 1 < args.Length:
                    app = args[++i];
                    break;
                case "--env" when i + 1 < args.Length && args[i + 1].IndexOf('=', StringComparison.Ordinal) > 0:
                    // Runtime settings to try on the started bot alone (e.g. DOTNET_gcServer=0); the harness keeps its own.
                    var eq = args[i + 1].IndexOf('=', StringComparison.Ordinal);
                    env.Add((args[i + 1][..eq], args[i + 1][(eq + 1)..]));
                    i++;
                    break;
                case "--no-inprocess":
                    inProcess = false;
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "--verbose":
                    verbose = true;
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

        // Quick: three starts, a short load on the started process, no in-process host (about 30 s with the publish up to date).
        var updates = positional.Count > 0 ? positional[0] : quick ? 1_000 : 10_000;
        var chats = positional.Count > 1 ? positional[1] : 200;
        return new Options(updates, chats, runs ?? (quick ? 3 : 5), app, idle ?? 5, inProcess && !quick, verbose, env);
    }

    /// <summary>
    /// publish: the Dockerfile's `dotnet publish src/Abitly.Bot -c Release` (ReadyToRun) into a folder beside the benchmark,
    /// started by its apphost as the image's entry point does; build: the plain build copied beside the benchmark
    /// (`dotnet Abitly.Bot.dll`, JIT only); otherwise a publish folder given by path.
    /// </summary>
    private static BotApp? ResolveApp(string app)
    {
        switch (app)
        {
            case "build":
                var dll = Path.Combine(AppContext.BaseDirectory, "Abitly.Bot.dll");
                return new BotApp("dotnet", [dll], $"plain build: dotnet {Path.GetRelativePath(Environment.CurrentDirectory, dll)}");
            case "publish":
                var project = FindRepositoryFile(Path.Combine("src", "Abitly.Bot", "Abitly.Bot.csproj"));
                if (project is null)
                {
                    Console.Error.WriteLine("src/Abitly.Bot not found above the current folder: run from the repository, or give --app DIR");
                    return null;
                }

                var folder = Path.Combine(AppContext.BaseDirectory, "published-bot");
                var watch = Stopwatch.StartNew();
                using (var publish = Process.Start(new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-o", folder, "--verbosity", "quiet", "-nologo"])
                {
                    UseShellExecute = false,
                }))
                {
                    publish!.WaitForExit();
                    if (publish.ExitCode != 0)
                    {
                        Console.Error.WriteLine($"dotnet publish failed with exit code {publish.ExitCode}");
                        return null;
                    }
                }

                Console.WriteLine($"dotnet publish -c Release (as the Dockerfile): {watch.Elapsed.TotalSeconds:0.0} s");
                return FromFolder(folder, "production publish (ReadyToRun)");
            default:
                return FromFolder(Path.GetFullPath(app), "publish folder");
        }

        static BotApp? FromFolder(string folder, string what)
        {
            var apphost = Path.Combine(folder, "Abitly.Bot");
            if (!File.Exists(apphost))
            {
                Console.Error.WriteLine($"{apphost} not found");
                return null;
            }

            return new BotApp(apphost, [], $"{what}: {Path.GetRelativePath(Environment.CurrentDirectory, apphost)}");
        }
    }

    private static async Task<bool> ProcessAsync(BotApp app, string cs, Options options)
    {
        Console.WriteLine($"(a) process start, {app.Description}"
            + (options.Env.Count > 0 ? $", with {string.Join(' ', options.Env.Select(e => $"{e.Name}={e.Value}"))}" : "")
            + $"; {options.Runs} cold starts after one unmeasured start (disk cache, Quartz tables); {Environment.ProcessorCount} cores, load {LoadAverage()}");
        var pass = true;
        var results = new List<StartResult>();
        for (var run = 0; run <= options.Runs; run++)
        {
            await using var emulator = await Emulator.StartAsync();
            using var bot = Start(app, cs, emulator.BaseUrl, options.Env);
            var started = await MeasureStartAsync(bot, emulator, run == 0 ? 0 : options.IdleSeconds);
            if (started is null)
            {
                Console.WriteLine($"  run {run}: the bot never came up; process exited: {bot.Process.HasExited}");
                bot.Dump();
                pass = false;
                continue;
            }

            if (options.Verbose)
            {
                bot.Dump();
            }

            if (run == 0)
            {
                Console.WriteLine($"  unmeasured start: /healthcheck {started.HealthMs:0} ms, first getUpdates {started.ReceivingMs:0} ms");
            }
            else
            {
                results.Add(started);
                Console.WriteLine($"  run {run}: /healthcheck 200 after {started.HealthMs:0} ms (CPU {started.HealthCpuMs:0} ms), "
                    + $"first getUpdates after {started.ReceivingMs:0} ms (CPU {started.ReceivingCpuMs:0} ms), "
                    + $"idle RSS after {options.IdleSeconds} s {started.IdleRssMb:0.0} MB (peak {started.IdleHwmMb:0.0} MB)");
            }

            if (run == options.Runs)
            {
                pass &= await LoadAsync(bot, emulator, options);
            }

            var stop = Stopwatch.StartNew();
            var code = await TerminateAsync(bot.Process);
            if (run == options.Runs || code != 0)
            {
                Console.WriteLine($"  SIGTERM: exit code {Fmt(code)} after {stop.Elapsed.TotalMilliseconds:0} ms");
            }

            pass &= code == 0;
        }

        if (results.Count == 0)
        {
            return false;
        }

        Console.WriteLine($"(a) {results.Count} starts: /healthcheck {Spread(results.Select(r => r.HealthMs))} ms, first getUpdates {Spread(results.Select(r => r.ReceivingMs))} ms; "
            + $"CPU until health {Spread(results.Select(r => r.HealthCpuMs))} ms, until receiving {Spread(results.Select(r => r.ReceivingCpuMs))} ms");
        Console.WriteLine($"(b) idle RSS {options.IdleSeconds} s after the first getUpdates: {Spread(results.Select(r => r.IdleRssMb), "0.0")} MB "
            + $"(peak VmHWM {Spread(results.Select(r => r.IdleHwmMb), "0.0")} MB)");
        BenchFigures.Report("startup.health_ms", "process start → /healthcheck 200 (median)", Median(results.Select(r => r.HealthMs)), "ms", Better.Lower, 300);
        BenchFigures.Report("startup.receiving_ms", "process start → first getUpdates (median)", Median(results.Select(r => r.ReceivingMs)), "ms", Better.Lower, 1500);
        BenchFigures.Report("memory.idle_rss_mb", "idle RSS after start-up (median)", Median(results.Select(r => r.IdleRssMb)), "MB", Better.Lower, 100);
        BenchFigures.Report("startup.receiving_cpu_ms", "CPU of the bot process until the first getUpdates (median)", Median(results.Select(r => r.ReceivingCpuMs)), "ms", Better.Lower);
        return pass;
    }

    /// <summary>
    /// Start → /healthcheck 200 → receiving, the CPU the process spent until each, then RSS after the idle wait. The bot's
    /// "Receiving updates" line marks when the CPU is read (the emulator records a long poll only when it ends); the
    /// receiving time is the start of the first getUpdates, which one update sent after the idle wait ends.
    /// </summary>
    private static async Task<StartResult?> MeasureStartAsync(StartedBot bot, Emulator emulator, int idleSeconds)
    {
        var firstPoll = emulator.WaitForCallAsync(c => c.Method == "getUpdates", TimeSpan.FromSeconds(90));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        double? healthMs = null;
        double healthCpu = 0;
        while (bot.Watch.Elapsed < TimeSpan.FromSeconds(60) && !bot.Process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{bot.Port}/healthcheck"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    healthMs = bot.Watch.Elapsed.TotalMilliseconds;
                    healthCpu = CpuMs(bot.Process.Id);
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(2);
        }

        if (healthMs is null || !await bot.Receiving.WaitAsync(TimeSpan.FromSeconds(60)).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default))
        {
            return null;
        }

        var receivingCpu = CpuMs(bot.Process.Id);
        await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
        var rss = ReadStatusKb(bot.Process.Id, "VmRSS") / 1024.0;
        var hwm = ReadStatusKb(bot.Process.Id, "VmHWM") / 1024.0;
        emulator.SendText(FirstChat - 1, "/help", firstName: "Bench");
        try
        {
            var call = await firstPoll;
            return new StartResult(healthMs.Value, (call.StartedAt - bot.StartedAt).TotalMilliseconds, healthCpu, receivingCpu, rss, hwm);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// (d) /help through the started process itself, so that its runtime settings (GC, tiering) are what is measured: one
    /// update per chat to warm up, then the load; updates/s, the process's CPU per update, and its memory after.
    /// </summary>
    private static async Task<bool> LoadAsync(StartedBot bot, Emulator emulator, Options options)
    {
        Console.WriteLine($"(d) the last started process: {options.Updates:N0} /help updates from {options.Chats} chats, all enqueued at once");
        if (await PumpAsync(emulator, options.Chats, options.Chats, TimeSpan.FromSeconds(60)) is null)
        {
            Console.WriteLine("  warm-up replies did not all arrive");
            bot.Dump();
            return false;
        }

        var cpuBefore = CpuMs(bot.Process.Id);
        var result = await PumpAsync(emulator, options.Updates, options.Chats, TimeSpan.FromSeconds(300));
        var cpu = CpuMs(bot.Process.Id) - cpuBefore;
        if (result is null)
        {
            Console.WriteLine("  the replies of the load did not all arrive");
            bot.Dump();
            return false;
        }

        var rate = options.Updates / result.Value.TotalSeconds;
        var rss = ReadStatusKb(bot.Process.Id, "VmRSS") / 1024.0;
        var hwm = ReadStatusKb(bot.Process.Id, "VmHWM") / 1024.0;
        Console.WriteLine($"  {options.Updates:N0} replies in {result.Value.TotalSeconds:0.00} s: {rate:0} updates/s, CPU {cpu / options.Updates:0.000} ms/update; "
            + $"RSS after the load {rss:0.0} MB (peak {hwm:0.0} MB)");
        BenchFigures.Report("pipeline.process_updates_per_s", "/help updates/s through the started process (all enqueued at once)", rate, "updates/s", Better.Higher);
        BenchFigures.Report("memory.loaded_rss_mb", "RSS of the started process after the /help load", rss, "MB", Better.Lower);
        return true;
    }

    private static async Task<bool> ThroughputAsync(string cs, string redis, int count, int chats)
    {
        Console.WriteLine($"(c) throughput: in-process host (the benchmark's own runtime settings), {count:N0} /help updates from {chats} chats");
        await using var emulator = await Emulator.StartAsync();
        var settings = new AbitlySettings
        {
            BotToken = Token,
            DatabaseConnectionString = cs,
            RedisConfiguration = redis,
            Port = 0,
            TelegramApiUrl = emulator.BaseUrl,
            CampaignYear = AbitlySettings.CampaignYearOf(DateTimeOffset.UtcNow),
            PollTimeoutSeconds = 1,
            ShutdownGraceSeconds = 5,
        };
        Console.WriteLine($"  UpdateConcurrency {settings.UpdateConcurrency}, PollTimeoutSeconds {settings.PollTimeoutSeconds}");
        await using var app = BotHost.Build(settings, customize: builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await app.StartAsync();
        var runtime = app.Services.GetRequiredService<BotRuntime>();
        var run = Task.Run(() => runtime.RunAsync(app.Lifetime.ApplicationStopping));
        await emulator.WaitForCallAsync(c => c.Method == "getUpdates", TimeSpan.FromSeconds(30));

        var pass = true;
        try
        {
            // Warm-up: one update per chat (user rows are created here, JIT and pools warm up).
            var warm = await PumpAsync(emulator, chats, chats, TimeSpan.FromSeconds(60));
            Console.WriteLine($"  warm-up: {chats} updates in {warm?.TotalMilliseconds ?? double.NaN:0} ms");

            var elapsed = await PumpAsync(emulator, count, chats, TimeSpan.FromSeconds(120));
            var rate = elapsed is { } e ? count / e.TotalSeconds : 0;
            Console.WriteLine($"  {(elapsed is null ? "NOT all" : "all")} {count:N0} replies: {rate:0} updates/s (target >= 500/s)");
            pass = elapsed is not null && rate >= 500;
        }
        finally
        {
            app.Lifetime.StopApplication();
            await run.WaitAsync(TimeSpan.FromSeconds(60));
            await app.StopAsync();
        }

        return pass;
    }

    /// <summary>
    /// Enqueues <paramref name="count"/> /help updates round-robin over chats and waits for as many sendMessage calls,
    /// counted as the emulator records them (no copies of its growing call log while the bot works). Null on a timeout.
    /// </summary>
    private static async Task<TimeSpan?> PumpAsync(Emulator emulator, int count, int chats, TimeSpan timeout)
    {
        var start = DateTimeOffset.UtcNow;
        var seen = 0;
        var done = emulator.WaitForCallAsync(c => c.Method == "sendMessage" && c.Ok && c.ChatId >= FirstChat && c.StartedAt >= start && ++seen >= count, timeout);
        for (var i = 0; i < count; i++)
        {
            emulator.SendText(FirstChat + (i % chats), "/help", firstName: "Bench");
        }

        try
        {
            var last = await done;
            return last.FinishedAt - start;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private static StartedBot Start(BotApp app, string cs, string api, IReadOnlyList<(string Name, string Value)> env)
    {
        var port = FreePort();
        var info = new ProcessStartInfo(app.File, app.Args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(app.Args.Length > 0 ? app.Args[0] : app.File)!,
        };
        info.Environment["BOT_TOKEN"] = Token;
        info.Environment["DATABASE_URL"] = cs;
        info.Environment["REDIS_URL"] = Environment.GetEnvironmentVariable("REDIS_URL");
        info.Environment["TELEGRAM_API_URL"] = api;
        info.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in env)
        {
            info.Environment[name] = value;
        }

        var startedAt = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{app.File} did not start");
        var bot = new StartedBot(process, port, startedAt, watch);
        process.OutputDataReceived += (_, e) => bot.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => bot.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bot;
    }

    /// <summary>A started bot process, the last lines it printed, and when it was started.</summary>
    private sealed class StartedBot(Process process, int port, DateTimeOffset startedAt, Stopwatch watch) : IDisposable
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
        private readonly TaskCompletionSource _receiving = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Process Process { get; } = process;

        public int Port { get; } = port;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public Stopwatch Watch { get; } = watch;

        /// <summary>Completes when the bot logs that it receives updates (BotRuntime's line after the receiver started).</summary>
        public Task Receiving => _receiving.Task;

        public void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            if (line.Contains("Receiving updates as", StringComparison.Ordinal))
            {
                _receiving.TrySetResult();
            }

            _output.Enqueue(line);
            while (_output.Count > 60)
            {
                _output.TryDequeue(out _);
            }
        }

        public void Dump()
        {
            foreach (var line in _output)
            {
                Console.WriteLine("    | " + line);
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }

            Process.Dispose();
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

    internal static long ReadStatusKb(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>User plus system CPU of a process so far (/proc/PID/stat fields 14 and 15), in milliseconds.</summary>
    private static double CpuMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis start at field 3.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 1000 / TicksPerSecond;
    }

    private static double ClockTicksPerSecond()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", ["CLK_TCK"]) { RedirectStandardOutput = true, UseShellExecute = false });
            var text = getconf!.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return double.Parse(text, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or FormatException)
        {
            return 100;
        }
    }

    private static string? FindRepositoryFile(string relative)
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static double Median(IEnumerable<double> values) => Stats.Percentile([.. values.Order()], 0.5);

    /// <summary>"median (min–max)" of a sample.</summary>
    private static string Spread(IEnumerable<double> values, string format = "0")
    {
        var sorted = values.Order().ToList();
        return $"median {Median(sorted).ToString(format, CultureInfo.InvariantCulture)} "
            + $"({sorted[0].ToString(format, CultureInfo.InvariantCulture)}–{sorted[^1].ToString(format, CultureInfo.InvariantCulture)})";
    }

    private static string Fmt(int? code) => code is { } c ? c.ToString(CultureInfo.InvariantCulture) : "none (killed after 45 s)";
}
