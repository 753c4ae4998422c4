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
/// The bot end to end against the Bot API emulator: (a) process start to /healthcheck 200 and to the first getUpdates,
/// (b) idle RSS of that process, (c) /help updates per second through the in-process host.
/// </summary>
internal static class PipelineBenchmark
{
    private const string Token = "123456:bench";

    public static async Task<int> RunAsync(string[] args)
    {
        var updates = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var chats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var redis = BenchDatabase.RedisConfiguration();
        await using var database = await BenchDatabase.CreateAsync("pipeline");
        if (database is null || redis is null)
        {
            return 2;
        }

        var ok = await ProcessStartAsync(database.ConnectionString);
        ok &= await ThroughputAsync(database.ConnectionString, redis, updates, chats);
        Console.WriteLine(ok ? "PASS" : "FAIL");
        return ok ? 0 : 1;
    }

    private static async Task<bool> ProcessStartAsync(string cs)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Abitly.Bot.dll");
        Console.WriteLine($"(a) process start: dotnet {Path.GetRelativePath(Environment.CurrentDirectory, dll)}");
        var pass = true;
        const int runs = 3;
        var health = new List<double>();
        var polling = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            await using var emulator = await Emulator.StartAsync();
            var port = FreePort();
            var info = new ProcessStartInfo("dotnet", [dll])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            info.Environment["BOT_TOKEN"] = Token;
            info.Environment["DATABASE_URL"] = cs;
            info.Environment["REDIS_URL"] = Environment.GetEnvironmentVariable("REDIS_URL");
            info.Environment["TELEGRAM_API_URL"] = emulator.BaseUrl;
            info.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
            info.Environment["DOTNET_ENVIRONMENT"] = "Production";

            var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
            var startedAt = DateTimeOffset.UtcNow;
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
            process.OutputDataReceived += (_, e) => Keep(output, e.Data);
            process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var firstPoll = emulator.WaitForCallAsync(c => c.Method == "getUpdates", TimeSpan.FromSeconds(60));

            double? healthMs = null;
            while (watch.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
            {
                try
                {
                    using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthcheck"));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        healthMs = watch.Elapsed.TotalMilliseconds;
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }

                await Task.Delay(5);
            }

            double? pollMs = null;
            try
            {
                var call = await firstPoll;
                pollMs = (call.StartedAt - startedAt).TotalMilliseconds;
            }
            catch (TimeoutException)
            {
            }

            if (healthMs is null || pollMs is null)
            {
                Console.WriteLine($"  run {run}: healthcheck {Fmt(healthMs)}, first getUpdates {Fmt(pollMs)}; process exited: {process.HasExited}");
                foreach (var line in output)
                {
                    Console.WriteLine("    | " + line);
                }

                pass = false;
                await TerminateAsync(process);
                continue;
            }

            health.Add(healthMs.Value);
            polling.Add(pollMs.Value);
            Console.WriteLine($"  run {run}: /healthcheck 200 after {healthMs:0} ms, first getUpdates after {pollMs:0} ms");

            if (run == runs)
            {
                // (b) idle memory of the same process.
                await Task.Delay(TimeSpan.FromSeconds(5));
                var rss = ReadStatusKb(process.Id, "VmRSS");
                var hwm = ReadStatusKb(process.Id, "VmHWM");
                Console.WriteLine($"(b) idle RSS after 5 s: {rss / 1024.0:0.0} MB (peak VmHWM {hwm / 1024.0:0.0} MB) (target <= 150 MB)");
                pass &= rss / 1024.0 <= 150;
            }

            var stop = Stopwatch.StartNew();
            var code = await TerminateAsync(process);
            Console.WriteLine($"  SIGTERM: exit code {Fmt(code)} after {stop.Elapsed.TotalMilliseconds:0} ms");
        }

        if (health.Count > 0)
        {
            Console.WriteLine($"(a) median of {health.Count}: /healthcheck {Median(health):0} ms, first getUpdates {Median(polling):0} ms (first run includes a cold disk cache)");
        }

        return pass;
    }

    private static async Task<bool> ThroughputAsync(string cs, string redis, int count, int chats)
    {
        Console.WriteLine($"(c) throughput: in-process host, {count:N0} /help updates from {chats} chats");
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
            Console.WriteLine($"  warm-up: {chats} updates in {warm.Elapsed.TotalMilliseconds:0} ms");

            var result = await PumpAsync(emulator, count, chats, TimeSpan.FromSeconds(120));
            var rate = result.Replies / result.Elapsed.TotalSeconds;
            Console.WriteLine($"  {result.Replies:N0} of {count:N0} replies in {result.Elapsed.TotalSeconds:0.00} s: {rate:0} updates/s (target >= 500/s)");
            Console.WriteLine($"  reply latency from enqueue: p50 {result.P50:0} ms, p99 {result.P99:0} ms (all enqueued at once); getUpdates calls {result.Polls}");
            pass = result.Replies == count && rate >= 500;
        }
        finally
        {
            app.Lifetime.StopApplication();
            await run.WaitAsync(TimeSpan.FromSeconds(60));
            await app.StopAsync();
        }

        return pass;
    }

    private sealed record PumpResult(int Replies, TimeSpan Elapsed, double P50, double P99, int Polls);

    /// <summary>Enqueues <paramref name="count"/> /help updates round-robin over chats and waits for as many sendMessage calls.</summary>
    private static async Task<PumpResult> PumpAsync(Emulator emulator, int count, int chats, TimeSpan timeout)
    {
        var before = emulator.Calls;
        var baseSends = before.Count(c => c.Method == "sendMessage" && c.Ok);
        var basePolls = before.Count(c => c.Method == "getUpdates");
        var start = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var chat = 5_000_000L + (i % chats);
            emulator.SendText(chat, "/help", firstName: "Bench");
        }

        List<Abitly.BotApiEmulator.RecordedCall> sends = [];
        while (watch.Elapsed < timeout)
        {
            await Task.Delay(10);
            sends = [.. emulator.Calls.Where(c => c.Method == "sendMessage" && c.Ok).Skip(baseSends)];
            if (sends.Count >= count)
            {
                break;
            }
        }

        var last = sends.Count == 0 ? start : sends.Max(c => c.FinishedAt);
        var latencies = sends.Select(c => (c.FinishedAt - start).TotalMilliseconds).Order().ToList();
        var polls = emulator.Calls.Count(c => c.Method == "getUpdates") - basePolls;
        return new PumpResult(sends.Count, last - start, Stats.Percentile(latencies, 0.5), Stats.Percentile(latencies, 0.99), polls);
    }

    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> output, string? line)
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

    private static double Median(List<double> values) => Stats.Percentile([.. values.Order()], 0.5);

    private static string Fmt(double? ms) => ms is { } v ? $"{v:0} ms" : "never";

    private static string Fmt(int? code) => code is { } c ? c.ToString(CultureInfo.InvariantCulture) : "none (killed after 45 s)";
}
