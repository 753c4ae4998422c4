using Telegram.Bot;
using static Abitly.BotApiEmulator.Tests.TestSupport;

namespace Abitly.BotApiEmulator.Tests;

/// <summary>
/// The latency option. The emulator's clock reports the delays it is asked to wait and fires them at once, so the
/// tests check how long each answer was held back without measuring time.
/// </summary>
public sealed class LatencyTests
{
    [Fact]
    public async Task LatencyMs_delays_every_method_except_getUpdates()
    {
        var time = new WatchedTime(fireAtOnce: true);
        await using var emulator = await BotApiEmulator.StartAsync(new BotApiEmulatorOptions { LatencyMs = 150, TimeProvider = time });
        var bot = Client(emulator);

        await bot.GetMe();
        await bot.SendMessage(1, "x");
        await bot.GetUpdates(timeout: 0);

        Assert.Equal([TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(150)], time.DueTimes);
        Assert.Equal([150, 150, 0], emulator.Calls.Select(c => c.InjectedDelayMs));
    }

    [Fact]
    public async Task Latency_adds_to_a_delay_fault()
    {
        var time = new WatchedTime(fireAtOnce: true);
        await using var emulator = await BotApiEmulator.StartAsync(new BotApiEmulatorOptions { LatencyMs = 100, TimeProvider = time });
        var bot = Client(emulator);
        emulator.Faults.Add(new Fault { Method = "sendMessage", Kind = FaultKind.Delay, DelayMs = 250 });

        await bot.SendMessage(1, "slow");
        await bot.SendMessage(1, "normal");

        Assert.Equal([TimeSpan.FromMilliseconds(350), TimeSpan.FromMilliseconds(100)], time.DueTimes);
    }

    [Fact]
    public async Task Jitter_stays_in_range_and_repeats_with_the_same_seed()
    {
        var first = await DelaysAsync(seed: 7);
        var again = await DelaysAsync(seed: 7);
        var otherSeed = await DelaysAsync(seed: 8);

        Assert.All(first, ms => Assert.InRange(ms, 50, 200));
        Assert.True(first.Distinct().Count() > 1, "the jitter varies");
        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public async Task No_latency_by_default()
    {
        var time = new WatchedTime(fireAtOnce: true);
        await using var emulator = await BotApiEmulator.StartAsync(new BotApiEmulatorOptions { TimeProvider = time });

        await Client(emulator).SendMessage(1, "x");

        Assert.Empty(time.DueTimes);
        Assert.Equal(0, Assert.Single(emulator.Calls).InjectedDelayMs);
    }

    [Fact]
    public async Task Negative_latency_is_refused_at_start()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => BotApiEmulator.StartAsync(new BotApiEmulatorOptions { LatencyMs = -1 }));
        await Assert.ThrowsAsync<ArgumentException>(() => BotApiEmulator.StartAsync(new BotApiEmulatorOptions { LatencyJitterMs = -5 }));
    }

    private static async Task<int[]> DelaysAsync(int seed)
    {
        var time = new WatchedTime(fireAtOnce: true);
        await using var emulator = await BotApiEmulator.StartAsync(new BotApiEmulatorOptions
        {
            LatencyMs = 50,
            LatencyJitterMs = 150,
            LatencySeed = seed,
            TimeProvider = time,
        });
        var bot = Client(emulator);
        for (var i = 0; i < 30; i++)
        {
            await bot.SendMessage(1, "x");
        }

        var delays = time.DueTimes.Select(t => (int)t.TotalMilliseconds).ToArray();
        Assert.Equal(emulator.Calls.Select(c => c.InjectedDelayMs), delays);
        return delays;
    }
}
