using System.Globalization;
using System.Text.Json.Nodes;

namespace Abitly.BotApiEmulator;

// Updates (getUpdates long polling, webhook settings), commands and getMe.
public sealed partial class BotApiEmulator
{
    private readonly Lock _updatesGate = new();
    private readonly Queue<(long Id, string Json)> _updates = new();
    private readonly Dictionary<string, IReadOnlyList<BotCommandInfo>> _commands = new(StringComparer.Ordinal);
    private TaskCompletionSource _updateSignal;
    private PollSlot? _activePoll;
    private long _nextUpdateId = 1;
    private long _confirmedOffset;
    private string? _webhookUrl;

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

    /// <summary>Webhook URL set by <c>setWebhook</c>, or null. Updates are never pushed to it; it only blocks getUpdates.</summary>
    public string? WebhookUrl
    {
        get
        {
            lock (_updatesGate)
            {
                return _webhookUrl;
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

        var json = build(id).ToJsonString();
        TaskCompletionSource signal;
        lock (_updatesGate)
        {
            _updates.Enqueue((id, json));
            signal = _updateSignal;
            _updateSignal = NewSignal();
        }

        signal.TrySetResult();
        return id;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async ValueTask<string> GetUpdatesAsync(CallContext c)
    {
        var offset = c.P.GetLong("offset");
        var limit = (int)Math.Clamp(c.P.GetLong("limit") ?? 100, 1, 100);
        var timeout = TimeSpan.FromSeconds(Math.Max(0, c.P.GetLong("timeout") ?? 0));
        using var slot = new PollSlot(CancellationTokenSource.CreateLinkedTokenSource(c.Http.RequestAborted, _disposing.Token));
        lock (_updatesGate)
        {
            if (_webhookUrl is not null)
            {
                throw new ApiException(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
            }

            // As on Telegram, a newer poll ends the older one with 409.
            _activePoll?.Terminate();
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
                    if (slot.Terminated)
                    {
                        throw new ApiException(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
                    }

                    if (_updates.Count > 0)
                    {
                        return "[" + string.Join(',', _updates.Take(limit).Select(u => u.Json)) + "]";
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
                catch (OperationCanceledException) when (slot.Terminated)
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

        if (value > 0)
        {
            while (_updates.Count > 0 && _updates.Peek().Id < value)
            {
                _updates.Dequeue();
            }

            _confirmedOffset = Math.Max(_confirmedOffset, value);
            return;
        }

        while (_updates.Count > -value)
        {
            _updates.Dequeue();
        }

        _confirmedOffset = Math.Max(_confirmedOffset, _updates.Count > 0 ? _updates.Peek().Id : _nextUpdateId);
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

    private string SetWebhook(CallContext c)
    {
        var url = c.P.GetString("url");
        lock (_updatesGate)
        {
            _webhookUrl = string.IsNullOrEmpty(url) ? null : url;
            if (c.P.GetBool("drop_pending_updates"))
            {
                _updates.Clear();
            }
        }

        return "true";
    }

    private string DeleteWebhook(CallContext c)
    {
        lock (_updatesGate)
        {
            _webhookUrl = null;
            if (c.P.GetBool("drop_pending_updates"))
            {
                _updates.Clear();
            }
        }

        return "true";
    }

    private string GetWebhookInfo(CallContext c)
    {
        lock (_updatesGate)
        {
            return new JsonObject
            {
                ["url"] = _webhookUrl ?? string.Empty,
                ["has_custom_certificate"] = false,
                ["pending_update_count"] = _updates.Count,
            }.ToJsonString();
        }
    }

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
        private volatile bool _terminated;

        public bool Terminated => _terminated;

        public CancellationToken Token => cts.Token;

        public void Terminate()
        {
            _terminated = true;
            cts.Cancel();
        }

        public void Dispose() => cts.Dispose();
    }
}
