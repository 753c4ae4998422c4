using System.Globalization;
using System.Text.Json.Nodes;

namespace Abitly.BotApiEmulator;

// Updates (the pending queue, getUpdates long polling), commands and getMe. Webhook delivery is in BotApiEmulator.Webhook.cs.
public sealed partial class BotApiEmulator
{
    private readonly Lock _updatesGate = new();

    // Pending updates by id: polling confirms a prefix, webhook deliveries finish in any order.
    private readonly SortedDictionary<long, PendingUpdate> _updates = [];
    private readonly Dictionary<string, IReadOnlyList<BotCommandInfo>> _commands = new(StringComparer.Ordinal);

    // Completed (and replaced) whenever the pending updates change: an update added, confirmed, delivered or dropped.
    private TaskCompletionSource _updateSignal;
    private PollSlot? _activePoll;
    private long _nextUpdateId = 1;
    private long _confirmedOffset;

    /// <summary>Highest offset the bot confirmed with <c>getUpdates</c> (updates below it are gone).</summary>
    public long ConfirmedOffset
    {
        get
        {
            lock (_updatesGate)
            {
                return _confirmedOffset;
            }
        }
    }

    /// <summary>Updates enqueued and not yet confirmed by an offset.</summary>
    public int PendingUpdates
    {
        get
        {
            lock (_updatesGate)
            {
                return _updates.Count;
            }
        }
    }

    /// <summary>Commands by scope key: <c>default</c>, <c>all_private_chats</c>, <c>chat:123</c>, <c>chat_member:123:456</c>…; a language code adds <c>/uk</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<BotCommandInfo>> Commands
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, IReadOnlyList<BotCommandInfo>>(_commands, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Enqueues an update built by <paramref name="build"/> from its update id (for stickers, edits, member changes…).</summary>
    /// <returns>The update id.</returns>
    public long EnqueueRawUpdate(Func<long, JsonObject> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        lock (_gate)
        {
            return EnqueueLocked(id =>
            {
                var update = build(id);
                update["update_id"] = id;
                return update;
            });
        }
    }

    /// <summary>Enqueues under <see cref="_gate"/>, which every producer holds, so update ids keep the order of events.</summary>
    private long EnqueueLocked(Func<long, JsonObject> build)
    {
        long id;
        lock (_updatesGate)
        {
            id = _nextUpdateId++;
        }

        var update = PendingUpdate.From(id, build(id));
        lock (_updatesGate)
        {
            // Like Telegram, a webhook's allowed_updates decides which updates are created at all.
            if (_webhook is null || _allowedUpdates is null || _allowedUpdates.Contains(update.Type))
            {
                _updates.Add(id, update);
                PendingChangedLocked();
            }
        }

        return id;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes whoever waits on the pending updates (a long poll, webhook connections, test waits). Call under <see cref="_updatesGate"/>.</summary>
    private void PendingChangedLocked()
    {
        var signal = _updateSignal;
        _updateSignal = NewSignal();

        // Continuations run asynchronously, so nobody re-enters the lock from here.
        signal.TrySetResult();
    }

    /// <summary>
    /// Waits until no update is pending: all delivered to the webhook with a 2xx (or dropped), or, when polling,
    /// confirmed by an offset. Throws <see cref="TimeoutException"/> after <paramref name="timeout"/> (default 5 s).
    /// </summary>
    public async Task WaitForNoPendingUpdatesAsync(TimeSpan? timeout = null)
    {
        var wait = timeout ?? TimeSpan.FromSeconds(5);

        // Real time, like the other test-side waits.
        var deadline = DateTimeOffset.UtcNow + wait;
        while (true)
        {
            Task signal;
            lock (_updatesGate)
            {
                if (_updates.Count == 0)
                {
                    return;
                }

                signal = _updateSignal.Task;
            }

            var remaining = deadline - DateTimeOffset.UtcNow;
            try
            {
                await signal.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException(
                    $"{PendingUpdates} updates still pending after {wait.TotalSeconds:0.#} s.{Environment.NewLine}{DumpDeliveries()}");
            }
        }
    }

    private async ValueTask<string> GetUpdatesAsync(CallContext c)
    {
        var offset = c.P.GetLong("offset");
        var limit = (int)Math.Clamp(c.P.GetLong("limit") ?? 100, 1, 100);
        var timeout = TimeSpan.FromSeconds(Math.Max(0, c.P.GetLong("timeout") ?? 0));
        using var slot = new PollSlot(CancellationTokenSource.CreateLinkedTokenSource(c.Http.RequestAborted, _disposing.Token));
        lock (_updatesGate)
        {
            if (_webhook is not null)
            {
                throw new ApiException(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
            }

            // As on Telegram, a newer poll ends the older one with 409.
            _activePoll?.Terminate("Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
            _activePoll = slot;
            Confirm(offset);
        }

        try
        {
            var deadline = _time.GetUtcNow() + timeout;
            while (true)
            {
                Task signal;
                lock (_updatesGate)
                {
                    if (slot.TerminatedBecause is { } reason)
                    {
                        throw new ApiException(409, reason);
                    }

                    if (_updates.Count > 0)
                    {
                        return "[" + string.Join(',', _updates.Values.Take(limit).Select(u => u.Json)) + "]";
                    }

                    signal = _updateSignal.Task;
                }

                var remaining = deadline - _time.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    return "[]";
                }

                try
                {
                    await signal.WaitAsync(remaining, _time, slot.Token);
                }
                catch (TimeoutException)
                {
                    // The timer, not a clock re-read, ends the wait: a frozen test clock must not poll forever.
                    return "[]";
                }
                catch (OperationCanceledException) when (slot.TerminatedBecause is not null)
                {
                    // Loop once more: the terminated check answers 409.
                }
                catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
                {
                    // The emulator stops: end the poll cleanly rather than with a broken response.
                    return "[]";
                }
            }
        }
        finally
        {
            lock (_updatesGate)
            {
                if (_activePoll == slot)
                {
                    _activePoll = null;
                }
            }
        }
    }

    /// <summary>Forgets updates below a positive offset; a negative offset keeps only the last -offset updates.</summary>
    private void Confirm(long? offset)
    {
        if (offset is not long value || value == 0)
        {
            return;
        }

        var before = _updates.Count;
        if (value > 0)
        {
            while (_updates.Count > 0 && _updates.First().Key < value)
            {
                _updates.Remove(_updates.First().Key);
            }

            _confirmedOffset = Math.Max(_confirmedOffset, value);
        }
        else
        {
            while (_updates.Count > -value)
            {
                _updates.Remove(_updates.First().Key);
            }

            _confirmedOffset = Math.Max(_confirmedOffset, _updates.Count > 0 ? _updates.First().Key : _nextUpdateId);
        }

        if (_updates.Count != before)
        {
            PendingChangedLocked();
        }
    }

    private string GetMe(CallContext c) => new JsonObject
    {
        ["id"] = c.BotId,
        ["is_bot"] = true,
        ["first_name"] = _options.BotUsername,
        ["username"] = _options.BotUsername,
        ["can_join_groups"] = true,
        ["can_read_all_group_messages"] = false,
        ["supports_inline_queries"] = false,
    }.ToJsonString();

    private string SetMyCommands(CallContext c)
    {
        var list = new List<BotCommandInfo>();
        foreach (var node in c.P.GetNode("commands") as JsonArray ?? throw ApiException.BadRequest("commands is empty"))
        {
            var command = node?["command"]?.GetValue<string>() ?? string.Empty;
            var description = node?["description"]?.GetValue<string>() ?? string.Empty;
            if (command.Length is 0 or > 32 || !command.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '_'))
            {
                throw ApiException.BadRequest("BOT_COMMAND_INVALID");
            }

            if (description.Length is 0 or > 256)
            {
                throw ApiException.BadRequest("command description must be non-empty");
            }

            list.Add(new BotCommandInfo(command, description));
        }

        var key = ScopeKey(c.P);
        lock (_gate)
        {
            _commands[key] = list;
        }

        return "true";
    }

    private string GetMyCommands(CallContext c)
    {
        var key = ScopeKey(c.P);
        IReadOnlyList<BotCommandInfo> list;
        lock (_gate)
        {
            list = _commands.GetValueOrDefault(key) ?? [];
        }

        return new JsonArray([.. list.Select(x => new JsonObject { ["command"] = x.Command, ["description"] = x.Description })]).ToJsonString();
    }

    private string DeleteMyCommands(CallContext c)
    {
        var key = ScopeKey(c.P);
        lock (_gate)
        {
            _commands.Remove(key);
        }

        return "true";
    }

    private static string ScopeKey(RequestParams p)
    {
        var scope = p.GetNode("scope");
        var type = scope?["type"]?.GetValue<string>() ?? "default";
        var key = type switch
        {
            "chat" or "chat_administrators" => $"{type}:{Id(scope!["chat_id"])}",
            "chat_member" => $"{type}:{Id(scope!["chat_id"])}:{Id(scope["user_id"])}",
            _ => type,
        };
        var language = p.GetString("language_code");
        return string.IsNullOrEmpty(language) ? key : $"{key}/{language}";

        static string Id(JsonNode? node) => node switch
        {
            null => throw ApiException.BadRequest("chat_id is empty"),
            JsonValue v when v.TryGetValue<long>(out var n) => n.ToString(CultureInfo.InvariantCulture),
            _ => node.ToString(),
        };
    }

    /// <summary>The one getUpdates request currently allowed to wait.</summary>
    private sealed class PollSlot(CancellationTokenSource cts) : IDisposable
    {
        private volatile string? _terminatedBecause;

        /// <summary>The 409 description once a newer poll or a setWebhook ended this one, else null.</summary>
        public string? TerminatedBecause => _terminatedBecause;

        public CancellationToken Token => cts.Token;

        public void Terminate(string reason)
        {
            _terminatedBecause = reason;
            cts.Cancel();
        }

        public void Dispose() => cts.Dispose();
    }

    /// <summary>An update waiting to be fetched or delivered, with what delivery needs to know about it.</summary>
    /// <param name="Id">Its update_id.</param>
    /// <param name="Json">The update as sent.</param>
    /// <param name="Type">Its kind: <c>message</c>, <c>callback_query</c>, … (the field next to update_id).</param>
    /// <param name="ChatId">The chat it belongs to, when it has one (for faults and the delivery log).</param>
    /// <param name="QueueKey">Updates with the same key are delivered one at a time in <see cref="WebhookDeliveryOrder.PerChat"/>.</param>
    private sealed record PendingUpdate(long Id, string Json, string Type, long? ChatId, string QueueKey)
    {
        public static PendingUpdate From(long id, JsonObject update)
        {
            var json = update.ToJsonString();

            // Parsed back from the text: a raw update built by a test may hold numbers of any CLR type.
            var parsed = JsonNode.Parse(json)!.AsObject();
            var (type, body) = parsed.Where(p => p.Key != "update_id").Select(p => (p.Key, p.Value as JsonObject)).FirstOrDefault();
            type ??= "unknown";
            var chat = Number(body?["chat"]?["id"]) ?? Number(body?["message"]?["chat"]?["id"]);
            var user = Number(body?["from"]?["id"]) ?? Number(body?["user"]?["id"]);

            // As in the open-source Bot API server: messages and their edits queue by chat, callback queries by user.
            var key = type switch
            {
                "message" or "edited_message" or "channel_post" or "edited_channel_post" when chat is long c => Invariant($"chat:{c}"),
                "callback_query" when user is long u => Invariant($"callback:{u}"),
                _ when (chat ?? user) is long other => Invariant($"{type}:{other}"),
                _ => Invariant($"update:{id}"),
            };
            return new PendingUpdate(id, json, type, chat, key);
        }

        private static long? Number(JsonNode? node) =>
            node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;

        private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
    }
}
