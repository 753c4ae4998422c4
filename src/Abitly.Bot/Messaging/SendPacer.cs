namespace Abitly.Bot.Messaging;

/// <summary>
/// Decides when the next send may start: at most <c>rate</c> sends in any window of <see cref="Window"/>, evenly
/// paced, and at most one per chat per <see cref="Window"/>. Used by the single dispatch loop only, so it needs no lock.
/// </summary>
/// <remarks>
/// Telegram (and the emulator) count a request when it arrives, which the client cannot see: it lies somewhere between
/// the start of the send and its answer (a cold connection easily adds tens of milliseconds). So a send holds its place
/// in the window until one window after its answer; send N+1 then can never share a window with send 1.
/// The built-in SlidingWindowRateLimiter frees a permit by segments on its own timer, not after the answer, so it cannot
/// give this guarantee.
/// </remarks>
internal sealed class SendPacer
{
    /// <summary>One second plus a little for timer and clock granularity.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(10);

    private static readonly Task<DateTimeOffset> LongAgo = Task.FromResult(DateTimeOffset.MinValue);

    // The last `rate` sends, oldest at _oldest; each task yields the moment its answer came back.
    private readonly Task<DateTimeOffset>[] _recent;
    private readonly Dictionary<long, Task<DateTimeOffset>> _lastPerChat = [];
    private readonly TimeSpan _interval;
    private int _oldest;
    private DateTimeOffset _nextSlot = DateTimeOffset.MinValue;

    public SendPacer(int ratePerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ratePerSecond, 1);
        _recent = new Task<DateTimeOffset>[ratePerSecond];
        Array.Fill(_recent, LongAgo);
        _interval = Window / ratePerSecond;
    }

    /// <summary>The last send to this chat when it is in flight or answered less than a window ago; otherwise null.</summary>
    public Task<DateTimeOffset>? ChatBusy(long chatId, DateTimeOffset now) =>
        _lastPerChat.TryGetValue(chatId, out var last) && (!last.IsCompleted || last.Result + Window > now) ? last : null;

    /// <summary>Earliest start the global cap allows; waits first when the send a window's worth back is still in flight.</summary>
    public async ValueTask<DateTimeOffset> NextSlotAsync(CancellationToken ct)
    {
        var byWindow = await _recent[_oldest].WaitAsync(ct) + Window;
        return byWindow > _nextSlot ? byWindow : _nextSlot;
    }

    /// <summary>Records a send started at <paramref name="at"/>; <paramref name="answered"/> completes when its answer is in.</summary>
    public void Record(long chatId, DateTimeOffset at, Task<DateTimeOffset> answered)
    {
        _recent[_oldest] = answered;
        _oldest = (_oldest + 1) % _recent.Length;

        // Keep to the even grid when a timer wakes a little late, so oversleeping does not add up over a long batch;
        // after an idle spell start a new grid instead of catching up in a burst.
        _nextSlot = (at - _nextSlot < _interval ? _nextSlot : at) + _interval;

        _lastPerChat[chatId] = answered;
        if (_lastPerChat.Count > 4096)
        {
            foreach (var (chat, last) in _lastPerChat)
            {
                if (last.IsCompleted && last.Result + Window <= at)
                {
                    _lastPerChat.Remove(chat);
                }
            }
        }
    }
}
