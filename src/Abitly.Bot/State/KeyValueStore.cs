using StackExchange.Redis;

namespace Abitly.Bot.State;

/// <summary>
/// Short-lived shared state with expiry (link tokens, /filters dialogs, broadcast drafts): Redis in production,
/// process memory in the sandbox. Both take a value and delete it in one atomic step, which single-use keys rely on.
/// </summary>
public interface IKeyValueStore
{
    Task SetAsync(string key, string value, TimeSpan ttl);

    /// <summary>Returns the value and deletes the key in one step (GETDEL); null when absent or expired.</summary>
    Task<string?> TakeAsync(string key);

    /// <summary>Returns the value and pushes its expiry to <paramref name="ttl"/> from now (GETEX); null when absent.</summary>
    Task<string?> GetAndRefreshAsync(string key, TimeSpan ttl);

    /// <summary>Deletes the key; false when it was not there.</summary>
    Task<bool> DeleteAsync(string key);

    /// <summary>Throws when the store cannot be reached (readiness probe).</summary>
    Task PingAsync();
}

/// <summary>
/// The key-value store could not be reached. Implementations translate their own failures into this one exception, so
/// nothing above the store knows which store it is; the update pipeline answers "temporarily unavailable" once for it.
/// </summary>
public sealed class StateStoreUnavailableException : Exception
{
    public StateStoreUnavailableException()
    {
    }

    public StateStoreUnavailableException(string message)
        : base(message)
    {
    }

    public StateStoreUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>The production store, on Redis; its failures surface as <see cref="StateStoreUnavailableException"/>.</summary>
public sealed class RedisKeyValueStore(IConnectionMultiplexer redis) : IKeyValueStore
{
    public Task SetAsync(string key, string value, TimeSpan ttl) => Guard(async () => await redis.GetDatabase().StringSetAsync(key, value, ttl));

    public Task<string?> TakeAsync(string key) => Guard(async () => (string?)await redis.GetDatabase().StringGetDeleteAsync(key));

    public Task<string?> GetAndRefreshAsync(string key, TimeSpan ttl) => Guard(async () => (string?)await redis.GetDatabase().StringGetSetExpiryAsync(key, ttl));

    public Task<bool> DeleteAsync(string key) => Guard(() => redis.GetDatabase().KeyDeleteAsync(key));

    public Task PingAsync() => Guard(async () => await redis.GetDatabase().PingAsync());

    private static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new StateStoreUnavailableException("Redis is unavailable: " + ex.Message, ex);
        }
    }
}

/// <summary>The sandbox's store: one process, so a lock gives the same single-step semantics as Redis.</summary>
public sealed class MemoryKeyValueStore(TimeProvider time) : IKeyValueStore
{
    private const int SweepEvery = 256;
    private readonly Dictionary<string, (string Value, DateTimeOffset ExpiresAt)> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _setsSinceSweep;

    public Task SetAsync(string key, string value, TimeSpan ttl)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _entries[key] = (value, now + ttl);
            // Expired keys are otherwise dropped only when read; an occasional sweep keeps memory bounded.
            if (++_setsSinceSweep >= SweepEvery)
            {
                _setsSinceSweep = 0;
                foreach (var expired in _entries.Where(e => e.Value.ExpiresAt <= now).Select(e => e.Key).ToList())
                {
                    _entries.Remove(expired);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<string?> TakeAsync(string key)
    {
        lock (_gate)
        {
            var value = Live(key);
            _entries.Remove(key);
            return Task.FromResult(value);
        }
    }

    public Task<string?> GetAndRefreshAsync(string key, TimeSpan ttl)
    {
        lock (_gate)
        {
            var value = Live(key);
            if (value is not null)
            {
                _entries[key] = (value, time.GetUtcNow() + ttl);
            }

            return Task.FromResult(value);
        }
    }

    public Task<bool> DeleteAsync(string key)
    {
        lock (_gate)
        {
            var existed = Live(key) is not null;
            _entries.Remove(key);
            return Task.FromResult(existed);
        }
    }

    public Task PingAsync() => Task.CompletedTask;

    private string? Live(string key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt <= time.GetUtcNow())
        {
            _entries.Remove(key);
            return null;
        }

        return entry.Value;
    }
}
