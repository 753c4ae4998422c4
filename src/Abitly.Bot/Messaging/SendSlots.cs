using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Abitly.Bot.Messaging;

/// <summary>A reserved send: start at <see cref="StartIn"/> from now; or, when <see cref="ChatBusy"/>, try this chat again after it.</summary>
public readonly record struct SendSlot(TimeSpan StartIn, bool ChatBusy);

/// <summary>
/// When each send may start, for every instance together: the global cap as evenly spaced starts (so the cap is reached
/// however far away the Bot API is — a slot is never held until an answer comes back), one message at a time per chat
/// and the next no sooner than <see cref="SendSlotRules.ChatGap"/> after the previous one's answer, and a 429's pause
/// for everyone.
/// </summary>
public interface ISendSlots
{
    /// <summary>Reserves the next start for a message to <paramref name="chatId"/>, or says the chat must wait.</summary>
    Task<SendSlot> ReserveAsync(long chatId, CancellationToken ct);

    /// <summary>The send to <paramref name="chatId"/> was answered: the chat is free again one gap from now.</summary>
    Task ChatAnsweredAsync(long chatId, CancellationToken ct);

    /// <summary>A 429 answered: nobody starts a send before <paramref name="retryAfter"/> has passed.</summary>
    Task PauseAsync(TimeSpan retryAfter, CancellationToken ct);

    /// <summary>False while this instance paces on its own (the shared store is unreachable).</summary>
    bool IsShared { get; }
}

/// <summary>The pacing constants both implementations use.</summary>
public static class SendSlotRules
{
    /// <summary>
    /// Telegram counts about one message per chat per second, by arrival, which the client cannot see; counted from the
    /// previous message's answer (it had arrived by then), a second and a little keeps two arrivals a second apart
    /// however slow the connection was. Costs no throughput: a fan-out sends each chat one message or two.
    /// </summary>
    public static readonly TimeSpan ChatGap = TimeSpan.FromMilliseconds(1050);

    /// <summary>How long a chat counts as busy after its send started if no answer is reported (the sender died).</summary>
    public static readonly TimeSpan ChatHold = TimeSpan.FromSeconds(35);

    /// <summary>The spacing of starts for a cap: a second (plus a little for clock granularity) divided by the cap.</summary>
    public static TimeSpan Interval(double ratePerSecond) => TimeSpan.FromTicks((long)((TimeSpan.TicksPerSecond + TimeSpan.TicksPerMillisecond * 10) / ratePerSecond));
}

/// <summary>The slots of one process (the sandbox, tests, and the fallback when Redis is away).</summary>
public sealed class MemorySendSlots(double ratePerSecond, TimeProvider time) : ISendSlots
{
    private readonly TimeSpan _interval = SendSlotRules.Interval(ratePerSecond);
    private readonly Dictionary<long, DateTimeOffset> _chats = [];
    private readonly Lock _gate = new();
    private DateTimeOffset _next = DateTimeOffset.MinValue;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    public bool IsShared => false;

    public Task<SendSlot> ReserveAsync(long chatId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var slot = Max(now, Max(_next, _pausedUntil));
            if (_chats.TryGetValue(chatId, out var chatFree) && chatFree > slot)
            {
                return Task.FromResult(new SendSlot(chatFree - now, ChatBusy: true));
            }

            _next = slot + _interval;
            _chats[chatId] = slot + SendSlotRules.ChatHold;
            if (_chats.Count > 8192)
            {
                foreach (var (chat, free) in _chats)
                {
                    if (free <= now)
                    {
                        _chats.Remove(chat);
                    }
                }
            }

            return Task.FromResult(new SendSlot(slot - now, ChatBusy: false));
        }
    }

    public Task ChatAnsweredAsync(long chatId, CancellationToken ct)
    {
        var free = time.GetUtcNow() + SendSlotRules.ChatGap;
        lock (_gate)
        {
            _chats[chatId] = free;
        }

        return Task.CompletedTask;
    }

    public Task PauseAsync(TimeSpan retryAfter, CancellationToken ct)
    {
        var until = time.GetUtcNow() + retryAfter;
        lock (_gate)
        {
            _pausedUntil = Max(_pausedUntil, until);
        }

        return Task.CompletedTask;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

/// <summary>
/// The slots of every instance, kept in Redis by one atomic script that reads Redis's own clock (so instances' clocks
/// never matter). If Redis is unreachable, this instance paces alone at its configured local share of the cap, says so
/// in the log and on /readyz, and returns to the shared slots when Redis answers again.
/// </summary>
public sealed partial class RedisSendSlots(IConnectionMultiplexer redis, double ratePerSecond, double localShare, TimeProvider time, ILogger<RedisSendSlots> logger) : ISendSlots
{
    private const string NextKey = "abitly:send:next";
    private const string PauseKey = "abitly:send:pause";
    private const string ChatKeyPrefix = "abitly:send:chat:";

    // Times in microseconds of Redis's clock. Returns {1, wait} for a reserved slot, {0, wait} when the chat is busy.
    private static readonly LuaScript Reserve = LuaScript.Prepare(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local slot = math.max(now, tonumber(redis.call('GET', @next) or '0'), tonumber(redis.call('GET', @pause) or '0'))
        local chat = tonumber(redis.call('GET', @chat) or '0')
        if chat > slot then
          return {0, chat - now}
        end
        redis.call('SET', @next, slot + tonumber(@interval), 'PX', 60000)
        redis.call('SET', @chat, slot + tonumber(@hold), 'PX', math.floor(tonumber(@hold) / 1000) + 60000)
        return {1, slot - now}
        """);

    private static readonly LuaScript Answered = LuaScript.Prepare(
        """
        local t = redis.call('TIME')
        local free = tonumber(t[1]) * 1000000 + tonumber(t[2]) + tonumber(@gap)
        redis.call('SET', @chat, free, 'PX', math.floor(tonumber(@gap) / 1000) + 60000)
        return 1
        """);

    private static readonly LuaScript Pause = LuaScript.Prepare(
        """
        local t = redis.call('TIME')
        local untiltime = tonumber(t[1]) * 1000000 + tonumber(t[2]) + tonumber(@after)
        if untiltime > tonumber(redis.call('GET', @pause) or '0') then
          redis.call('SET', @pause, untiltime, 'PX', math.floor(tonumber(@after) / 1000) + 60000)
        end
        return 1
        """);

    private readonly MemorySendSlots _local = new(ratePerSecond * localShare, time);
    private readonly long _intervalMicroseconds = SendSlotRules.Interval(ratePerSecond).Ticks / 10;
    private readonly long _gapMicroseconds = SendSlotRules.ChatGap.Ticks / 10;
    private readonly long _holdMicroseconds = SendSlotRules.ChatHold.Ticks / 10;
    private volatile bool _shared = true;

    public bool IsShared => _shared;

    public async Task<SendSlot> ReserveAsync(long chatId, CancellationToken ct)
    {
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Reserve, new
            {
                next = (RedisKey)NextKey,
                pause = (RedisKey)PauseKey,
                chat = ChatKey(chatId),
                interval = _intervalMicroseconds,
                hold = _holdMicroseconds,
            }))!;
            Back();
            return new SendSlot(TimeSpan.FromTicks((long)result[1] * 10), ChatBusy: (long)result[0] == 0);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Alone(ex);
            return await _local.ReserveAsync(chatId, ct);
        }
    }

    public async Task ChatAnsweredAsync(long chatId, CancellationToken ct)
    {
        await _local.ChatAnsweredAsync(chatId, ct);
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(Answered, new { chat = ChatKey(chatId), gap = _gapMicroseconds });
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Alone(ex);
        }
    }

    public async Task PauseAsync(TimeSpan retryAfter, CancellationToken ct)
    {
        await _local.PauseAsync(retryAfter, ct);
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(Pause, new { pause = (RedisKey)PauseKey, after = retryAfter.Ticks / 10 });
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Alone(ex);
        }
    }

    private static RedisKey ChatKey(long chatId) => ChatKeyPrefix + chatId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void Alone(Exception ex)
    {
        if (_shared)
        {
            _shared = false;
            LogAlone(localShare, ex.Message);
        }
    }

    private void Back()
    {
        if (!_shared)
        {
            _shared = true;
            LogBack();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unreachable ({Error}): pacing sends alone at {Share:P0} of the cap until it is back")]
    private partial void LogAlone(double share, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis is back: sends are paced with the other instances again")]
    private partial void LogBack();
}
