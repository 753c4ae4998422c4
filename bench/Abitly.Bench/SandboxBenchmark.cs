using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Abitly.Bot.Data;
using Abitly.Sandbox;

namespace Abitly.Bench;

/// <summary>
/// The `sandbox` command as a newcomer meets it: process start to a receiving bot with a fresh database (migrate and
/// seed) and with an existing one; idle RSS; and the round trip of the web chat's API (post a message, long-poll the
/// bot's answer) for /help and for an offer view of about 10,000 applicants on SQLite. Needs no PostgreSQL or Redis.
/// </summary>
internal static class SandboxBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sends = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
        var directory = Directory.CreateTempSubdirectory("abitly-sandbox-bench-").FullName;
        var cold = new List<double>();
        var warm = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            var fresh = Path.Combine(directory, $"cold{run}");
            Directory.CreateDirectory(fresh);
            await using var sandbox = await SandboxRun.StartAsync(fresh);
            cold.Add(sandbox.ReadyMs);
        }

        for (var run = 0; run < 3; run++)
        {
            await using var sandbox = await SandboxRun.StartAsync(Path.Combine(directory, "cold0"));
            warm.Add(sandbox.ReadyMs);
        }

        Console.WriteLine($"(a) start to receiving, fresh database (migrate + import the demo campaigns, 29,500 applications): median {Median(cold):0} ms ({string.Join(", ", cold.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))})");
        Console.WriteLine($"    start to receiving, existing database: median {Median(warm):0} ms ({string.Join(", ", warm.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))})");

        await using (var sandbox = await SandboxRun.StartAsync(Path.Combine(directory, "cold0")))
        {
            using var http = new HttpClient { BaseAddress = new Uri(sandbox.Url), Timeout = TimeSpan.FromSeconds(60) };
            var after = 0L;
            var help = new List<double>();
            var offer = new List<double>();
            for (var i = 0; i < sends; i++)
            {
                (var ms, after) = await RoundTripAsync(http, "/help", after);
                help.Add(ms);
                (ms, after) = await RoundTripAsync(http, $"https://vstup.edbo.gov.ua/offer/{DemoData.Ids.ComputerScienceOffer}/", after);
                offer.Add(ms);
            }

            await Task.Delay(TimeSpan.FromSeconds(5));
            var rss = PipelineBenchmark.ReadStatusKb(sandbox.Pid, "VmRSS");
            Console.WriteLine($"(b) web chat round trip (POST message → bot answer in the long poll), {sends} each:");
            Console.WriteLine($"    /help        p50 {Stats.Percentile([.. help.Order()], 0.5):0.0} ms, p99 {Stats.Percentile([.. help.Order()], 0.99):0.0} ms");
            Console.WriteLine($"    offer view   p50 {Stats.Percentile([.. offer.Order()], 0.5):0.0} ms, p99 {Stats.Percentile([.. offer.Order()], 0.99):0.0} ms (about 10,000 applicants, SQLite; the first view prepares the list)");
            Console.WriteLine($"(c) idle RSS after the round trips: {rss / 1024.0:0.0} MB");
        }

        Directory.Delete(directory, recursive: true);
        return 0;
    }

    /// <summary>Posts as the default persona and waits for a new bot message; returns the time and the version seen.</summary>
    private static async Task<(double Ms, long After)> RoundTripAsync(HttpClient http, string text, long after)
    {
        var watch = Stopwatch.StartNew();
        using var content = new StringContent(new JsonObject { ["text"] = text }.ToJsonString(), Encoding.UTF8, "application/json");
        (await http.PostAsync(new Uri("api/chats/100001/messages", UriKind.Relative), content)).EnsureSuccessStatusCode();
        while (true)
        {
            var poll = await http.GetFromJsonAsync<JsonObject>(new Uri($"api/chats/100001/updates?after={after}&timeout=20", UriKind.Relative));
            after = poll!["version"]!.GetValue<long>();
            if (poll["messages"]!.AsArray().Any(m => m!["fromBot"]!.GetValue<bool>()))
            {
                return (watch.Elapsed.TotalMilliseconds, after);
            }
        }
    }

    private static double Median(List<double> values) => Stats.Percentile([.. values.Order()], 0.5);

    /// <summary>One `dotnet Abitly.Bot.dll sandbox` process in a folder, stopped with SIGTERM.</summary>
    private sealed class SandboxRun : IAsyncDisposable
    {
        private readonly Process _process;

        private SandboxRun(Process process, int port, double readyMs)
        {
            _process = process;
            Url = $"http://127.0.0.1:{port}/";
            ReadyMs = readyMs;
        }

        public string Url { get; }
        public double ReadyMs { get; }
        public int Pid => _process.Id;

        public static async Task<SandboxRun> StartAsync(string directory)
        {
            var port = PipelineBenchmark.FreePort();
            var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Abitly.Sandbox.dll"), "--port", port.ToString(CultureInfo.InvariantCulture)])
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var watch = Stopwatch.StartNew();
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data?.Contains("Receiving updates", StringComparison.Ordinal) == true)
                {
                    ready.TrySetResult();
                }
            };
            process.ErrorDataReceived += (_, e) => Console.Error.WriteLine(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(120));
            return new SandboxRun(process, port, watch.Elapsed.TotalMilliseconds);
        }

        public async ValueTask DisposeAsync()
        {
            using (var kill = Process.Start("kill", $"-TERM {_process.Id}"))
            {
                await kill.WaitForExitAsync();
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
