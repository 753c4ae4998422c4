namespace Abitly.BotApiEmulator;

/// <summary>Settings for a <see cref="BotApiEmulator"/> instance.</summary>
public sealed class BotApiEmulatorOptions
{
    /// <summary>Loopback port to listen on; 0 picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>Username that <c>getMe</c> reports for the bot.</summary>
    public string BotUsername { get; set; } = "AbitlyTestBot";

    /// <summary>
    /// When set, more than this many send/edit calls within any sliding one-second window
    /// get 429 with <c>retry_after</c> 1, like Telegram's bulk limit.
    /// </summary>
    public int? GlobalRateLimitPerSecond { get; set; }

    /// <summary>When set, the same sliding-window limit applied to each chat separately.</summary>
    public int? PerChatRateLimitPerSecond { get; set; }

    /// <summary>
    /// Clock for message dates, call timestamps, rate windows, long-poll timeouts and delay faults.
    /// The test-side waits (<c>WaitFor…</c>) always use real time so a fake clock cannot hang a test.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>When set, the emulator also serves a web chat page at <c>/</c> for people to talk to the bot; null serves none.</summary>
    public WebChatOptions? WebChat { get; set; }

    /// <summary>
    /// Base delay, in milliseconds, before the emulator answers any method except <c>getUpdates</c>, like Telegram's
    /// round trip (benchmarks use 50–200 ms). Delay faults add to it.
    /// </summary>
    public int LatencyMs { get; set; }

    /// <summary>Adds a random 0..<see cref="LatencyJitterMs"/> ms (inclusive) to <see cref="LatencyMs"/>, drawn from a <see cref="LatencySeed"/>ed generator.</summary>
    public int LatencyJitterMs { get; set; }

    /// <summary>Seed for <see cref="LatencyJitterMs"/>, so a benchmark's latencies repeat from run to run.</summary>
    public int LatencySeed { get; set; }

    /// <summary>A webhook that has not answered within this time has failed the attempt ("Read timeout expired"), which is retried.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait before the first retry of a failed delivery; it doubles with each failure of the same update.</summary>
    public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Upper bound of the doubling retry wait.</summary>
    public TimeSpan WebhookMaxRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>After this many failed attempts an update is dropped, as Telegram eventually does; null retries until it is delivered.</summary>
    public int? WebhookMaxAttempts { get; set; }

    /// <summary>
    /// When set, deliveries go to these URLs in turn (each attempt, retries included, to the next) instead of the URL
    /// given to <c>setWebhook</c>: a load balancer in front of several bot instances. Changeable later with
    /// <see cref="BotApiEmulator.WebhookTargets"/>.
    /// </summary>
    public IReadOnlyList<string>? WebhookTargets { get; set; }

    /// <summary>In what order pending updates are handed to the webhook connections; see <see cref="WebhookDeliveryOrder"/>.</summary>
    public WebhookDeliveryOrder WebhookOrder { get; set; } = WebhookDeliveryOrder.UpdateId;

    /// <summary>Throws when a value is out of range, so a misconfigured emulator fails at start.</summary>
    internal void Validate()
    {
        WebChat?.Validate();
        if (LatencyMs < 0 || LatencyJitterMs < 0)
        {
            throw new ArgumentException("Latency must not be negative.", nameof(LatencyMs));
        }

        if (WebhookTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("The webhook timeout must be positive.", nameof(WebhookTimeout));
        }

        if (WebhookRetryDelay < TimeSpan.Zero || WebhookMaxRetryDelay < WebhookRetryDelay)
        {
            throw new ArgumentException("Webhook retry delays must be non-negative, the maximum at least the first.", nameof(WebhookRetryDelay));
        }

        if (WebhookMaxAttempts < 1)
        {
            throw new ArgumentException("Webhook attempts must be at least 1.", nameof(WebhookMaxAttempts));
        }

        BotApiEmulator.ValidateTargets(WebhookTargets);
    }
}

/// <summary>
/// How pending updates are handed to the (at most <c>max_connections</c>) webhook connections. In both orders an
/// update is retried by the connection that tried it, so a failing update holds one connection until it is
/// delivered (or dropped), and the next update is only picked up when a connection is free.
/// </summary>
public enum WebhookDeliveryOrder
{
    /// <summary>
    /// Each free connection takes the pending update with the lowest <c>update_id</c> not in flight. With
    /// <c>max_connections</c> 1 delivery is strictly sequential in update_id order (a failing update blocks the rest);
    /// with more, deliveries start in update_id order but overlap, so two updates of one chat can be in flight at once and
    /// arrive (or finish) out of order, and later updates overtake one that is being retried.
    /// </summary>
    UpdateId,

    /// <summary>
    /// What the open-source Bot API server does: updates are queued per chat (messages and edits by chat, callback
    /// queries by the pressing user), a queue has at most one update in flight and moves on only once it is delivered,
    /// and queues run in parallel up to <c>max_connections</c>. A failing chat blocks only itself (and the connection retrying it).
    /// </summary>
    PerChat,
}
