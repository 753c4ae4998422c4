using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.RegularExpressions;
using Abitly.Bot.Hosting;
using Abitly.Bot.Messaging;
using Abitly.BotApiEmulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Telegram.Bot;
using Emulator = Abitly.BotApiEmulator.BotApiEmulator;

namespace Abitly.Bench;

/// <summary>
/// MessageSender through the emulator: N messages to N chats with the emulator enforcing the same global cap as the
/// sender. Run 1 is clean; run 2 adds 5% scripted 429s with retry_after 1–3 s.
/// </summary>
internal static partial class SenderBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3000;
        var cap = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        Console.WriteLine($"MessageSender: {messages} messages to {messages} chats, cap {cap}/s (sender and emulator), concurrency 8, max retry 3");

        var clean = await RunOnceAsync(messages, cap, scripted429: false);
        var faulty = await RunOnceAsync(messages, cap, scripted429: true);
        var ok = clean && faulty;
        Console.WriteLine(ok ? "PASS" : "FAIL");
        return ok ? 0 : 1;
    }

    private static async Task<bool> RunOnceAsync(int count, int cap, bool scripted429)
    {
        await using var emulator = await Emulator.StartAsync(new BotApiEmulatorOptions { GlobalRateLimitPerSecond = cap });
        var faults = new List<Fault>();
        if (scripted429)
        {
            // Three faults of ~1.67% each (retry_after 1, 2, 3 s): about 5% of calls answer 429. Seeded, so repeatable.
            for (var retryAfter = 1; retryAfter <= 3; retryAfter++)
            {
                faults.Add(emulator.Faults.Add(new Fault
                {
                    Method = "sendMessage",
                    Kind = FaultKind.TooManyRequests,
                    RetryAfterSeconds = retryAfter,
                    Probability = 0.05 / 3,
                    Seed = 1000 + retryAfter,
                    Times = 0,
                    Description = $"Too Many Requests: retry after {retryAfter} (scripted)",
                }));
            }
        }

        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new BotMetrics(services.GetRequiredService<IMeterFactory>());
        using var http = new HttpClient();
        var bot = new TelegramBotClient(new TelegramBotClientOptions("123:abc", emulator.BaseUrl) { RetryThreshold = 0, RetryCount = 0 }, http);
        using var sender = new MessageSender(
            bot,
            new MessageSenderOptions { MaxConcurrency = 8, RatePerSecond = cap, MaxRetry = 3 },
            new NoOpRecipientBlocklist(),
            metrics,
            TimeProvider.System,
            NullLogger<MessageSender>.Instance);
        await sender.StartAsync(CancellationToken.None);

        var result = await sender.SendAsync("bench", Enumerable.Range(1, count).Select(i => new OutgoingMessage(i, $"<b>Нагадування</b> №{i}")));
        await sender.StopAsync(CancellationToken.None);

        var sends = emulator.Calls.Where(c => c.Method == "sendMessage").OrderBy(c => c.StartedAt).ToList();
        var tooMany = sends.Where(c => c.StatusCode == 429).ToList();
        var scripted = tooMany.Count(c => c.ErrorDescription?.Contains("(scripted)", StringComparison.Ordinal) == true);
        var ownLimit = tooMany.Count - scripted;
        var exactlyOnce = Enumerable.Range(1, count).Count(i => emulator.MessagesIn(i).Count == 1);
        var span = sends[^1].StartedAt - sends[0].StartedAt;
        var rate = result.Sent / result.Elapsed.TotalSeconds;
        var ideal = TimeSpan.FromSeconds((double)count / cap);

        Console.WriteLine();
        Console.WriteLine(scripted429 ? "Run 2: 5% scripted 429 (retry_after 1-3 s)" : "Run 1: clean");
        Console.WriteLine($"  result            sent {result.Sent}, blocked {result.Blocked}, dropped {result.DroppedAfterRetries}, failed {result.Failed}, unsent {result.Unsent}");
        Console.WriteLine($"  delivered once    {exactlyOnce} of {count} chats (none twice: {emulator.Calls.Count(c => c.Method == "sendMessage" && c.Ok) == count})");
        Console.WriteLine($"  429 from the emulator's own {cap}/s limit: {ownLimit}");
        Console.WriteLine($"  elapsed           {result.Elapsed.TotalSeconds:0.00} s (first to last call {span.TotalSeconds:0.00} s)");
        var pass = exactlyOnce == count && ownLimit == 0 && result.Sent == count;
        if (!scripted429)
        {
            Console.WriteLine($"  achieved rate     {rate:0.00}/s = {rate / cap:0.000} x cap (target >= 0.97)");
            return pass && rate >= 0.97 * cap;
        }

        // Pauses as the emulator's log shows them: from each 429 answer for retry_after; overlapping pauses count once.
        var pauses = tooMany.Select(c => (From: c.FinishedAt, To: c.FinishedAt.AddSeconds(RetryAfter(c)))).OrderBy(p => p.From).ToList();
        var pauseSum = TimeSpan.FromSeconds(pauses.Sum(p => (p.To - p.From).TotalSeconds));
        var pauseUnion = TimeSpan.Zero;
        var coveredTo = DateTimeOffset.MinValue;
        foreach (var (from, to) in pauses)
        {
            var start = from > coveredTo ? from : coveredTo;
            if (to > start)
            {
                pauseUnion += to - start;
                coveredTo = to;
            }
        }

        var budget = ideal + pauseUnion;
        Console.WriteLine($"  scripted 429s     {scripted} of {sends.Count} calls ({(double)scripted / sends.Count:P1}); fault hits {faults.Sum(f => f.AppliedCount)}");
        Console.WriteLine($"  pauses            sum {pauseSum.TotalSeconds:0.0} s, wall-clock covered by a pause {pauseUnion.TotalSeconds:0.0} s");
        Console.WriteLine($"  ideal + pauses    {ideal.TotalSeconds:0.0} + {pauseUnion.TotalSeconds:0.0} = {budget.TotalSeconds:0.0} s; total {result.Elapsed.TotalSeconds:0.0} s = {result.Elapsed / budget:0.000} x (target <= 1.05)");
        Console.WriteLine($"  rate outside pauses {count / (result.Elapsed - pauseUnion).TotalSeconds:0.00}/s");
        return pass && result.Elapsed <= budget * 1.05;
    }

    private static int RetryAfter(RecordedCall call) =>
        call.ErrorDescription is { } d && RetryAfterPattern().Match(d) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 1;

    [GeneratedRegex(@"retry after (\d+)")]
    private static partial Regex RetryAfterPattern();
}
