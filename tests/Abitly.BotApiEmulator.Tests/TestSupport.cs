using Telegram.Bot;

namespace Abitly.BotApiEmulator.Tests;

/// <summary>Helpers shared by the emulator tests.</summary>
internal static class TestSupport
{
    public const string Token = "123456:test-token";

    /// <summary>A real Telegram.Bot client aimed at the emulator, with its 429 auto-retry off so tests see every 429.</summary>
    public static TelegramBotClient Client(BotApiEmulator emulator, string token = Token) =>
        new(new TelegramBotClientOptions(token, emulator.BaseUrl) { RetryThreshold = 0 });
}

/// <summary>A clock that moves only when a test says so; timers still run on real time.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }
}

/// <summary>
/// A clock that reports every timer the emulator starts (the delays it adds, a long poll's wait), so a test can see
/// that a wait began, or how long it was asked to be, without measuring time. With <c>fireAtOnce</c> the timers fire
/// immediately, so a 150 ms latency costs the test nothing.
/// </summary>
internal sealed class WatchedTime(bool fireAtOnce = false) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _dueTimes = [];
    private TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Due times of the timers started so far, in order.</summary>
    public IReadOnlyList<TimeSpan> DueTimes
    {
        get
        {
            lock (_gate)
            {
                return [.. _dueTimes];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        TaskCompletionSource started;
        lock (_gate)
        {
            _dueTimes.Add(dueTime);
            started = _started;
            _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        started.TrySetResult();
        return System.CreateTimer(callback, state, fireAtOnce ? TimeSpan.Zero : dueTime, period);
    }

    /// <summary>Waits until a timer with a due time matching <paramref name="match"/> was started.</summary>
    public async Task WaitForTimerAsync(Func<TimeSpan, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task started;
            lock (_gate)
            {
                if (_dueTimes.Exists(t => match(t)))
                {
                    return;
                }

                started = _started.Task;
            }

            await started.WaitAsync(cts.Token);
        }
    }
}
