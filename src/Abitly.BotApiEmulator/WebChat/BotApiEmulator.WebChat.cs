using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Abitly.BotApiEmulator;

// The web chat page (sandbox UI): embedded static files and a small JSON API over the same chats the Bot API serves.
public sealed partial class BotApiEmulator
{
    private const int MaxPageBodyBytes = 64 * 1024;
    private const int DefaultPageWaitSeconds = 20;
    private const int MaxPageWaitSeconds = 25;

    // The page's own files only: no inline script or style, images from the page itself (uploads) or data: URLs.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Dictionary<string, (string Resource, string ContentType)> Assets = new(StringComparer.Ordinal)
    {
        ["/"] = ("WebChat/index.html", "text/html; charset=utf-8"),
        ["/chat.css"] = ("WebChat/chat.css", "text/css; charset=utf-8"),
        ["/chat.js"] = ("WebChat/chat.js", "text/javascript; charset=utf-8"),
    };

    // Every change to any chat (message stored, edited, deleted; callback answer) gets the next version, under _gate.
    private long _chatVersion;
    private TaskCompletionSource _chatSignal = NewSignal();

    // Changes when the chats start over (a new emulator or Reset), so an open page drops what it shows and reloads.
    private string _chatEpoch = Guid.NewGuid().ToString("N");

    [GeneratedRegex("^/api/chats/(?<user>[0-9]{1,18})/(?<op>updates|messages|press)$")]
    private static partial Regex ChatApiPath();

    [GeneratedRegex("^/api/actions/(?<id>[^/]+)$")]
    private static partial Regex ActionApiPath();

    [GeneratedRegex("^/api/photos/(?<chat>-?[0-9]{1,18})/(?<message>[0-9]{1,9})$")]
    private static partial Regex PhotoApiPath();

    /// <summary>Marks a chat change: returns its version and wakes the page long polls. Call under <see cref="_gate"/>.</summary>
    private long ChangedLocked()
    {
        var version = ++_chatVersion;
        var signal = _chatSignal;
        _chatSignal = NewSignal();

        // Continuations run asynchronously, so waking pollers here cannot re-enter the lock.
        signal.TrySetResult();
        return version;
    }

    /// <summary>Chats were cleared: open pages must reload rather than keep showing them. Call under <see cref="_gate"/>.</summary>
    private void ChatsClearedLocked()
    {
        _chatEpoch = Guid.NewGuid().ToString("N");
        ChangedLocked();
    }

    /// <summary>The handler of a web chat request, or null when the path and method are not the page's.</summary>
    private Func<Task>? RouteWebChat(HttpContext http, WebChatOptions web)
    {
        var path = http.Request.Path.Value ?? string.Empty;
        var get = HttpMethods.IsGet(http.Request.Method);
        var post = HttpMethods.IsPost(http.Request.Method);
        if (get && Assets.TryGetValue(path, out var asset))
        {
            return () => ServeAssetAsync(http, asset.Resource, asset.ContentType);
        }

        if (get && path == "/api/config")
        {
            return () => WritePageJsonAsync(http, 200, ConfigJson(web));
        }

        if (ChatApiPath().Match(path) is { Success: true } chat)
        {
            var userId = long.Parse(chat.Groups["user"].ValueSpan, CultureInfo.InvariantCulture);
            return (chat.Groups["op"].Value, get, post) switch
            {
                ("updates", true, _) => () => PollChatAsync(http, web, userId),
                ("messages", _, true) => () => PostMessageAsync(http, web, userId),
                ("press", _, true) => () => PressAsync(http, web, userId),
                _ => null,
            };
        }

        if (post && ActionApiPath().Match(path) is { Success: true } action)
        {
            return () => RunActionAsync(http, web, action.Groups["id"].Value);
        }

        if (get && PhotoApiPath().Match(path) is { Success: true } photo)
        {
            var chatId = long.Parse(photo.Groups["chat"].ValueSpan, CultureInfo.InvariantCulture);
            var messageId = int.Parse(photo.Groups["message"].ValueSpan, CultureInfo.InvariantCulture);
            return () => ServePhotoAsync(http, chatId, messageId);
        }

        return null;
    }

    private static async Task ServePageAsync(HttpContext http, Func<Task> handler)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        try
        {
            CheckCaller(http.Request);
            await handler();
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The tab went away: nobody reads the answer.
        }
        catch (PageError ex) when (!http.Response.HasStarted)
        {
            await WritePageJsonAsync(http, ex.Status, new JsonObject { ["error"] = ex.Message });
        }
        catch (Exception ex) when (!http.Response.HasStarted)
        {
            // A failing action (host code) or an emulator bug: the page shows the message instead of a dropped connection.
            await WritePageJsonAsync(http, 500, new JsonObject { ["error"] = ex.Message });
        }
    }

    /// <summary>
    /// Only the page itself may drive the chat: the Host must be a loopback name (so a DNS-rebound foreign name fails),
    /// and a request that changes something must not come from another origin.
    /// </summary>
    private static void CheckCaller(HttpRequest request)
    {
        if (request.Host.Host is not ("127.0.0.1" or "localhost" or "[::1]" or "::1"))
        {
            throw new PageError(403, "Пісочниця доступна лише за адресою 127.0.0.1 або localhost.");
        }

        var origin = request.Headers.Origin.ToString();
        if (!HttpMethods.IsGet(request.Method) && origin.Length > 0
            && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
        {
            throw new PageError(403, "Запит з іншого сайту відхилено.");
        }
    }

    private static async Task ServeAssetAsync(HttpContext http, string resource, string contentType)
    {
        await using var stream = typeof(BotApiEmulator).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource {resource} is missing.");
        http.Response.ContentType = contentType;
        http.Response.ContentLength = stream.Length;
        await stream.CopyToAsync(http.Response.Body, http.RequestAborted);
    }

    private JsonObject ConfigJson(WebChatOptions web) => new()
    {
        ["title"] = web.Title,
        ["botUsername"] = _options.BotUsername,
        ["personas"] = new JsonArray([.. web.Personas.Select(p => new JsonObject
        {
            ["userId"] = p.UserId,
            ["firstName"] = p.FirstName,
            ["label"] = p.Label,
            ["username"] = p.Username,
        })]),
        ["examples"] = new JsonArray([.. web.Examples.Select(e => new JsonObject { ["label"] = e.Label, ["text"] = e.Text })]),
        ["actions"] = new JsonArray([.. web.Actions.Select(a => new JsonObject { ["id"] = a.Id, ["label"] = a.Label })]),
    };

    /// <summary>Long poll: what changed in the persona's chat after version <c>after</c>, waiting up to <c>timeout</c> seconds for a change.</summary>
    private async Task PollChatAsync(HttpContext http, WebChatOptions web, long userId)
    {
        RequirePersona(web, userId);
        var after = QueryNumber(http.Request, "after") ?? 0;
        var wait = TimeSpan.FromSeconds(Math.Clamp(QueryNumber(http.Request, "timeout") ?? DefaultPageWaitSeconds, 0, MaxPageWaitSeconds));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _disposing.Token);

        // One timer for the whole poll: wake-ups for other chats do not extend it.
        var timeout = Task.Delay(wait, _time, stop.Token);
        string? firstEpoch = null;
        try
        {
            while (true)
            {
                long version;
                string epoch;
                List<EmulatedMessage> messages = [];
                List<CallbackAnswer> notices = [];
                Task signal;
                lock (_gate)
                {
                    // A page that saw a later version talks to a new emulator (or a reset one): it gets everything again.
                    if (after > _chatVersion)
                    {
                        after = 0;
                    }

                    version = _chatVersion;
                    epoch = _chatEpoch;
                    firstEpoch ??= epoch;
                    if (_chats.TryGetValue(userId, out var chat))
                    {
                        messages.AddRange(chat.Messages.Where((_, i) => chat.Versions[i] > after));
                        notices.AddRange(chat.Notices.Where(n => n.Version > after).Select(n => n.Answer));
                    }

                    signal = _chatSignal.Task;
                }

                // A Reset during the wait answers at once too: the page must start over.
                if (messages.Count > 0 || notices.Count > 0 || timeout.IsCompleted || epoch != firstEpoch)
                {
                    http.RequestAborted.ThrowIfCancellationRequested();
                    await WritePageJsonAsync(http, 200, new JsonObject
                    {
                        ["version"] = version,
                        ["epoch"] = epoch,
                        ["messages"] = new JsonArray([.. messages.Select(PageMessageJson)]),
                        ["notices"] = new JsonArray([.. notices.Select(n => new JsonObject { ["text"] = n.Text, ["showAlert"] = n.ShowAlert })]),
                    });
                    return;
                }

                await Task.WhenAny(signal, timeout);
            }
        }
        finally
        {
            // Ends the timer of a poll that a change answered early.
            await stop.CancelAsync();
        }
    }

    private async Task PostMessageAsync(HttpContext http, WebChatOptions web, long userId)
    {
        var persona = RequirePersona(web, userId);
        var body = await ReadPageBodyAsync(http.Request);
        var text = BodyString(body, "text")?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            throw new PageError(400, "Порожнє повідомлення.");
        }

        if (text.Length > MaxTextLength)
        {
            throw new PageError(400, $"Повідомлення довше за {MaxTextLength} символів.");
        }

        var message = SendText(userId, text, firstName: persona.FirstName, username: persona.Username);
        await WritePageJsonAsync(http, 200, PageMessageJson(message));
    }

    private async Task PressAsync(HttpContext http, WebChatOptions web, long userId)
    {
        RequirePersona(web, userId);
        var body = await ReadPageBodyAsync(http.Request);
        var messageId = BodyNumber(body, "messageId");
        var data = BodyString(body, "callbackData");
        bool current;
        lock (_gate)
        {
            current = messageId is >= 1 and <= int.MaxValue && data is not null
                && _chats.GetValueOrDefault(userId)?.Find((int)messageId) is { Deleted: false, FromBot: true } message
                && message.CallbackData.Contains(data, StringComparer.Ordinal);
        }

        // The page shows keyboards it was sent; anything else is a stale page (or a hand-made request).
        const string Stale = "Ця кнопка вже неактуальна.";
        if (!current || messageId is not long id || data is null)
        {
            throw new PageError(400, Stale);
        }

        string queryId;
        try
        {
            queryId = PressButton(userId, userId, (int)id, data);
        }
        catch (InvalidOperationException)
        {
            throw new PageError(400, Stale);   // deleted in between
        }

        await WritePageJsonAsync(http, 200, new JsonObject { ["callbackQueryId"] = queryId });
    }

    private async Task RunActionAsync(HttpContext http, WebChatOptions web, string id)
    {
        var action = web.Actions.FirstOrDefault(a => a.Id == id) ?? throw new PageError(404, "Немає такої дії.");
        var body = await ReadPageBodyAsync(http.Request);
        var userId = BodyNumber(body, "userId") ?? throw new PageError(400, "Не вказано userId.");
        RequirePersona(web, userId);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _disposing.Token);

        // An exception here becomes 500 {error} in ServePageAsync.
        var result = await action.RunAsync(new WebChatActionContext(userId), stop.Token);
        await WritePageJsonAsync(http, 200, new JsonObject { ["notice"] = result.Notice, ["link"] = result.Link });
    }

    private async Task ServePhotoAsync(HttpContext http, long chatId, int messageId)
    {
        byte[]? bytes;
        lock (_gate)
        {
            bytes = _chats.GetValueOrDefault(chatId)?.Find(messageId) is { Deleted: false, PhotoBytes: { } photo } ? photo : null;
        }

        if (bytes is null)
        {
            throw new PageError(404, "Немає такого фото.");
        }

        http.Response.ContentType = SniffImageType(bytes);
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    private static string SniffImageType(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8) ? "image/gif"
        : bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8) ? "image/webp"
        : "application/octet-stream";

    /// <summary>A message as the page shows it; a deleted one carries only its id and the flag.</summary>
    private static JsonObject PageMessageJson(EmulatedMessage m)
    {
        var shown = !m.Deleted;
        return new JsonObject
        {
            ["messageId"] = m.MessageId,
            ["fromBot"] = m.FromBot,
            ["date"] = m.Date.ToString("O", CultureInfo.InvariantCulture),
            ["html"] = !shown ? string.Empty : m.FromBot ? ChatHtml.ForMessage(m.Text, m.ParseMode) : ChatHtml.FromPlainText(m.Text ?? string.Empty),
            ["hasPhoto"] = shown && m.HasPhoto,
            ["photoUrl"] = shown ? PhotoUrl(m) : null,
            ["buttons"] = new JsonArray([.. (shown ? m.ReplyMarkup ?? [] : []).Select(row => new JsonArray([.. row.Select(b => new JsonObject
            {
                ["text"] = b.Text,
                ["callbackData"] = b.CallbackData,
                ["url"] = ChatHtml.SafeHref(b.Url),
            })]))]),
            ["edited"] = m.EditCount > 0,
            ["deleted"] = m.Deleted,
        };
    }

    /// <summary>Uploaded photos (also re-sent by file id) are served by the emulator; one first sent by URL is shown from that http(s) URL.</summary>
    private static string? PhotoUrl(EmulatedMessage m) =>
        m.PhotoBytes is not null ? FormattableString.Invariant($"/api/photos/{m.ChatId}/{m.MessageId}")
        : IsHttpUrl(m.PhotoSourceUrl ?? m.PhotoRef) ? m.PhotoSourceUrl ?? m.PhotoRef
        : null;

    private static WebChatPersona RequirePersona(WebChatOptions web, long userId) =>
        web.Personas.FirstOrDefault(p => p.UserId == userId) ?? throw new PageError(404, "Немає такої персони.");

    private static long? QueryNumber(HttpRequest request, string name)
    {
        var value = request.Query[name].ToString();
        if (value.Length == 0)
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new PageError(400, $"Параметр {name} має бути невід'ємним числом.");
    }

    private static async Task<JsonObject> ReadPageBodyAsync(HttpRequest request)
    {
        const string TooLarge = "Запит завеликий.";
        if (request.ContentLength > MaxPageBodyBytes)
        {
            throw new PageError(413, TooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxPageBodyBytes)
            {
                throw new PageError(413, TooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        try
        {
            return JsonNode.Parse(buffer) as JsonObject ?? throw new PageError(400, "Тіло запиту має бути об'єктом JSON.");
        }
        catch (JsonException)
        {
            throw new PageError(400, "Не вдалося прочитати JSON.");
        }
    }

    private static string? BodyString(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static long? BodyNumber(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;

    private static async Task WritePageJsonAsync(HttpContext http, int status, JsonNode body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }

    /// <summary>An error answer of the page API: status and a message the page can show.</summary>
    private sealed class PageError(int status, string message) : Exception(message)
    {
        public int Status { get; } = status;
    }
}
