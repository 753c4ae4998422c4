using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace Abitly.BotApiEmulator;

// Webhook mode: setWebhook switches from answering getUpdates to pushing updates, as Telegram does.
// Up to max_connections "connections" (tasks) each take a pending update (see WebhookDeliveryOrder), POST it until the
// webhook answers 2xx, backing off between attempts, and only then take the next. An update stays pending (and counted
// by getWebhookInfo) until delivered, so deleteWebhook hands whatever is left back to getUpdates.
public sealed partial class BotApiEmulator
{
    private const string SecretTokenHeader = "X-Telegram-Bot-Api-Secret-Token";
    private const int DefaultMaxConnections = 40;

    // Telegram follows no redirects and the emulator talks to loopback: never through a proxy from the environment.
    private readonly HttpClient _webhookClient = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    // Under _updatesGate: the webhook, its allowed update types, the delivery log and its waiters.
    private readonly List<WebhookDelivery> _deliveries = [];
    private readonly List<DeliveryWaiter> _deliveryWaiters = [];
    private WebhookSession? _webhook;
    private HashSet<string>? _allowedUpdates;

    private volatile IReadOnlyList<string>? _webhookTargets;
    private int _nextTarget;

    /// <summary>Webhook URL set by <c>setWebhook</c>, or null while the bot polls.</summary>
    public string? WebhookUrl
    {
        get
        {
            lock (_updatesGate)
            {
                return _webhook?.Url;
            }
        }
    }

    /// <summary>
    /// When set, deliveries go to these URLs in turn instead of the webhook URL (a load balancer in front of several
    /// bot instances); null or empty delivers to the webhook URL. Starts as <see cref="BotApiEmulatorOptions.WebhookTargets"/>.
    /// </summary>
    public IReadOnlyList<string>? WebhookTargets
    {
        get => _webhookTargets;
        set
        {
            ValidateTargets(value);
            _webhookTargets = value is null ? null : [.. value];
        }
    }

    /// <summary>
    /// Every webhook delivery attempt so far, in the order their outcomes were known (a snapshot). Attempts cut short
    /// because the webhook was deleted or replaced (or the emulator stopped) are not listed.
    /// </summary>
    public IReadOnlyList<WebhookDelivery> WebhookDeliveries
    {
        get
        {
            lock (_updatesGate)
            {
                return [.. _deliveries];
            }
        }
    }

    /// <summary>Waits for a delivery attempt matching <paramref name="match"/>, including attempts already made (default 5 s).</summary>
    public async Task<WebhookDelivery> WaitForDeliveryAsync(Func<WebhookDelivery, bool> match, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        var wait = timeout ?? TimeSpan.FromSeconds(5);
        DeliveryWaiter waiter;
        lock (_updatesGate)
        {
            var existing = _deliveries.Find(d => match(d));
            if (existing is not null)
            {
                return existing;
            }

            waiter = new DeliveryWaiter(match);
            _deliveryWaiters.Add(waiter);
        }

        try
        {
            return await waiter.Done.Task.WaitAsync(wait);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No matching webhook delivery within {wait.TotalSeconds:0.#} s.{Environment.NewLine}{DumpDeliveries()}");
        }
        finally
        {
            lock (_updatesGate)
            {
                _deliveryWaiters.Remove(waiter);
            }
        }
    }

    internal static void ValidateTargets(IReadOnlyList<string>? targets)
    {
        foreach (var target in targets ?? [])
        {
            if (!IsHttpUrl(target))
            {
                throw new ArgumentException($"Webhook target \"{target}\" is not an absolute http(s) URL.", nameof(targets));
            }
        }
    }

    private static bool IsHttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private void ClearDeliveriesLocked()
    {
        lock (_updatesGate)
        {
            _deliveries.Clear();
        }
    }

    private async ValueTask<string> SetWebhookAsync(CallContext c)
    {
        var url = c.P.GetString("url");
        if (string.IsNullOrEmpty(url))
        {
            // Telegram: an empty URL removes the webhook.
            return await DeleteWebhookAsync(c);
        }

        // Telegram insists on HTTPS and a few ports; the emulator takes plain http, so a test can listen on loopback.
        if (!IsHttpUrl(url))
        {
            throw ApiException.BadRequest("invalid webhook URL specified");
        }

        var secret = c.P.GetString("secret_token") ?? string.Empty;
        if (secret.Length > 256)
        {
            throw ApiException.BadRequest("secret token is too long");
        }

        if (!secret.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-'))
        {
            throw ApiException.BadRequest("secret token contains unallowed characters");
        }

        var maxConnections = (int)Math.Clamp(c.P.GetLong("max_connections") ?? DefaultMaxConnections, 1, 100);
        var allowed = ParseAllowedUpdates(c.P.GetNode("allowed_updates"));
        var drop = c.P.GetBool("drop_pending_updates");
        WebhookSession? old;
        WebhookSession session;
        lock (_updatesGate)
        {
            if (allowed is not null)
            {
                // An empty list means every type again; an absent one keeps the previous setting.
                _allowedUpdates = allowed.Count == 0 ? null : allowed;
            }

            old = _webhook;
            if (old is not null && !drop && old.Url == url && old.Secret == secret && old.MaxConnections == maxConnections)
            {
                // Telegram answers "Webhook is already set" and keeps delivering: a restarted instance re-setting it changes nothing.
                return "true";
            }

            if (drop && _updates.Count > 0)
            {
                _updates.Clear();
                PendingChangedLocked();
            }

            session = new WebhookSession(url, secret, maxConnections, _options.WebhookOrder, _disposing.Token);
            _webhook = session;
            _activePoll?.Terminate("Conflict: terminated by setWebhook request");
        }

        // The old connections stop before the new ones start, so two settings never deliver at once.
        if (old is not null)
        {
            await old.StopAsync();
        }

        session.Start(RunWebhookConnectionAsync);
        return "true";
    }

    private async ValueTask<string> DeleteWebhookAsync(CallContext c)
    {
        WebhookSession? old;
        lock (_updatesGate)
        {
            old = _webhook;
            _webhook = null;
            if (c.P.GetBool("drop_pending_updates") && _updates.Count > 0)
            {
                _updates.Clear();
                PendingChangedLocked();
            }
        }

        // Once this answers, no delivery is in flight: attempts cut short here are not logged and their updates stay pending.
        if (old is not null)
        {
            await old.StopAsync();
        }

        return "true";
    }

    private async Task StopWebhookAsync()
    {
        WebhookSession? old;
        lock (_updatesGate)
        {
            old = _webhook;
        }

        if (old is not null)
        {
            await old.StopAsync();
        }
    }

    private static HashSet<string>? ParseAllowedUpdates(JsonNode? node) => node switch
    {
        null => null,
        JsonArray array => [.. array.Select(x => x is JsonValue v && v.TryGetValue<string>(out var type)
            ? type
            : throw ApiException.BadRequest("can't parse allowed_updates"))],
        _ => throw ApiException.BadRequest("can't parse allowed_updates"),
    };

    private string GetWebhookInfo(CallContext c)
    {
        lock (_updatesGate)
        {
            var info = new JsonObject
            {
                ["url"] = _webhook?.Url ?? string.Empty,
                ["has_custom_certificate"] = false,
                ["pending_update_count"] = _updates.Count,
            };
            if (_webhook is { } webhook)
            {
                if (webhook.LastErrorDate is DateTimeOffset errorDate)
                {
                    info["last_error_date"] = errorDate.ToUnixTimeSeconds();
                    info["last_error_message"] = webhook.LastErrorMessage;
                }

                info["max_connections"] = webhook.MaxConnections;
                if (_allowedUpdates is not null)
                {
                    info["allowed_updates"] = new JsonArray([.. _allowedUpdates.Order(StringComparer.Ordinal).Select(t => JsonValue.Create(t))]);
                }
            }

            return info.ToJsonString();
        }
    }

    /// <summary>One webhook connection: takes the next update it may deliver, delivers it, repeats until the webhook changes.</summary>
    private async Task RunWebhookConnectionAsync(WebhookSession session)
    {
        var stopping = session.Token;
        while (!stopping.IsCancellationRequested)
        {
            PendingUpdate? update;
            Task changed;
            lock (_updatesGate)
            {
                update = session.TakeNext(_updates.Values);
                changed = _updateSignal.Task;
            }

            try
            {
                if (update is null)
                {
                    await changed.WaitAsync(stopping);
                    continue;
                }

                await DeliverAsync(session, update, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                if (update is not null)
                {
                    lock (_updatesGate)
                    {
                        // Another connection may now take it (if still pending) or the next update of its chat.
                        session.Release(update);
                        PendingChangedLocked();
                    }
                }
            }
        }
    }

    /// <summary>POSTs the update until the webhook takes it (or attempts run out), backing off between attempts.</summary>
    private async Task DeliverAsync(WebhookSession session, PendingUpdate update, CancellationToken stopping)
    {
        var backoff = _options.WebhookRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            var target = NextTarget(session.Url);
            var started = _time.GetUtcNow();
            var (status, error) = await AttemptAsync(session, update, target, stopping);
            var delivery = new WebhookDelivery(update.Id, update.ChatId, target, attempt, started, _time.GetUtcNow(), status, error);
            var finished = error is null || (_options.WebhookMaxAttempts is int max && attempt >= max);
            List<DeliveryWaiter>? done = null;
            lock (_updatesGate)
            {
                // Logged and removed together, so a test that saw "nothing pending" also sees the delivery.
                _deliveries.Add(delivery);
                if (error is not null)
                {
                    session.LastErrorDate = started;
                    session.LastErrorMessage = error;
                }

                if (finished && _updates.Remove(update.Id))
                {
                    PendingChangedLocked();
                }

                foreach (var waiter in _deliveryWaiters)
                {
                    if (waiter.Match(delivery))
                    {
                        (done ??= []).Add(waiter);
                    }
                }
            }

            done?.ForEach(w => w.Done.TrySetResult(delivery));
            if (finished)
            {
                return;
            }

            await Task.Delay(backoff, _time, stopping);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.WebhookMaxRetryDelay.Ticks));
        }
    }

    /// <summary>One POST: the HTTP status when the webhook answered, and the error text unless it answered 2xx.</summary>
    private async Task<(int? Status, string? Error)> AttemptAsync(WebhookSession session, PendingUpdate update, string target, CancellationToken stopping)
    {
        var (delayMs, fault) = Faults.Evaluate(Fault.WebhookMethod, update.ChatId);
        if (delayMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delayMs), _time, stopping);
        }

        if (fault is { Kind: FaultKind.DropConnection })
        {
            return (null, "Webhook connection closed");
        }

        if (fault is not null)
        {
            var code = FaultError(fault).ErrorCode;
            return (code, WrongResponse(code, null));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(update.Json)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (session.Secret.Length > 0)
        {
            request.Headers.Add(SecretTokenHeader, session.Secret);
        }

        using var timer = new CancellationTokenSource(_options.WebhookTimeout, _time);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stopping, timer.Token);
        try
        {
            using var response = await _webhookClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, limit.Token);
            var code = (int)response.StatusCode;
            return code is >= 200 and <= 299 ? (code, null) : (code, WrongResponse(code, response.ReasonPhrase));
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return (null, "Read timeout expired");
        }
        catch (HttpRequestException ex)
        {
            return (null, ConnectionError(ex));
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            // An emulator bug must show in the delivery log, not silently end a connection.
            return (null, "emulator error: " + ex.Message);
        }
    }

    private static string WrongResponse(int code, string? reason) =>
        FormattableString.Invariant($"Wrong response from the webhook: {code} {(string.IsNullOrEmpty(reason) ? ReasonPhrases.GetReasonPhrase(code) : reason)}");

    private static string ConnectionError(HttpRequestException ex) => ex.InnerException switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "Connection refused",
        SocketException socket => socket.Message,
        _ when ex.HttpRequestError == HttpRequestError.ResponseEnded => "Webhook connection closed",
        _ => ex.Message,
    };

    /// <summary>The URL of the next attempt: the webhook URL, or the next of the load-balanced targets.</summary>
    private string NextTarget(string url)
    {
        var targets = _webhookTargets;
        if (targets is null || targets.Count == 0)
        {
            return url;
        }

        var turn = (uint)(Interlocked.Increment(ref _nextTarget) - 1);
        return targets[(int)(turn % (uint)targets.Count)];
    }

    private string DumpDeliveries()
    {
        var deliveries = WebhookDeliveries;
        var lines = deliveries.TakeLast(20).Select(d => string.Create(
            CultureInfo.InvariantCulture,
            $"  update {d.UpdateId} attempt {d.Attempt} → {d.Target}: {d.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "-"} {d.Error ?? "delivered"}"));
        return $"Webhook {WebhookUrl ?? "(not set)"}; last deliveries ({deliveries.Count} in all):{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
    }

    /// <summary>One setWebhook: its parameters, its last error and its connections.</summary>
    private sealed class WebhookSession
    {
        private readonly CancellationTokenSource _stop;
        private readonly Lock _lifecycle = new();
        private readonly HashSet<long> _inFlight = [];
        private readonly HashSet<string> _busyQueues = new(StringComparer.Ordinal);
        private Task[] _connections = [];
        private Task? _stopped;

        public WebhookSession(string url, string secret, int maxConnections, WebhookDeliveryOrder order, CancellationToken emulatorStopping)
        {
            Url = url;
            Secret = secret;
            MaxConnections = maxConnections;
            Order = order;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(emulatorStopping);
            Token = _stop.Token;
        }

        public string Url { get; }

        /// <summary>The secret token, empty when none was set (then the header is not sent).</summary>
        public string Secret { get; }

        public int MaxConnections { get; }

        public WebhookDeliveryOrder Order { get; }

        /// <summary>Cancelled when the webhook is deleted or replaced, or the emulator stops.</summary>
        public CancellationToken Token { get; }

        // Under the emulator's _updatesGate, like the next three members.
        public DateTimeOffset? LastErrorDate { get; set; }

        public string? LastErrorMessage { get; set; }

        /// <summary>Marks and returns the first pending update this order allows to start now, or null.</summary>
        public PendingUpdate? TakeNext(IEnumerable<PendingUpdate> pending)
        {
            foreach (var update in pending)
            {
                if (_inFlight.Contains(update.Id) || (Order == WebhookDeliveryOrder.PerChat && _busyQueues.Contains(update.QueueKey)))
                {
                    continue;
                }

                _inFlight.Add(update.Id);
                if (Order == WebhookDeliveryOrder.PerChat)
                {
                    _busyQueues.Add(update.QueueKey);
                }

                return update;
            }

            return null;
        }

        public void Release(PendingUpdate update)
        {
            _inFlight.Remove(update.Id);
            if (Order == WebhookDeliveryOrder.PerChat)
            {
                _busyQueues.Remove(update.QueueKey);
            }
        }

        public void Start(Func<WebhookSession, Task> connection)
        {
            lock (_lifecycle)
            {
                if (_stopped is null)
                {
                    _connections = [.. Enumerable.Range(0, MaxConnections).Select(_ => Task.Run(() => connection(this)))];
                }
            }
        }

        /// <summary>Cancels the connections and waits for them to end; later calls wait for the same end.</summary>
        public Task StopAsync()
        {
            lock (_lifecycle)
            {
                return _stopped ??= StopCoreAsync(_connections);
            }
        }

        private async Task StopCoreAsync(Task[] connections)
        {
            await _stop.CancelAsync();
            try
            {
                await Task.WhenAll(connections);
            }
            finally
            {
                _stop.Dispose();
            }
        }
    }

    private sealed class DeliveryWaiter(Func<WebhookDelivery, bool> match)
    {
        public Func<WebhookDelivery, bool> Match { get; } = match;

        public TaskCompletionSource<WebhookDelivery> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
