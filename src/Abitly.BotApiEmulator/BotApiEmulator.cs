using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Abitly.BotApiEmulator;

/// <summary>
/// An in-process Telegram Bot API server on loopback: the real Telegram.Bot client talks to it over HTTP,
/// while tests (or a sandbox web chat) act as Telegram users and observe what the bot did.
/// </summary>
public sealed partial class BotApiEmulator : IAsyncDisposable
{
    private readonly BotApiEmulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Dictionary<string, (string Name, Func<CallContext, ValueTask<string>> Handler)> _methods;
    private WebApplication? _app;

    // One lock guards chats, calls and bot-side state; updates have their own (taken only inside this one, never the reverse).
    private readonly Lock _gate = new();
    private readonly List<RecordedCall> _calls = [];
    private readonly List<CallWaiter> _callWaiters = [];
    private readonly Lock _latencyGate = new();
    private Random? _latencyRandom;

    private BotApiEmulator(BotApiEmulatorOptions options)
    {
        options.Validate();
        _options = options;
        _time = options.TimeProvider;
        _webhookTargets = options.WebhookTargets is null ? null : [.. options.WebhookTargets];

        // Personas are known users from the start, so even a button pressed before they wrote carries their name.
        foreach (var persona in options.WebChat?.Personas ?? [])
        {
            _users[persona.UserId] = (persona.FirstName, persona.Username);
        }

        _updateSignal = NewSignal();
        _methods = new(StringComparer.OrdinalIgnoreCase);
        Register("getMe", GetMe);
        Register("getUpdates", GetUpdatesAsync);
        Register("sendMessage", SendMessage);
        Register("sendPhoto", SendPhoto);
        Register("editMessageText", EditMessageText);
        Register("editMessageReplyMarkup", EditMessageReplyMarkup);
        Register("deleteMessage", DeleteMessage);
        Register("answerCallbackQuery", AnswerCallbackQuery);
        Register("sendChatAction", _ => "true");
        Register("setMyCommands", SetMyCommands);
        Register("getMyCommands", GetMyCommands);
        Register("deleteMyCommands", DeleteMyCommands);
        Register("setWebhook", SetWebhookAsync);
        Register("deleteWebhook", DeleteWebhookAsync);
        Register("getWebhookInfo", GetWebhookInfo);
    }

    /// <summary>Base URL to give to <c>TelegramBotClientOptions</c>, e.g. <c>http://127.0.0.1:5123</c>.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The port Kestrel listens on.</summary>
    public int Port { get; private set; }

    /// <summary>Scripted failures applied to incoming calls.</summary>
    public FaultScript Faults { get; } = new();

    /// <summary>Every API call served so far, in completion order (a snapshot).</summary>
    public IReadOnlyList<RecordedCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Starts an emulator on 127.0.0.1.</summary>
    public static async Task<BotApiEmulator> StartAsync(BotApiEmulatorOptions? options = null, CancellationToken ct = default)
    {
        var emulator = new BotApiEmulator(options ?? new BotApiEmulatorOptions());
        try
        {
            await emulator.StartServerAsync(ct);
            return emulator;
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server; pending long polls end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposing.IsCancellationRequested)
        {
            return;
        }

        await _disposing.CancelAsync();
        await StopWebhookAsync();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        _webhookClient.Dispose();
        _disposing.Dispose();
    }

    /// <summary>Waits for a recorded call matching <paramref name="match"/>, including calls already made.</summary>
    public async Task<RecordedCall> WaitForCallAsync(Func<RecordedCall, bool> match, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        CallWaiter waiter;
        lock (_gate)
        {
            var existing = _calls.Find(c => match(c));
            if (existing is not null)
            {
                return existing;
            }

            waiter = new CallWaiter(match);
            _callWaiters.Add(waiter);
        }

        try
        {
            return await waiter.Done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No matching Bot API call within {timeout.TotalSeconds:0.#} s.{Environment.NewLine}{DumpCalls()}");
        }
        finally
        {
            lock (_gate)
            {
                _callWaiters.Remove(waiter);
            }
        }
    }

    /// <summary>
    /// Clears messages, calls, webhook deliveries, callback answers, faults, blocked chats and rate windows; updates,
    /// commands, stored photos and the webhook setting stay.
    /// </summary>
    public void Reset()
    {
        lock (_gate)
        {
            _calls.Clear();
            ClearDeliveriesLocked();
            _chats.Clear();
            _answers.Clear();
            _openCallbackQueries.Clear();
            _blocked.Clear();
            _globalWindow.Clear();
            _chatWindows.Clear();
            Faults.Clear();
            ChatsClearedLocked();
        }
    }

    private void Register(string name, Func<CallContext, string> handler) =>
        _methods[name] = (name, c => ValueTask.FromResult(handler(c)));

    private void Register(string name, Func<CallContext, ValueTask<string>> handler) => _methods[name] = (name, handler);

    private async Task StartServerAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, _options.Port));

        // Warnings only: request URLs carry the bot token and must not reach the logs.
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync(ct);

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
    }

    [GeneratedRegex(@"^/bot(?<token>[^/]+)/(?<method>[A-Za-z]+)/?$")]
    private static partial Regex PathPattern();

    [GeneratedRegex(@"^[0-9]+:[A-Za-z0-9_-]+$")]
    private static partial Regex TokenPattern();

    private async Task HandleAsync(HttpContext http)
    {
        var match = PathPattern().Match(http.Request.Path.Value ?? string.Empty);
        if (!match.Success)
        {
            if (_options.WebChat is { } web && RouteWebChat(http, web) is { } page)
            {
                await ServePageAsync(http, page);
                return;
            }

            await WriteAsync(http, 404, ErrorBody(new ApiException(404, "Not Found")));
            return;
        }

        if (!TokenPattern().IsMatch(match.Groups["token"].Value))
        {
            await WriteAsync(http, 401, ErrorBody(new ApiException(401, "Unauthorized")));
            return;
        }

        var token = match.Groups["token"].Value;
        var botId = long.Parse(token.AsSpan(0, token.IndexOf(':', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
        var started = _time.GetUtcNow();
        var method = match.Groups["method"].Value;
        RequestParams? parameters = null;
        int status;
        string body;
        string? error = null;
        var injectedDelayMs = 0;
        try
        {
            parameters = await RequestReader.ReadAsync(http.Request);
            if (!_methods.TryGetValue(method, out var entry))
            {
                throw new ApiException(404, "Not Found");
            }

            method = entry.Name;
            var chatId = parameters.TryGetChatId();
            var (faultDelayMs, fault) = Faults.Evaluate(method, chatId);

            // Latency is a round trip, so it spares getUpdates, whose wait is the long poll itself.
            injectedDelayMs = faultDelayMs + (method == "getUpdates" ? 0 : NextLatencyMs());
            if (injectedDelayMs > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(injectedDelayMs), _time, http.RequestAborted);
            }

            if (fault is { Kind: FaultKind.DropConnection })
            {
                throw new ConnectionDropped();
            }

            if (fault is not null)
            {
                throw FaultError(fault);
            }

            if (IsSendOrEdit(method))
            {
                CheckBlockedAndRate(chatId);
            }

            var result = await entry.Handler(new CallContext(http, parameters, botId));
            status = 200;
            body = "{\"ok\":true,\"result\":" + result + "}";
        }
        catch (ApiException ex)
        {
            status = ex.ErrorCode;
            error = ex.Message;
            body = ErrorBody(ex);
        }
        catch (ConnectionDropped)
        {
            // Recorded with status 0: there is no answer at all.
            status = 0;
            error = "connection dropped by a scripted fault";
            body = string.Empty;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException && ex.Source == "System.Text.Json")
        {
            // A parameter of the wrong JSON type (e.g. a number where text belongs) is the caller's error.
            status = 400;
            error = "Bad Request: can't parse parameters: " + ex.Message;
            body = ErrorBody(new ApiException(400, error));
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested || _disposing.IsCancellationRequested)
        {
            // The client went away (or the emulator stops): record it, nobody reads the answer.
            status = 499;
            error = "request aborted";
            body = string.Empty;
        }
        catch (Exception ex)
        {
            // An emulator bug must reach the test as a failed call, not a dropped connection.
            status = 500;
            error = "Internal Server Error: " + ex.Message;
            body = ErrorBody(new ApiException(500, error));
        }

        // Record before answering, so a caller that saw the answer also sees the call.
        Record(new RecordedCall(
            method,
            parameters?.TryGetChatId(),
            started,
            _time.GetUtcNow(),
            parameters is null ? "{}" : RequestReader.Describe(parameters),
            status,
            error)
        {
            HasUpload = parameters?.Files.Count > 0,
            UploadBytes = parameters?.Files.Values.Sum(f => (long)f.Content.Length) ?? 0,
            InjectedDelayMs = injectedDelayMs,
        });
        if (status == 0)
        {
            http.Abort();
        }
        else if (status != 499)
        {
            await WriteAsync(http, status, body);
        }
    }

    /// <summary>The configured latency for one call: the base plus a seeded random jitter.</summary>
    private int NextLatencyMs()
    {
        var jitter = _options.LatencyJitterMs;
        if (jitter <= 0)
        {
            return _options.LatencyMs;
        }

        lock (_latencyGate)
        {
            // Not a security use: a seeded generator keeps a benchmark's latencies repeatable.
#pragma warning disable CA5394
            _latencyRandom ??= new Random(_options.LatencySeed);
            return _options.LatencyMs + _latencyRandom.Next(jitter + 1);
#pragma warning restore CA5394
        }
    }

    private static ApiException FaultError(Fault fault) => fault.Kind switch
    {
        FaultKind.TooManyRequests => fault.Description is null
            ? ApiException.TooManyRequests(fault.RetryAfterSeconds)
            : new ApiException(429, fault.Description, fault.RetryAfterSeconds),
        FaultKind.Forbidden => new ApiException(403, fault.Description ?? "Forbidden: bot was blocked by the user"),
        FaultKind.ChatNotFound => new ApiException(400, fault.Description ?? "Bad Request: chat not found"),
        _ => new ApiException(fault.StatusCode, fault.Description ?? (fault.StatusCode == 502 ? "Bad Gateway" : "Internal Server Error")),
    };

    private static string ErrorBody(ApiException ex)
    {
        var json = new JsonObject
        {
            ["ok"] = false,
            ["error_code"] = ex.ErrorCode,
            ["description"] = ex.Message,
        };
        if (ex.RetryAfter is int retryAfter)
        {
            json["parameters"] = new JsonObject { ["retry_after"] = retryAfter };
        }

        return json.ToJsonString();
    }

    private static async Task WriteAsync(HttpContext http, int status, string body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body, http.RequestAborted);
    }

    private void Record(RecordedCall call)
    {
        List<CallWaiter>? done = null;
        lock (_gate)
        {
            _calls.Add(call);
            foreach (var waiter in _callWaiters)
            {
                if (waiter.Match(call))
                {
                    (done ??= []).Add(waiter);
                }
            }
        }

        done?.ForEach(w => w.Done.TrySetResult(call));
    }

    private string DumpCalls()
    {
        var calls = Calls;
        var lines = calls.TakeLast(20).Select(c =>
            $"  {c.Method} chat={c.ChatId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} → {c.StatusCode}{(c.ErrorDescription is null ? string.Empty : " " + c.ErrorDescription)}");
        return $"Last calls ({calls.Count} in all):{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
    }

    private sealed record CallContext(HttpContext Http, RequestParams P, long BotId);

    /// <summary>A <see cref="FaultKind.DropConnection"/> fault hit the call: the connection is cut instead of answered.</summary>
    private sealed class ConnectionDropped : Exception;

    private sealed class CallWaiter(Func<RecordedCall, bool> match)
    {
        public Func<RecordedCall, bool> Match { get; } = match;

        public TaskCompletionSource<RecordedCall> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
