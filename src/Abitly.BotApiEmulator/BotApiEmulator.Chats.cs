using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Abitly.BotApiEmulator;

// Chats and messages: the user side (a test or a person) and the bot side (send/edit/delete methods).
public sealed partial class BotApiEmulator
{
    private const int MaxTextLength = 4096;
    private const int MaxCaptionLength = 1024;
    private const int MaxCallbackDataBytes = 64;
    private const string NotModified =
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

    private readonly Dictionary<long, ChatState> _chats = [];
    private readonly Dictionary<long, (string FirstName, string? Username)> _users = [];
    private readonly List<CallbackAnswer> _answers = [];
    private readonly Dictionary<string, long> _openCallbackQueries = new(StringComparer.Ordinal); // query id → chat id
    private readonly HashSet<long> _blocked = [];
    private readonly Queue<DateTimeOffset> _globalWindow = new();
    private readonly Dictionary<long, Queue<DateTimeOffset>> _chatWindows = [];
    private readonly List<MessageWaiter> _messageWaiters = [];
    private long _nextCallbackQueryId = 1;

    /// <summary>Raised after the bot sent, edited or deleted a message (outside the emulator's locks), e.g. to refresh a web chat.</summary>
    public event Action<EmulatedMessage>? BotMessageChanged;

    /// <summary>Every <c>answerCallbackQuery</c> the bot made (a snapshot).</summary>
    public IReadOnlyList<CallbackAnswer> CallbackAnswers
    {
        get
        {
            lock (_gate)
            {
                return [.. _answers];
            }
        }
    }

    /// <summary>A user writes <paramref name="text"/>: stores the message and enqueues a <c>message</c> update.</summary>
    /// <returns>The message as stored.</returns>
    public EmulatedMessage SendText(
        long userId,
        string text,
        long? chatId = null,
        string chatType = "private",
        string? firstName = null,
        string? username = null,
        int? replyToMessageId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        lock (_gate)
        {
            var user = TouchUser(userId, firstName, username);
            var chat = GetOrAddChat(chatId ?? userId, chatType, user);
            if (replyToMessageId is int replyTo && chat.Find(replyTo) is null)
            {
                throw new InvalidOperationException($"Message {replyTo} does not exist in chat {chat.Id}.");
            }

            var message = new EmulatedMessage
            {
                ChatId = chat.Id,
                MessageId = chat.NextMessageId(),
                FromBot = false,
                FromUserId = userId,
                Date = _time.GetUtcNow(),
                Text = text,
                PlainText = text,
                ReplyToMessageId = replyToMessageId,
            };
            chat.Add(message, ChangedLocked());
            var json = MessageJson(message, chat, includeReply: true);
            EnqueueLocked(id => new JsonObject { ["update_id"] = id, ["message"] = json });
            return message;
        }
    }

    /// <summary>A user presses an inline button: enqueues a <c>callback_query</c> update.</summary>
    /// <returns>The callback query id the bot must answer.</returns>
    public string PressButton(long userId, long chatId, int messageId, string callbackData)
    {
        ArgumentNullException.ThrowIfNull(callbackData);
        lock (_gate)
        {
            var chat = _chats.GetValueOrDefault(chatId);
            var message = chat?.Find(messageId);
            if (chat is null || message is null || message.Deleted)
            {
                throw new InvalidOperationException($"Message {messageId} does not exist in chat {chatId}.");
            }

            var user = TouchUser(userId, null, null);
            var queryId = (_nextCallbackQueryId++).ToString(CultureInfo.InvariantCulture);
            _openCallbackQueries[queryId] = chatId;
            var query = new JsonObject
            {
                ["id"] = queryId,
                ["from"] = UserJson(userId, isBot: false, user.FirstName, user.Username),
                ["message"] = MessageJson(message, chat, includeReply: false),
                ["chat_instance"] = chatId.ToString(CultureInfo.InvariantCulture),
                ["data"] = callbackData,
            };
            EnqueueLocked(id => new JsonObject { ["update_id"] = id, ["callback_query"] = query });
            return queryId;
        }
    }

    /// <summary>Current state of every message in a chat, both directions, oldest first (a snapshot).</summary>
    public IReadOnlyList<EmulatedMessage> MessagesIn(long chatId)
    {
        lock (_gate)
        {
            return _chats.TryGetValue(chatId, out var chat) ? [.. chat.Messages] : [];
        }
    }

    /// <summary>
    /// The first non-deleted bot message in the chat matching <paramref name="match"/>, already there or still to come
    /// (an edit that makes a message match counts). Throws <see cref="TimeoutException"/> with the chat's messages after
    /// <paramref name="timeout"/> (default 5 s).
    /// </summary>
    public async Task<EmulatedMessage> WaitForBotMessageAsync(
        long chatId,
        Func<EmulatedMessage, bool>? match = null,
        TimeSpan? timeout = null,
        CancellationToken ct = default)
    {
        var predicate = match ?? (_ => true);
        var wait = timeout ?? TimeSpan.FromSeconds(5);
        MessageWaiter waiter;
        lock (_gate)
        {
            var existing = _chats.GetValueOrDefault(chatId)?.Messages.Find(m => m.FromBot && !m.Deleted && predicate(m));
            if (existing is not null)
            {
                return existing;
            }

            waiter = new MessageWaiter(chatId, predicate);
            _messageWaiters.Add(waiter);
        }

        try
        {
            return await waiter.Done.Task.WaitAsync(wait, ct);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"No matching bot message in chat {chatId} within {wait.TotalSeconds:0.#} s.{Environment.NewLine}{DumpChat(chatId)}{Environment.NewLine}{DumpCalls()}");
        }
        finally
        {
            lock (_gate)
            {
                _messageWaiters.Remove(waiter);
            }
        }
    }

    /// <summary>Every send or edit to <paramref name="chatId"/> answers 403 "bot was blocked by the user" until <see cref="Unblock"/>.</summary>
    public void MarkBlocked(long chatId)
    {
        lock (_gate)
        {
            _blocked.Add(chatId);
        }
    }

    /// <summary>Undoes <see cref="MarkBlocked"/>.</summary>
    public void Unblock(long chatId)
    {
        lock (_gate)
        {
            _blocked.Remove(chatId);
        }
    }

    private static bool IsSendOrEdit(string method) =>
        method is "sendMessage" or "sendPhoto" or "editMessageText" or "editMessageReplyMarkup";

    private void CheckBlockedAndRate(long? chatId)
    {
        lock (_gate)
        {
            if (chatId is long blocked && _blocked.Contains(blocked))
            {
                throw new ApiException(403, "Forbidden: bot was blocked by the user");
            }

            var now = _time.GetUtcNow();
            var global = _options.GlobalRateLimitPerSecond;
            if (global is int limit && Prune(_globalWindow, now).Count >= limit)
            {
                throw ApiException.TooManyRequests(1);
            }

            Queue<DateTimeOffset>? chatWindow = null;
            if (_options.PerChatRateLimitPerSecond is int perChat && chatId is long id)
            {
                if (!_chatWindows.TryGetValue(id, out chatWindow))
                {
                    chatWindow = new Queue<DateTimeOffset>();
                    _chatWindows[id] = chatWindow;
                }

                if (Prune(chatWindow, now).Count >= perChat)
                {
                    throw ApiException.TooManyRequests(1);
                }
            }

            // Only accepted calls count, so a client that backs off gets through again after a second.
            if (global is not null)
            {
                _globalWindow.Enqueue(now);
            }

            chatWindow?.Enqueue(now);
        }
    }

    private static Queue<DateTimeOffset> Prune(Queue<DateTimeOffset> window, DateTimeOffset now)
    {
        while (window.Count > 0 && now - window.Peek() >= TimeSpan.FromSeconds(1))
        {
            window.Dequeue();
        }

        return window;
    }

    private string SendMessage(CallContext c)
    {
        var chatId = c.P.RequireChatId();
        var text = c.P.GetString("text") ?? string.Empty;
        var parseMode = c.P.GetString("parse_mode");
        var plain = ValidateText(text, parseMode, MaxTextLength, "message text is empty", "message is too long");
        var markup = ParseMarkup(c.P.GetNode("reply_markup"));
        var noPreview = c.P.GetNode("link_preview_options")?["is_disabled"]?.GetValue<bool>() ?? c.P.GetBool("disable_web_page_preview");
        return AddBotMessage(c, chatId, m => m with
        {
            Text = text,
            PlainText = plain,
            ParseMode = parseMode,
            ReplyMarkup = markup,
            LinkPreviewDisabled = noPreview,
        });
    }

    private string SendPhoto(CallContext c)
    {
        var chatId = c.P.RequireChatId();
        byte[]? upload = null;
        string? url = null;
        StoredPhoto? existing = null;
        var photo = c.P.GetString("photo");
        if (photo is not null && photo.StartsWith("attach://", StringComparison.Ordinal))
        {
            upload = c.P.Files.GetValueOrDefault(photo["attach://".Length..])?.Content
                ?? throw ApiException.BadRequest(WrongFileIdentifier);
        }
        else if (IsHttpUrl(photo))
        {
            url = photo;
        }
        else if (!string.IsNullOrEmpty(photo))
        {
            // Anything else is a file id, and only one this emulator handed out is known.
            existing = FindPhoto(photo) ?? throw ApiException.BadRequest(WrongFileIdentifier);
        }
        else
        {
            upload = c.P.Files.GetValueOrDefault("photo")?.Content
                ?? throw ApiException.BadRequest("there is no photo in the request");
        }

        var caption = c.P.GetString("caption");
        var parseMode = c.P.GetString("parse_mode");
        string? plain = null;
        if (!string.IsNullOrEmpty(caption))
        {
            plain = ValidateText(caption, parseMode, MaxCaptionLength, "message caption is empty", "message caption is too long");
        }

        var markup = ParseMarkup(c.P.GetNode("reply_markup"));
        return AddBotMessage(c, chatId, m =>
        {
            var stored = existing ?? StorePhotoLocked(upload, url);
            return m with
            {
                Text = caption,
                PlainText = plain,
                ParseMode = parseMode,
                ReplyMarkup = markup,
                PhotoRef = existing is not null ? photo : url,
                PhotoBytes = stored.Bytes,
                PhotoSourceUrl = stored.SourceUrl,
                FileId = stored.Full.FileId,
                FileUniqueId = stored.Full.FileUniqueId,
            };
        });
    }

    private string AddBotMessage(CallContext c, long chatId, Func<EmulatedMessage, EmulatedMessage> fill)
    {
        EmulatedMessage message;
        string json;
        lock (_gate)
        {
            // Chats never seen from a user still accept sends: bulk benchmarks target synthetic chats.
            var chat = GetOrAddChat(chatId, null, null);
            var replyTo = ReplyTarget(c.P, chat);
            message = fill(new EmulatedMessage
            {
                ChatId = chatId,
                MessageId = chat.NextMessageId(),
                FromBot = true,
                FromUserId = c.BotId,
                Date = _time.GetUtcNow(),
                ReplyToMessageId = replyTo,
            });
            chat.Add(message, ChangedLocked());
            json = MessageJson(message, chat, includeReply: true).ToJsonString();
            NotifyLocked(message);
        }

        BotMessageChanged?.Invoke(message);
        return json;
    }

    private static int? ReplyTarget(RequestParams p, ChatState chat)
    {
        var parameters = p.GetNode("reply_parameters") as JsonObject;
        var id = parameters?["message_id"]?.GetValue<int>() ?? (int?)p.GetLong("reply_to_message_id");
        if (id is not int replyTo)
        {
            return null;
        }

        var allowWithout = parameters?["allow_sending_without_reply"]?.GetValue<bool>() ?? p.GetBool("allow_sending_without_reply");
        var target = chat.Find(replyTo);
        if (target is null || target.Deleted)
        {
            return allowWithout ? null : throw ApiException.BadRequest("message to be replied not found");
        }

        return replyTo;
    }

    private string EditMessageText(CallContext c)
    {
        var text = c.P.GetString("text") ?? string.Empty;
        var parseMode = c.P.GetString("parse_mode");
        var plain = ValidateText(text, parseMode, MaxTextLength, "message text is empty", "message is too long");
        var markup = ParseMarkup(c.P.GetNode("reply_markup"));
        return Edit(c, old =>
        {
            if (old.HasPhoto)
            {
                throw ApiException.BadRequest("there is no text in the message to edit");
            }

            if (old.Text == text && old.ParseMode == parseMode && SameMarkup(old.ReplyMarkup, markup))
            {
                throw ApiException.BadRequest(NotModified);
            }

            // Like Telegram, an edit without reply_markup removes the keyboard.
            return old with { Text = text, PlainText = plain, ParseMode = parseMode, ReplyMarkup = markup };
        });
    }

    private string EditMessageReplyMarkup(CallContext c)
    {
        var markup = ParseMarkup(c.P.GetNode("reply_markup"));
        return Edit(c, old => SameMarkup(old.ReplyMarkup, markup)
            ? throw ApiException.BadRequest(NotModified)
            : old with { ReplyMarkup = markup });
    }

    private string Edit(CallContext c, Func<EmulatedMessage, EmulatedMessage> apply)
    {
        if (c.P.GetString("inline_message_id") is not null)
        {
            throw ApiException.BadRequest("inline messages are not emulated");
        }

        var chatId = c.P.RequireChatId();
        var messageId = c.P.RequireMessageId();
        EmulatedMessage edited;
        string json;
        lock (_gate)
        {
            var chat = _chats.GetValueOrDefault(chatId);
            var old = chat?.Find(messageId);
            if (chat is null || old is null || old.Deleted)
            {
                throw ApiException.BadRequest("message to edit not found");
            }

            if (!old.FromBot)
            {
                throw ApiException.BadRequest("message can't be edited");
            }

            edited = apply(old) with { EditCount = old.EditCount + 1 };
            chat.Replace(edited, ChangedLocked());
            json = MessageJson(edited, chat, includeReply: true, editDate: _time.GetUtcNow()).ToJsonString();
            NotifyLocked(edited);
        }

        BotMessageChanged?.Invoke(edited);
        return json;
    }

    private string DeleteMessage(CallContext c)
    {
        var chatId = c.P.RequireChatId();
        var messageId = c.P.RequireMessageId();
        EmulatedMessage deleted;
        lock (_gate)
        {
            var chat = _chats.GetValueOrDefault(chatId);
            var old = chat?.Find(messageId);
            if (chat is null || old is null || old.Deleted)
            {
                throw ApiException.BadRequest("message to delete not found");
            }

            deleted = old with { Deleted = true };
            chat.Replace(deleted, ChangedLocked());
        }

        BotMessageChanged?.Invoke(deleted);
        return "true";
    }

    private string AnswerCallbackQuery(CallContext c)
    {
        var id = c.P.GetString("callback_query_id") ?? throw ApiException.BadRequest("callback_query_id is empty");
        lock (_gate)
        {
            // Telegram accepts one answer per query; a second one (or an unknown id) gets this error.
            if (!_openCallbackQueries.Remove(id, out var chatId))
            {
                throw ApiException.BadRequest("query is too old and response timeout expired or query ID is invalid");
            }

            var answer = new CallbackAnswer(id, c.P.GetString("text"), c.P.GetBool("show_alert"), c.P.GetString("url"), _time.GetUtcNow());
            _answers.Add(answer);

            // The web chat shows the answer's text in the chat whose button was pressed.
            if (!string.IsNullOrEmpty(answer.Text) && _chats.TryGetValue(chatId, out var chat))
            {
                chat.Notices.Add((ChangedLocked(), answer));
            }
        }

        return "true";
    }

    private static string ValidateText(string text, string? parseMode, int maxLength, string emptyError, string tooLongError)
    {
        var plain = HtmlText.ToPlainText(text, parseMode);
        if (string.IsNullOrWhiteSpace(plain))
        {
            throw ApiException.BadRequest(emptyError);
        }

        if (plain.Length > maxLength)
        {
            throw ApiException.BadRequest(tooLongError);
        }

        return plain;
    }

    /// <summary>Inline keyboards are modelled; reply keyboards and the like are accepted and not stored.</summary>
    private static List<IReadOnlyList<InlineButton>>? ParseMarkup(JsonNode? node)
    {
        if (node?["inline_keyboard"] is not JsonArray rows)
        {
            return null;
        }

        var result = new List<IReadOnlyList<InlineButton>>(rows.Count);
        foreach (var row in rows)
        {
            var buttons = new List<InlineButton>();
            foreach (var button in row as JsonArray ?? throw ApiException.BadRequest("can't parse inline keyboard button: row must be an array"))
            {
                var text = button?["text"]?.GetValue<string>() ?? throw ApiException.BadRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
                var data = button["callback_data"]?.GetValue<string>();
                if (data is not null && Encoding.UTF8.GetByteCount(data) is 0 or > MaxCallbackDataBytes)
                {
                    throw ApiException.BadRequest("BUTTON_DATA_INVALID");
                }

                buttons.Add(new InlineButton(text, data, button["url"]?.GetValue<string>()));
            }

            result.Add(buttons);
        }

        return result;
    }

    private static bool SameMarkup(IReadOnlyList<IReadOnlyList<InlineButton>>? a, List<IReadOnlyList<InlineButton>>? b) =>
        (a is null || a.Count == 0) ? (b is null || b.Count == 0)
        : b is not null && a.Count == b.Count && a.Zip(b).All(rows => rows.First.SequenceEqual(rows.Second));

    private (string FirstName, string? Username) TouchUser(long userId, string? firstName, string? username)
    {
        var known = _users.GetValueOrDefault(userId, ($"User{userId}", null));
        var user = (firstName ?? known.FirstName, username ?? known.Username);
        _users[userId] = user;
        return user;
    }

    private ChatState GetOrAddChat(long chatId, string? type, (string FirstName, string? Username)? user)
    {
        if (!_chats.TryGetValue(chatId, out var chat))
        {
            chat = new ChatState(chatId, type ?? (chatId > 0 ? "private" : chatId <= -1_000_000_000_000 ? "supergroup" : "group"));
            _chats[chatId] = chat;
        }
        else if (type is not null)
        {
            chat.Type = type;
        }

        if (user is var (firstName, username) && chat.Type == "private")
        {
            chat.FirstName = firstName;
            chat.Username = username;
        }

        return chat;
    }

    private void NotifyLocked(EmulatedMessage message)
    {
        for (var i = _messageWaiters.Count - 1; i >= 0; i--)
        {
            var waiter = _messageWaiters[i];
            if (waiter.ChatId == message.ChatId && !message.Deleted && waiter.Match(message))
            {
                waiter.Done.TrySetResult(message);
                _messageWaiters.RemoveAt(i);
            }
        }
    }

    private string DumpChat(long chatId)
    {
        var messages = MessagesIn(chatId);
        var lines = messages.TakeLast(20).Select(m =>
        {
            var who = m.FromBot ? "bot " : "user";
            var buttons = m.ReplyMarkup is null ? string.Empty
                : " [" + string.Join(" | ", m.ReplyMarkup.SelectMany(r => r).Select(b => $"{b.Text}→{b.CallbackData ?? b.Url}")) + "]";
            var flags = (m.EditCount > 0 ? $" (edited {m.EditCount}x)" : string.Empty) + (m.Deleted ? " (deleted)" : string.Empty);
            return $"  #{m.MessageId} {who}: {(m.HasPhoto ? "[photo] " : string.Empty)}{m.Text}{buttons}{flags}";
        });
        return $"Messages in chat {chatId} ({messages.Count}):{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
    }

    private static JsonObject UserJson(long id, bool isBot, string firstName, string? username)
    {
        var json = new JsonObject { ["id"] = id, ["is_bot"] = isBot, ["first_name"] = firstName };
        if (username is not null)
        {
            json["username"] = username;
        }

        if (!isBot)
        {
            json["language_code"] = "uk";
        }

        return json;
    }

    private JsonObject MessageJson(EmulatedMessage m, ChatState chat, bool includeReply, DateTimeOffset? editDate = null)
    {
        var user = m.FromBot ? (_options.BotUsername, _options.BotUsername) : _users.GetValueOrDefault(m.FromUserId, ($"User{m.FromUserId}", null));
        var chatJson = new JsonObject { ["id"] = chat.Id, ["type"] = chat.Type };
        if (chat.Type == "private")
        {
            chatJson["first_name"] = chat.FirstName ?? $"User{chat.Id}";
            if (chat.Username is not null)
            {
                chatJson["username"] = chat.Username;
            }
        }
        else
        {
            chatJson["title"] = chat.Title ?? $"Chat {chat.Id}";
        }

        var json = new JsonObject
        {
            ["message_id"] = m.MessageId,
            ["from"] = UserJson(m.FromUserId, m.FromBot, user.Item1, user.Item2),
            ["chat"] = chatJson,
            ["date"] = m.Date.ToUnixTimeSeconds(),
        };
        if (editDate is DateTimeOffset edited)
        {
            json["edit_date"] = edited.ToUnixTimeSeconds();
        }

        if (includeReply && m.ReplyToMessageId is int replyId && chat.Find(replyId) is { } replied)
        {
            json["reply_to_message"] = MessageJson(replied, chat, includeReply: false);
        }

        // Telegram returns the parsed text (tags stripped); entities are not emulated except bot commands.
        var text = m.PlainText ?? m.Text;
        if (m.HasPhoto)
        {
            json["photo"] = PhotoSizesJson(m.FileId is { } fileId ? _photos.GetValueOrDefault(fileId) : null);
            if (text is not null)
            {
                json["caption"] = text;
            }
        }
        else if (text is not null)
        {
            json["text"] = text;
            if (!m.FromBot && text.StartsWith('/'))
            {
                var length = text.IndexOfAny([' ', '\n']) is var end and >= 0 ? end : text.Length;
                json["entities"] = new JsonArray(new JsonObject { ["offset"] = 0, ["length"] = length, ["type"] = "bot_command" });
            }
        }

        if (m.ReplyMarkup is { Count: > 0 } markup)
        {
            var rows = new JsonArray();
            foreach (var row in markup)
            {
                var buttons = new JsonArray();
                foreach (var b in row)
                {
                    var button = new JsonObject { ["text"] = b.Text };
                    if (b.CallbackData is not null)
                    {
                        button["callback_data"] = b.CallbackData;
                    }

                    if (b.Url is not null)
                    {
                        button["url"] = b.Url;
                    }

                    buttons.Add(button);
                }

                rows.Add(buttons);
            }

            json["reply_markup"] = new JsonObject { ["inline_keyboard"] = rows };
        }

        return json;
    }

    /// <summary>One chat; message ids are 1, 2, 3… so the list index is the id minus one.</summary>
    private sealed class ChatState(long id, string type)
    {
        public long Id { get; } = id;

        public string Type { get; set; } = type;

        public string? Title { get; set; }

        public string? FirstName { get; set; }

        public string? Username { get; set; }

        public List<EmulatedMessage> Messages { get; } = [];

        /// <summary>Change version of each message (same index as <see cref="Messages"/>), for the web chat's long poll.</summary>
        public List<long> Versions { get; } = [];

        /// <summary>Callback answers with text for buttons pressed in this chat, with their change versions.</summary>
        public List<(long Version, CallbackAnswer Answer)> Notices { get; } = [];

        public int NextMessageId() => Messages.Count + 1;

        public EmulatedMessage? Find(int messageId) =>
            messageId >= 1 && messageId <= Messages.Count ? Messages[messageId - 1] : null;

        public void Add(EmulatedMessage message, long version)
        {
            Messages.Add(message);
            Versions.Add(version);
        }

        public void Replace(EmulatedMessage message, long version)
        {
            Messages[message.MessageId - 1] = message;
            Versions[message.MessageId - 1] = version;
        }
    }

    private sealed class MessageWaiter(long chatId, Func<EmulatedMessage, bool> match)
    {
        public long ChatId { get; } = chatId;

        public Func<EmulatedMessage, bool> Match { get; } = match;

        public TaskCompletionSource<EmulatedMessage> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
