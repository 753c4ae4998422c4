using Abitly.Bot.Messaging;
using Abitly.BotApiEmulator;

namespace Abitly.Bot.Tests.Messaging;

/// <summary>The paced sender against the emulator; every timing assertion reads the emulator's own call log.</summary>
public sealed class MessageSenderTests
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Concurrency_never_exceeds_the_bound()
    {
        await using var h = await SenderHarness.StartAsync(new MessageSenderOptions { MaxConcurrency = 3, RatePerSecond = 200 });
        // Slow answers make overlapping calls visible in the log.
        h.Emulator.Faults.Add(new Fault { Method = "sendMessage", Kind = FaultKind.Delay, DelayMs = 300, Times = 0 });

        var results = await h.SendAllAsync(SenderHarness.ToChats(Enumerable.Range(1, 24).Select(i => (long)i)));

        Assert.All(results, r => Assert.Equal(SendOutcome.Sent, r.Outcome));
        var overlap = CallLog.MaxOverlap(h.Sends);
        Assert.True(overlap <= 3, $"{overlap} sends were in flight at once");
        Assert.Equal(3, overlap);
    }

    [Fact]
    public async Task No_one_second_window_exceeds_the_global_cap_even_with_slow_answers()
    {
        // The cap leaves Telegram's limit some headroom, as production's 25 under 30 does: starts are spaced by the cap,
        // but on a busy machine requests reach the server with some jitter and may bunch a little.
        await using var h = await SenderHarness.StartAsync(
            new MessageSenderOptions { MaxConcurrency = 8, RatePerSecond = 8 },
            new BotApiEmulatorOptions { GlobalRateLimitPerSecond = 10, LatencyMs = 150 });

        var results = await h.SendAllAsync(SenderHarness.ToChats(Enumerable.Range(1, 45).Select(i => (long)i)));

        Assert.All(results, r => Assert.Equal(SendOutcome.Sent, r.Outcome));
        var sends = h.Sends;
        Assert.All(sends, c => Assert.Equal(200, c.StatusCode));
        Assert.Equal(45, sends.Count);
        var peak = CallLog.MaxPerSecond(sends);
        // How close to the cap it runs is the benchmark's question (bench/ sender); here only the cap itself.
        Assert.True(peak <= 10, $"{peak} sends arrived within one second");
    }

    [Fact]
    public async Task No_chat_gets_two_messages_within_a_second_and_one_chat_keeps_its_order()
    {
        await using var h = await SenderHarness.StartAsync(
            new MessageSenderOptions { MaxConcurrency = 8, RatePerSecond = 30 },
            new BotApiEmulatorOptions { PerChatRateLimitPerSecond = 1 });
        long[] chats = [11, 12, 13];
        var messages = Enumerable.Range(0, 3).SelectMany(round => chats.Select(c => SenderHarness.Message(c, $"round {round}")));

        var results = await h.SendAllAsync(messages);

        Assert.All(results, r => Assert.Equal(SendOutcome.Sent, r.Outcome));
        Assert.All(h.Sends, c => Assert.Equal(200, c.StatusCode));
        Assert.True(CallLog.MinGapPerChat(h.Sends) >= OneSecond, $"a chat got two messages {CallLog.MinGapPerChat(h.Sends).TotalMilliseconds} ms apart");
        Assert.All(chats, c => Assert.Equal(["round 0", "round 1", "round 2"], h.Emulator.MessagesIn(c).Select(m => m.Text)));
    }

    [Fact]
    public async Task Too_many_requests_pauses_every_send_for_retry_after_and_asks_to_retry_that_one()
    {
        await using var h = await SenderHarness.StartAsync(new MessageSenderOptions { MaxConcurrency = 4, RatePerSecond = 20 });
        h.Emulator.Faults.Add(new Fault { Method = "sendMessage", ChatId = 6, Kind = FaultKind.TooManyRequests, RetryAfterSeconds = 2 });

        var results = await h.SendAllAsync(SenderHarness.ToChats(Enumerable.Range(1, 20).Select(i => (long)i)));

        Assert.Equal(new SendResult(SendOutcome.RetryLater, results[5].Error, TimeSpan.FromSeconds(2)), results[5]);
        Assert.All(results.Where((_, i) => i != 5), r => Assert.Equal(SendOutcome.Sent, r.Outcome));
        var sends = h.Sends;
        var tooMany = Assert.Single(sends, c => c.StatusCode == 429);
        // A send already on the wire when the 429 came back may land just after it; nothing may start later within the pause.
        var startedInPause = sends.Where(c => c.StartedAt > tooMany.FinishedAt.AddMilliseconds(500) && c.StartedAt < tooMany.FinishedAt.AddSeconds(2)).ToList();
        Assert.Empty(startedInPause);
        Assert.True(sends.Count(c => c.StartedAt >= tooMany.FinishedAt.AddSeconds(2)) >= 10, "the pause held back the rest");
        Assert.Empty(h.Emulator.MessagesIn(6));
    }

    [Fact]
    public async Task Refusals_are_blocked_server_errors_retry_later_and_neither_stops_the_others()
    {
        await using var h = await SenderHarness.StartAsync(new MessageSenderOptions { MaxConcurrency = 4, RatePerSecond = 50 });
        h.Emulator.MarkBlocked(2);
        h.Emulator.Faults.Add(new Fault { Method = "sendMessage", ChatId = 3, Kind = FaultKind.ChatNotFound, Times = 0 });
        h.Emulator.Faults.Add(new Fault { Method = "sendMessage", ChatId = 4, Kind = FaultKind.ServerError, StatusCode = 502, Times = 0 });
        h.Emulator.Faults.Add(new Fault { Method = "sendMessage", ChatId = 5, Kind = FaultKind.ServerError, StatusCode = 400, Times = 0 });

        var results = await h.SendAllAsync(SenderHarness.ToChats(Enumerable.Range(1, 8).Select(i => (long)i)));

        Assert.Equal(
            [SendOutcome.Sent, SendOutcome.Blocked, SendOutcome.Blocked, SendOutcome.RetryLater, SendOutcome.Failed, SendOutcome.Sent, SendOutcome.Sent, SendOutcome.Sent],
            results.Select(r => r.Outcome));
        Assert.All(Enumerable.Range(1, 8), chat => Assert.Single(h.Sends, c => c.ChatId == chat));
    }

    [Fact]
    public async Task Shutdown_finishes_sends_in_flight_and_answers_the_rest_unsent()
    {
        await using var h = await SenderHarness.StartAsync(new MessageSenderOptions { MaxConcurrency = 4, RatePerSecond = 5 });
        // A slow answer guarantees a send is in flight when the stop arrives.
        h.Emulator.Faults.Add(new Fault { Method = "sendMessage", Kind = FaultKind.Delay, DelayMs = 400, Times = 0 });

        var all = h.SendAllAsync(SenderHarness.ToChats(Enumerable.Range(1, 30).Select(i => (long)i)));
        await h.Emulator.WaitForCallAsync(c => c.Method == "sendMessage" && c.ChatId == 3, TimeSpan.FromSeconds(5));
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await h.Sender.StopAsync(grace.Token);
        }

        var results = await all;
        var sends = h.Sends;
        Assert.Equal(sends.Count, results.Count(r => r.Outcome == SendOutcome.Sent));
        Assert.Equal(30 - sends.Count, results.Count(r => r.Outcome == SendOutcome.Unsent));
        Assert.True(sends.Count <= 10, $"{sends.Count} sent after the stop");
        // Every send that reached the emulator finished, none abandoned.
        Assert.All(sends, c => Assert.Equal(200, c.StatusCode));

        var late = await h.Sender.SendAsync(SenderHarness.Message(900, "late"));
        Assert.Equal(SendOutcome.Unsent, late.Outcome);
        Assert.Equal(sends.Count, h.Sends.Count);
    }

    [Fact]
    public async Task Memory_slots_space_starts_by_the_cap_and_a_chat_by_a_gap_after_its_answer()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero));
        var slots = new MemorySendSlots(ratePerSecond: 4, clock);

        var first = await slots.ReserveAsync(1, default);
        var second = await slots.ReserveAsync(2, default);
        var inFlight = await slots.ReserveAsync(1, default);
        clock.Advance(TimeSpan.FromMilliseconds(200));
        await slots.ChatAnsweredAsync(1, default);
        var answered = await slots.ReserveAsync(1, default);
        await slots.PauseAsync(TimeSpan.FromSeconds(5), default);
        var afterPause = await slots.ReserveAsync(3, default);

        var interval = TimeSpan.FromMilliseconds(1010.0 / 4);
        Assert.Equal(new SendSlot(TimeSpan.Zero, false), first);
        Assert.Equal(new SendSlot(interval, false), second);
        Assert.Equal(new SendSlot(SendSlotRules.ChatHold, true), inFlight);        // no answer yet: held
        Assert.Equal(new SendSlot(SendSlotRules.ChatGap, true), answered);         // a gap from the answer
        Assert.Equal(new SendSlot(TimeSpan.FromSeconds(5), false), afterPause);
    }
}
