using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.RegularExpressions;
using Abitly.Bot.Hosting;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.Telegram;
using Abitly.BotApiEmulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Telegram.Bot;
using Emulator = Abitly.BotApiEmulator.BotApiEmulator;

namespace Abitly.Bench;

/// <summary>
/// MessageSender through the emulator: N messages to N chats at the configured cap (25/s) while the emulator enforces
/// Telegram's 30/s, with the emulator answering after 1, 50, 100 and 200 ms; then a run with 5% scripted 429s
/// (retry_after 1–3 s). A RetryLater outcome is sent again after its retry_after, as the outbox worker does.
/// </summary>
internal static partial class SenderBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3000;
        var cap = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 25;
        const int enforced = 30;
        Console.WriteLine($"MessageSender: {messages} messages to {messages} chats, cap {cap}/s, the emulator enforcing {enforced}/s, concurrency 8, max retry 3");

        var ok = true;
        foreach (var latency in new[] { 1, 50, 100, 200 })
        {
            ok &= await RunOnceAsync(messages, cap, enforced, latency, scripted429: false);
        }

        ok &= await RunOnceAsync(messages, cap, enforced, 100, scripted429: true);
        Console.WriteLine(ok ? "PASS" : "FAIL");
        return ok ? 0 : 1;
    }

    private static async Task<bool> RunOnceAsync(int count, int cap, int enforced, int latencyMs, bool scripted429)
    {
        await using var emulator = await Emulator.StartAsync(new BotApiEmulatorOptions { GlobalRateLimitPerSecond = enforced, LatencyMs = latencyMs });
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
        var options = new MessageSenderOptions { MaxConcurrency = 8, RatePerSecond = cap, MaxRetry = 3 };
        using var sender = new MessageSender(bot, options, new MemorySendSlots(cap, TimeProvider.System), metrics, TimeProvider.System, NullLogger<MessageSender>.Instance);
        await sender.StartAsync(CancellationToken.None);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var outcomes = await Task.WhenAll(Enumerable.Range(1, count).Select(i => SendWithRetriesAsync(sender, i, options.MaxRetry)));
        var elapsed = watch.Elapsed;
        await sender.StopAsync(CancellationToken.None);
        var sent = outcomes.Count(o => o == SendOutcome.Sent);

        var sends = emulator.Calls.Where(c => c.Method == "sendMessage").OrderBy(c => c.StartedAt).ToList();
        var tooMany = sends.Where(c => c.StatusCode == 429).ToList();
        var scripted = tooMany.Count(c => c.ErrorDescription?.Contains("(scripted)", StringComparison.Ordinal) == true);
        var ownLimit = tooMany.Count - scripted;
        var exactlyOnce = Enumerable.Range(1, count).Count(i => emulator.MessagesIn(i).Count == 1);
        var span = sends[^1].StartedAt - sends[0].StartedAt;
        // Starts per second between the first and the last arrival: the rate the Bot API saw.
        var rate = (sends.Count - 1) / span.TotalSeconds;
        var ideal = TimeSpan.FromSeconds((double)count / cap);

        Console.WriteLine();
        Console.WriteLine(scripted429 ? $"5% scripted 429 (retry_after 1-3 s), answers after {latencyMs} ms" : $"Answers after {latencyMs} ms");
        Console.WriteLine($"  sent {sent}, other outcomes {string.Join(", ", outcomes.Where(o => o != SendOutcome.Sent).GroupBy(o => o).Select(g => $"{g.Key} {g.Count()}"))}");
        Console.WriteLine($"  delivered once    {exactlyOnce} of {count} chats (none twice: {emulator.Calls.Count(c => c.Method == "sendMessage" && c.Ok) == count})");
        Console.WriteLine($"  429 from the emulator's own {enforced}/s limit: {ownLimit}; most arrivals in any 1 s window: {MaxPerSecond(sends)}");
        Console.WriteLine($"  elapsed           {elapsed.TotalSeconds:0.00} s (first to last call {span.TotalSeconds:0.00} s)");
        var pass = exactlyOnce == count && ownLimit == 0 && sent == count;
        if (!scripted429)
        {
            Console.WriteLine($"  achieved rate     {rate:0.00}/s = {rate / cap:0.000} x cap (target >= 0.97)");
            BenchFigures.Report(new BenchFigure($"sender.rate.{latencyMs}ms", $"fan-out rate, answers after {latencyMs} ms", rate, "msg/s", Better.Higher,
                AnchorLabel: "cap", Anchor: cap, RatioTarget: 0.97));
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
        Console.WriteLine($"  ideal + pauses    {ideal.TotalSeconds:0.0} + {pauseUnion.TotalSeconds:0.0} = {budget.TotalSeconds:0.0} s; total {elapsed.TotalSeconds:0.0} s = {elapsed / budget:0.000} x (target <= 1.05)");
        Console.WriteLine($"  rate outside pauses {count / (elapsed - pauseUnion).TotalSeconds:0.00}/s");
        BenchFigures.Report(new BenchFigure("sender.scripted429.time", "fan-out time with 5 % scripted 429s", elapsed.TotalSeconds, "s", Better.Lower,
            AnchorLabel: "ideal + pauses", Anchor: budget.TotalSeconds, RatioTarget: 1.05));
        return pass && elapsed <= budget * 1.05;
    }

    // What the outbox worker does with a RetryLater: try again after retry_after, up to the retry limit.
    private static async Task<SendOutcome> SendWithRetriesAsync(MessageSender sender, int chat, int maxRetry)
    {
        var message = new OutgoingMessage(chat, new SendReply(chat, new RenderedMessage($"<b>Нагадування</b> №{chat}")), "bench");
        for (var attempt = 0; ; attempt++)
        {
            var result = await sender.SendAsync(message);
            if (result.Outcome != SendOutcome.RetryLater || attempt >= maxRetry)
            {
                return result.Outcome;
            }

            await Task.Delay(result.RetryAfter);
        }
    }

    private static int MaxPerSecond(List<RecordedCall> sends)
    {
        var max = 0;
        for (int first = 0, last = 0; last < sends.Count; last++)
        {
            while (sends[last].StartedAt - sends[first].StartedAt >= TimeSpan.FromSeconds(1))
            {
                first++;
            }

            max = Math.Max(max, last - first + 1);
        }

        return max;
    }

    private static int RetryAfter(RecordedCall call) =>
        call.ErrorDescription is { } d && RetryAfterPattern().Match(d) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 1;

    [GeneratedRegex(@"retry after (\d+)")]
    private static partial Regex RetryAfterPattern();
}
