using System.Diagnostics;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using static Abitly.BotApiEmulator.Tests.TestSupport;

namespace Abitly.BotApiEmulator.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task Scripted_429_surfaces_retry_after_and_applies_once_to_its_chat()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        emulator.Faults.Add(new Fault { Method = "sendMessage", ChatId = 42, Kind = FaultKind.TooManyRequests, RetryAfterSeconds = 2 });

        await bot.SendMessage(41, "other chat is fine");
        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(42, "x"));
        await bot.SendMessage(42, "second try passes");

        Assert.Equal(429, ex.ErrorCode);
        Assert.Equal(2, ex.Parameters?.RetryAfter);
        Assert.Equal("Too Many Requests: retry after 2", ex.Message);
        Assert.Equal([200, 429, 200], emulator.Calls.Select(c => c.StatusCode));
        Assert.Equal(["second try passes"], emulator.MessagesIn(42).Select(m => m.Text));
    }

    [Fact]
    public async Task Forbidden_fault_and_MarkBlocked_give_403_until_unblocked()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        emulator.Faults.Add(new Fault { ChatId = 5, Kind = FaultKind.Forbidden });

        var scripted = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(5, "x"));
        Assert.Equal(403, scripted.ErrorCode);
        Assert.Equal("Forbidden: bot was blocked by the user", scripted.Message);

        emulator.MarkBlocked(6);
        for (var i = 0; i < 2; i++)
        {
            var blocked = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(6, "x"));
            Assert.Equal(403, blocked.ErrorCode);
        }

        await bot.SendMessage(7, "unaffected");
        emulator.Unblock(6);
        await bot.SendMessage(6, "back");
        Assert.Equal(["back"], emulator.MessagesIn(6).Select(m => m.Text));
        Assert.Equal("Forbidden: bot was blocked by the user", emulator.Calls[1].ErrorDescription);
    }

    [Fact]
    public async Task ChatNotFound_and_server_error_faults()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        emulator.Faults.Add(new Fault { Method = "sendMessage", Kind = FaultKind.ChatNotFound });
        emulator.Faults.Add(new Fault { Method = "sendMessage", Kind = FaultKind.ServerError, StatusCode = 502 });

        var notFound = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(1, "x"));
        var serverError = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(1, "x"));

        Assert.Equal(400, notFound.ErrorCode);
        Assert.Equal("Bad Request: chat not found", notFound.Message);
        Assert.Equal(502, serverError.ErrorCode);
    }

    [Fact]
    public async Task Nth_fault_hits_only_the_nth_matching_call()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        var fault = emulator.Faults.Add(new Fault { Method = "sendMessage", Nth = 3, Kind = FaultKind.ServerError });

        await bot.GetMe(); // another method does not count
        for (var i = 1; i <= 4; i++)
        {
            try
            {
                await bot.SendMessage(1, $"m{i}");
            }
            catch (ApiRequestException)
            {
                // Expected for the third call; the assertions below check which one.
            }
        }

        Assert.Equal([200, 200, 200, 500, 200], emulator.Calls.Select(c => c.StatusCode));
        Assert.Equal(["m1", "m2", "m4"], emulator.MessagesIn(1).Select(m => m.Text));
        Assert.Equal(1, fault.AppliedCount);
    }

    [Fact]
    public async Task Times_zero_means_forever()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        emulator.Faults.Add(new Fault { Method = "sendMessage", ChatId = 3, Kind = FaultKind.Forbidden, Times = 0 });

        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(3, "x"));
        }

        Assert.Empty(emulator.MessagesIn(3));
    }

    [Fact]
    public async Task Delay_fault_delays_then_proceeds()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        var fault = emulator.Faults.Add(new Fault { Method = "sendMessage", Kind = FaultKind.Delay, DelayMs = 600 });

        var stopwatch = Stopwatch.StartNew();
        var sent = await bot.SendMessage(1, "slow");
        var elapsed = stopwatch.Elapsed;
        await bot.SendMessage(1, "normal");

        Assert.Equal("slow", sent.Text);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(550), $"took {elapsed}");
        var calls = emulator.Calls;
        Assert.True(calls[0].FinishedAt - calls[0].StartedAt >= TimeSpan.FromMilliseconds(550));
        Assert.True(calls[1].FinishedAt - calls[1].StartedAt < TimeSpan.FromMilliseconds(550));
        Assert.Equal(1, fault.AppliedCount);
    }

    [Fact]
    public async Task Probability_fault_is_reproducible_with_the_same_seed()
    {
        static async Task<int[]> FailurePattern()
        {
            await using var emulator = await BotApiEmulator.StartAsync();
            var bot = Client(emulator);
            emulator.Faults.Add(new Fault { Kind = FaultKind.ServerError, Probability = 0.3, Seed = 7, Times = 0 });
            for (var i = 0; i < 60; i++)
            {
                try
                {
                    await bot.SendMessage(1, "x");
                }
                catch (ApiRequestException)
                {
                    // Counted from the recorded calls below.
                }
            }

            return [.. emulator.Calls.Select((c, i) => (c, i)).Where(x => x.c.StatusCode == 500).Select(x => x.i)];
        }

        var first = await FailurePattern();
        var second = await FailurePattern();

        Assert.Equal(first, second);
        Assert.InRange(first.Length, 6, 36);
    }

    [Fact]
    public async Task Global_rate_limit_gives_429_with_retry_after_1_within_a_sliding_second()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch.AddYears(56));
        await using var emulator = await BotApiEmulator.StartAsync(new BotApiEmulatorOptions { GlobalRateLimitPerSecond = 5, TimeProvider = time });
        var bot = Client(emulator);

        for (var i = 0; i < 5; i++)
        {
            await bot.SendMessage(100 + i, "ok");
        }

        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(200, "sixth"));
        Assert.Equal(429, ex.ErrorCode);
        Assert.Equal(1, ex.Parameters?.RetryAfter);
        await bot.GetMe(); // not a send: never limited

        time.Advance(TimeSpan.FromMilliseconds(999));
        await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(200, "still too soon"));
        time.Advance(TimeSpan.FromMilliseconds(1));
        await bot.SendMessage(200, "next window");
        Assert.Equal(["next window"], emulator.MessagesIn(200).Select(m => m.Text));
    }

    [Fact]
    public async Task Per_chat_rate_limit_only_limits_that_chat()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch.AddYears(56));
        await using var emulator = await BotApiEmulator.StartAsync(new BotApiEmulatorOptions { PerChatRateLimitPerSecond = 1, TimeProvider = time });
        var bot = Client(emulator);

        await bot.SendMessage(1, "a");
        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(1, "b"));
        await bot.SendMessage(2, "c");

        Assert.Equal(429, ex.ErrorCode);
        time.Advance(TimeSpan.FromSeconds(1));
        await bot.SendMessage(1, "d");
        Assert.Equal(["a", "d"], emulator.MessagesIn(1).Select(m => m.Text));
    }

    [Fact]
    public async Task DropConnection_fault_cuts_the_connection_without_an_answer()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        emulator.Faults.Add(new Fault { Method = "sendMessage", Kind = FaultKind.DropConnection });

        var ex = await Assert.ThrowsAsync<RequestException>(() => bot.SendMessage(1, "lost"));
        await bot.SendMessage(1, "next");

        Assert.IsNotType<ApiRequestException>(ex);
        Assert.Equal([0, 200], emulator.Calls.Select(c => c.StatusCode));
        Assert.Equal(["next"], emulator.MessagesIn(1).Select(m => m.Text));
    }

    [Fact]
    public async Task WaitForCallAsync_returns_the_matching_call()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        emulator.MarkBlocked(9);

        var waiting = emulator.WaitForCallAsync(c => c.Method == "sendMessage" && c.StatusCode == 403, TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(9, "x"));
        var call = await waiting;

        Assert.Equal(9, call.ChatId);
        Assert.Contains("\"text\":\"x\"", call.RequestJson, StringComparison.Ordinal);
        await Assert.ThrowsAsync<TimeoutException>(() => emulator.WaitForCallAsync(c => c.Method == "getMe", TimeSpan.FromMilliseconds(100)));
    }
}
