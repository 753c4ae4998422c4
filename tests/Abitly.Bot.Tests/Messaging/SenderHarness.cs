using System.Diagnostics.Metrics;
using Abitly.Bot.Hosting;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.Telegram;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.BotApiEmulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Emulator = Abitly.BotApiEmulator.BotApiEmulator;

namespace Abitly.Bot.Tests.Messaging;

/// <summary>A started <see cref="MessageSender"/> whose real Telegram.Bot client talks to a fresh emulator.</summary>
internal sealed class SenderHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly LoggerFactory _loggers;
    private readonly HttpClient _http = new();

    private SenderHarness(Emulator emulator, MessageSenderOptions options)
    {
        Emulator = emulator;
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _loggers = new LoggerFactory([Logs]);
        Metrics = new BotMetrics(_services.GetRequiredService<IMeterFactory>());
        // Like the production "sender" client: Telegram.Bot's own 429 retry is off, so the sender alone decides.
        var bot = new TelegramBotClient(new TelegramBotClientOptions("123:abc", emulator.BaseUrl) { RetryThreshold = 0, RetryCount = 0 }, _http);
        Slots = new MemorySendSlots(options.RatePerSecond, TimeProvider.System);
        Sender = new MessageSender(bot, options, Slots, Metrics, TimeProvider.System, _loggers.CreateLogger<MessageSender>());
    }

    public Emulator Emulator { get; }

    public MessageSender Sender { get; }

    public MemorySendSlots Slots { get; }

    public BotMetrics Metrics { get; }

    public TestLogSink Logs { get; } = new();

    /// <summary>The sendMessage calls the emulator served, in arrival order.</summary>
    public IReadOnlyList<RecordedCall> Sends =>
        [.. Emulator.Calls.Where(c => c.Method == "sendMessage").OrderBy(c => c.StartedAt)];

    public static async Task<SenderHarness> StartAsync(MessageSenderOptions options, BotApiEmulatorOptions? emulatorOptions = null)
    {
        var emulator = await Emulator.StartAsync(emulatorOptions);
        var harness = new SenderHarness(emulator, options);
        await harness.Sender.StartAsync(CancellationToken.None);
        return harness;
    }

    public static IEnumerable<OutgoingMessage> ToChats(IEnumerable<long> chatIds) =>
        chatIds.Select(id => Message(id, $"<b>Вітаємо</b>, чат {id}"));

    public static OutgoingMessage Message(long chatId, string html) =>
        new(chatId, new SendReply(chatId, new RenderedMessage(html)), "test");

    /// <summary>Sends every message and waits for all outcomes, in the order given.</summary>
    public async Task<SendResult[]> SendAllAsync(IEnumerable<OutgoingMessage> messages, CancellationToken ct = default) =>
        await Task.WhenAll(messages.Select(m => Sender.SendAsync(m, ct)).ToList());

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await Sender.StopAsync(stop.Token);
        }

        Sender.Dispose();
        await Emulator.DisposeAsync();
        Metrics.Dispose();
        await _services.DisposeAsync();
        _loggers.Dispose();
        _http.Dispose();
    }
}

/// <summary>Measurements over the emulator's call log.</summary>
internal static class CallLog
{
    /// <summary>Most calls in progress at the same moment (server side: arrival to answer).</summary>
    public static int MaxOverlap(IEnumerable<RecordedCall> calls)
    {
        // Ends sort before starts at the same instant: a call that ended when another began did not overlap it.
        var events = calls.SelectMany(c => new[] { (At: c.StartedAt, Delta: 1), (At: c.FinishedAt, Delta: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Delta);
        int current = 0, max = 0;
        foreach (var e in events)
        {
            current += e.Delta;
            max = Math.Max(max, current);
        }

        return max;
    }

    /// <summary>Most calls that arrived within any one-second window (the emulator's and Telegram's sliding window).</summary>
    public static int MaxPerSecond(IEnumerable<RecordedCall> calls)
    {
        var starts = calls.Select(c => c.StartedAt).Order().ToArray();
        var max = 0;
        for (int first = 0, last = 0; last < starts.Length; last++)
        {
            while (starts[last] - starts[first] >= TimeSpan.FromSeconds(1))
            {
                first++;
            }

            max = Math.Max(max, last - first + 1);
        }

        return max;
    }

    /// <summary>Shortest time between two calls to the same chat (TimeSpan.MaxValue when no chat got two).</summary>
    public static TimeSpan MinGapPerChat(IEnumerable<RecordedCall> calls) =>
        calls.GroupBy(c => c.ChatId)
            .SelectMany(g => g.OrderBy(c => c.StartedAt).Zip(g.OrderBy(c => c.StartedAt).Skip(1), (a, b) => b.StartedAt - a.StartedAt))
            .DefaultIfEmpty(TimeSpan.MaxValue)
            .Min();
}
