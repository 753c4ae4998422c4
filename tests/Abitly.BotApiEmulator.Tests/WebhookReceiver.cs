using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Abitly.BotApiEmulator.Tests;

/// <summary>One POST the receiver got.</summary>
/// <param name="UpdateId">The body's <c>update_id</c>.</param>
/// <param name="Body">The body as JSON.</param>
/// <param name="SecretToken">The <c>X-Telegram-Bot-Api-Secret-Token</c> header, or null when absent.</param>
/// <param name="ContentType">The Content-Type header.</param>
/// <param name="Path">The request path.</param>
internal sealed record ReceivedUpdate(long UpdateId, JsonObject Body, string? SecretToken, string? ContentType, string Path)
{
    /// <summary>The text of a message update, or the data of a callback query.</summary>
    public string? Text => Body["message"]?["text"]?.GetValue<string>() ?? Body["callback_query"]?["data"]?.GetValue<string>();
}

/// <summary>
/// A webhook endpoint on loopback (Kestrel), standing in for the bot: it logs every POST and answers what the test's
/// responder says (200 by default). A responder can hold a request until the test lets it go.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<ReceivedUpdate, CancellationToken, Task<int>> _respond;
    private readonly Lock _gate = new();
    private readonly List<ReceivedUpdate> _received = [];
    private readonly List<string> _events = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _current;
    private int _maxConcurrent;

    private WebhookReceiver(WebApplication app, Func<ReceivedUpdate, CancellationToken, Task<int>> respond)
    {
        _app = app;
        _respond = respond;
    }

    public int Port { get; private set; }

    public string Url => $"http://127.0.0.1:{Port}/telegram/webhook";

    /// <summary>Every request, in arrival order (a snapshot).</summary>
    public IReadOnlyList<ReceivedUpdate> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>"arrive &lt;text&gt;" and "answer &lt;text&gt;" in the order they happened (a snapshot).</summary>
    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The most requests the receiver was handling at one time.</summary>
    public int MaxConcurrent
    {
        get
        {
            lock (_gate)
            {
                return _maxConcurrent;
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync(Func<ReceivedUpdate, CancellationToken, Task<int>>? respond = null, int port = 0)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, respond ?? ((_, _) => Task.FromResult(200)));
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Port = new Uri(address).Port;
        return receiver;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the requests received so far.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<ReceivedUpdate>, bool> condition, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(_received))
                {
                    return;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The receiver's condition did not hold; it got: {string.Join(", ", Events)}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted))!.AsObject();
        var update = new ReceivedUpdate(
            body["update_id"]!.GetValue<long>(),
            body,
            http.Request.Headers.TryGetValue("X-Telegram-Bot-Api-Secret-Token", out var secret) ? secret.ToString() : null,
            http.Request.ContentType,
            http.Request.Path.Value ?? string.Empty);
        lock (_gate)
        {
            _received.Add(update);
            _events.Add("arrive " + update.Text);
            _current++;
            _maxConcurrent = Math.Max(_maxConcurrent, _current);
            Changed();
        }

        try
        {
            http.Response.StatusCode = await _respond(update, http.RequestAborted);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The emulator gave up on this request (its timeout): nobody reads the answer.
        }
        finally
        {
            lock (_gate)
            {
                _current--;
                _events.Add("answer " + update.Text);
                Changed();
            }
        }
    }

    private void Changed()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}
