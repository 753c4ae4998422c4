namespace Abitly.BotApiEmulator;

/// <summary>What a scripted fault does to a matching call.</summary>
public enum FaultKind
{
    /// <summary>429 with <c>retry_after</c> = <see cref="Fault.RetryAfterSeconds"/>.</summary>
    TooManyRequests,

    /// <summary>403 "Forbidden: bot was blocked by the user".</summary>
    Forbidden,

    /// <summary>400 "Bad Request: chat not found".</summary>
    ChatNotFound,

    /// <summary>A 5xx answer (<see cref="Fault.StatusCode"/>, 500 by default).</summary>
    ServerError,

    /// <summary>Waits <see cref="Fault.DelayMs"/>, then the call proceeds normally.</summary>
    Delay,

    /// <summary>The connection is cut without an answer (a webhook delivery fails with "Webhook connection closed").</summary>
    DropConnection,
}

/// <summary>A scripted failure applied to matching Bot API calls (or, with <see cref="WebhookMethod"/>, webhook deliveries).</summary>
public sealed class Fault
{
    private readonly Lock _gate = new();
    private Random? _random;
    private int _seen;
    private int _applied;

    /// <summary>
    /// <see cref="Method"/> of a fault that hits webhook deliveries instead of Bot API calls (matched by the update's
    /// chat). On a delivery, <see cref="FaultKind.Delay"/> delays the POST, <see cref="FaultKind.DropConnection"/> fails it
    /// as a broken connection, and the other kinds fail it with their HTTP status, as a proxy in front of the webhook
    /// would; none of those reach the webhook.
    /// </summary>
    public const string WebhookMethod = "webhook";

    /// <summary>Method to match (case-insensitive); null matches every Bot API method, but never a webhook delivery (see <see cref="WebhookMethod"/>).</summary>
    public string? Method { get; init; }

    /// <summary>Chat id to match; null matches any call, with or without a chat.</summary>
    public long? ChatId { get; init; }

    /// <summary>What happens to a matching call.</summary>
    public FaultKind Kind { get; init; }

    /// <summary><c>retry_after</c> for <see cref="FaultKind.TooManyRequests"/>.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>HTTP status for <see cref="FaultKind.ServerError"/> (e.g. 500 or 502).</summary>
    public int StatusCode { get; init; } = 500;

    /// <summary>Delay for <see cref="FaultKind.Delay"/>, in milliseconds.</summary>
    public int DelayMs { get; init; }

    /// <summary>First matching call (1-based) the fault applies to; null means from the first.</summary>
    public int? Nth { get; init; }

    /// <summary>How many calls the fault applies to; 0 or -1 means forever.</summary>
    public int Times { get; init; } = 1;

    /// <summary>When set, each eligible call is hit with this probability (0..1), drawn from a <see cref="Seed"/>ed random.</summary>
    public double? Probability { get; init; }

    /// <summary>Seed for <see cref="Probability"/>, so a "5% of calls" run is repeatable.</summary>
    public int Seed { get; init; }

    /// <summary>Overrides the error description.</summary>
    public string? Description { get; init; }

    /// <summary>How many calls this fault has hit so far.</summary>
    public int AppliedCount
    {
        get
        {
            lock (_gate)
            {
                return _applied;
            }
        }
    }

    internal bool TryApply(string method, long? chatId)
    {
        if (Method is not null && !string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (ChatId is not null && ChatId != chatId)
        {
            return false;
        }

        lock (_gate)
        {
            _seen++;
            if (Nth is int nth && _seen < nth)
            {
                return false;
            }

            if (Times > 0 && _applied >= Times)
            {
                return false;
            }

            if (Probability is double p)
            {
                // Not a security use: a seeded generator keeps flaky-network runs reproducible.
#pragma warning disable CA5394
                _random ??= new Random(Seed);
                if (_random.NextDouble() >= p)
                {
                    return false;
                }
#pragma warning restore CA5394
            }

            _applied++;
            return true;
        }
    }
}

/// <summary>The list of faults an emulator applies to incoming calls, in order.</summary>
public sealed class FaultScript
{
    private readonly Lock _gate = new();
    private readonly List<Fault> _faults = [];

    /// <summary>Adds a fault; returns it so a test can read <see cref="Fault.AppliedCount"/> later.</summary>
    public Fault Add(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_gate)
        {
            _faults.Add(fault);
        }

        return fault;
    }

    /// <summary>Removes every fault.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>Current faults, in evaluation order.</summary>
    public IReadOnlyList<Fault> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _faults];
            }
        }
    }

    /// <summary>Total delay of the delay faults that fire, and the first error fault that fires (if any).</summary>
    /// <param name="method">The Bot API method, or <see cref="Fault.WebhookMethod"/> for a webhook delivery.</param>
    /// <param name="chatId">The call's <c>chat_id</c> or the delivered update's chat.</param>
    internal (int DelayMs, Fault? Error) Evaluate(string method, long? chatId)
    {
        var delivery = method == Fault.WebhookMethod;
        Fault[] snapshot;
        lock (_gate)
        {
            if (_faults.Count == 0)
            {
                return (0, null);
            }

            snapshot = [.. _faults];
        }

        var delay = 0;
        foreach (var fault in snapshot)
        {
            // A catch-all fault scripts Bot API calls; deliveries are hit only on purpose.
            if (delivery && fault.Method is null)
            {
                continue;
            }

            if (!fault.TryApply(method, chatId))
            {
                continue;
            }

            if (fault.Kind == FaultKind.Delay)
            {
                delay += fault.DelayMs;
                continue;
            }

            return (delay, fault);
        }

        return (delay, null);
    }
}
