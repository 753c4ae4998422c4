using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;
using static Abitly.BotApiEmulator.Tests.TestSupport;

namespace Abitly.BotApiEmulator.Tests;

/// <summary>The web chat page's JSON API and files, over real HTTP, with a real Telegram.Bot client as the bot.</summary>
public sealed partial class WebChatTests
{
    private const long Applicant = 101;
    private const long Admin = 202;

    /// <summary>A 2×1 PNG (one red, one blue pixel).</summary>
    private static readonly byte[] TinyPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4zwAE/wEHAAH/4iOeWQAAAABJRU5ErkJggg==");

    private static BotApiEmulatorOptions Options(params WebChatAction[] actions) => new()
    {
        WebChat = new WebChatOptions
        {
            Title = "Тестова пісочниця",
            Personas = [new(Applicant, "Олена", "Абітурієнт", "olena_k"), new(Admin, "Адмін", "Адміністратор")],
            Examples = [new("Соціологія", "https://abit-poisk.org.ua/rate2026/direction/1")],
            Actions = actions,
        },
    };

    private static HttpClient Page(BotApiEmulator emulator) => new() { BaseAddress = new Uri(emulator.BaseUrl) };

    private static async Task<JsonNode> GetJsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} → {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static Task<JsonNode> UpdatesAsync(HttpClient http, long userId, long after = 0, int timeout = 0) =>
        GetJsonAsync(http, $"/api/chats/{userId}/updates?after={after}&timeout={timeout}");

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(HttpClient http, string path, string json, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static JsonObject Message(JsonNode updates, int messageId) =>
        updates["messages"]!.AsArray().Single(m => m!["messageId"]!.GetValue<int>() == messageId)!.AsObject();

    private static long Version(JsonNode updates) => updates["version"]!.GetValue<long>();

    [Fact]
    public async Task Config_lists_title_bot_personas_examples_and_actions()
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options(
            new WebChatAction("mint", "Створити посилання", (_, _) => Task.FromResult(new WebChatActionResult("ok")))));
        using var http = Page(emulator);

        var config = await GetJsonAsync(http, "/api/config");

        Assert.Equal("Тестова пісочниця", config["title"]!.GetValue<string>());
        Assert.Equal("AbitlyTestBot", config["botUsername"]!.GetValue<string>());
        var personas = config["personas"]!.AsArray();
        Assert.Equal([Applicant, Admin], personas.Select(p => p!["userId"]!.GetValue<long>()));
        Assert.Equal(["Абітурієнт", "Адміністратор"], personas.Select(p => p!["label"]!.GetValue<string>()));
        Assert.Equal("Олена", personas[0]!["firstName"]!.GetValue<string>());
        Assert.Equal("olena_k", personas[0]!["username"]!.GetValue<string>());
        Assert.Null(personas[1]!["username"]);
        var example = Assert.Single(config["examples"]!.AsArray())!;
        Assert.Equal("Соціологія", example["label"]!.GetValue<string>());
        Assert.Equal("https://abit-poisk.org.ua/rate2026/direction/1", example["text"]!.GetValue<string>());
        var action = Assert.Single(config["actions"]!.AsArray())!;
        Assert.Equal("mint", action["id"]!.GetValue<string>());
        Assert.Equal("Створити посилання", action["label"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_web_chat_options_there_is_no_page_and_the_bot_api_still_works_with_it()
    {
        await using (var plain = await BotApiEmulator.StartAsync())
        {
            using var http = Page(plain);
            foreach (var path in new[] { "/", "/chat.js", "/api/config", $"/api/chats/{Applicant}/updates" })
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.False(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["ok"]!.GetValue<bool>());
            }
        }

        await using var emulator = await BotApiEmulator.StartAsync(Options());
        using var page = Page(emulator);
        Assert.Equal("AbitlyTestBot", (await Client(emulator).GetMe()).Username);
        using var unknown = await page.GetAsync(new Uri("/api/nothing", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var wrongMethod = await page.GetAsync(new Uri($"/api/chats/{Applicant}/messages", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, wrongMethod.StatusCode);
    }

    [Fact]
    public async Task Invalid_web_chat_options_fail_at_start()
    {
        var twice = Options();
        twice.WebChat!.Personas = [new(1, "A", "A"), new(1, "B", "B")];
        var group = Options();
        group.WebChat!.Personas = [new(-100, "A", "A")];

        await Assert.ThrowsAsync<ArgumentException>(() => BotApiEmulator.StartAsync(twice));
        await Assert.ThrowsAsync<ArgumentException>(() => BotApiEmulator.StartAsync(group));
    }

    [Fact]
    public async Task Posted_text_reaches_the_bot_as_the_persona_and_comes_back_escaped()
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options());
        using var http = Page(emulator);

        var (status, posted) = await PostAsync(http, $"/api/chats/{Applicant}/messages", """{"text":"  1 < 2 & <b>x</b>\nдругий  "}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, posted!["messageId"]!.GetValue<int>());
        Assert.False(posted["fromBot"]!.GetValue<bool>());
        Assert.Equal("1 &lt; 2 &amp; &lt;b&gt;x&lt;/b&gt;<br>другий", posted["html"]!.GetValue<string>());

        var message = Assert.Single(await Client(emulator).GetUpdates(timeout: 0)).Message!;
        Assert.Equal("1 < 2 & <b>x</b>\nдругий", message.Text);
        Assert.Equal(Applicant, message.Chat.Id);
        Assert.Equal(Applicant, message.From!.Id);
        Assert.Equal("Олена", message.From.FirstName);
        Assert.Equal("olena_k", message.From.Username);

        var updates = await UpdatesAsync(http, Applicant);
        var shown = Assert.Single(updates["messages"]!.AsArray())!;
        Assert.Equal(posted.ToJsonString(), shown.ToJsonString());
        Assert.True(Version(updates) > 0);
        Assert.Equal(emulator.MessagesIn(Applicant)[0].Date, DateTimeOffset.Parse(shown["date"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Bot_html_and_keyboard_arrive_as_safe_html_and_buttons()
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options());
        using var http = Page(emulator);
        var keyboard = new InlineKeyboardMarkup(new[]
        {
            new[] { InlineKeyboardButton.WithCallbackData("Оновити", "refresh:1"), InlineKeyboardButton.WithUrl("Сайт", "https://abit.ly/") },
            new[] { InlineKeyboardButton.WithCallbackData("Назад", "back") },
        });

        var sent = await Client(emulator).SendMessage(
            Applicant,
            "<b>Привіт</b> <a href=\"https://abit.ly/?a=1&amp;b=2\">сайт</a>\n<tg-spoiler>секрет</tg-spoiler> <a href=\"tg://user?id=1\">ти</a>",
            ParseMode.Html,
            replyMarkup: keyboard);

        var message = Message(await UpdatesAsync(http, Applicant), sent.Id);
        Assert.True(message["fromBot"]!.GetValue<bool>());
        Assert.False(message["edited"]!.GetValue<bool>());
        Assert.False(message["deleted"]!.GetValue<bool>());
        Assert.False(message["hasPhoto"]!.GetValue<bool>());
        Assert.Null(message["photoUrl"]);
        Assert.Equal(
            "<b>Привіт</b> <a href=\"https://abit.ly/?a=1&amp;b=2\" target=\"_blank\" rel=\"noopener noreferrer\">сайт</a><br>"
            + "<span class=\"spoiler\">секрет</span> <a href=\"tg://user?id=1\" target=\"_blank\" rel=\"noopener noreferrer\">ти</a>",
            message["html"]!.GetValue<string>());
        Assert.Equal(
            """[[{"text":"Оновити","callbackData":"refresh:1","url":null},{"text":"Сайт","callbackData":null,"url":"https://abit.ly/"}],[{"text":"Назад","callbackData":"back","url":null}]]""",
            message["buttons"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public async Task Edit_keeps_the_message_id_with_a_new_version_and_delete_is_flagged()
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options());
        using var http = Page(emulator);
        var bot = Client(emulator);
        var other = await bot.SendMessage(Applicant, "інше");
        var sent = await bot.SendMessage(Applicant, "Крок 1", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("Далі", "next")));
        var before = Version(await UpdatesAsync(http, Applicant));

        await bot.EditMessageText(Applicant, sent.Id, "Крок <b>2</b>", ParseMode.Html);
        var afterEdit = await UpdatesAsync(http, Applicant, before);

        var edited = Assert.Single(afterEdit["messages"]!.AsArray())!;
        Assert.Equal(sent.Id, edited["messageId"]!.GetValue<int>());
        Assert.True(edited["edited"]!.GetValue<bool>());
        Assert.Equal("Крок <b>2</b>", edited["html"]!.GetValue<string>());
        Assert.Empty(edited["buttons"]!.AsArray());
        Assert.True(Version(afterEdit) > before);
        Assert.False(Message(await UpdatesAsync(http, Applicant), other.Id)["edited"]!.GetValue<bool>());

        await bot.DeleteMessage(Applicant, sent.Id);
        var afterDelete = await UpdatesAsync(http, Applicant, Version(afterEdit));

        var deleted = Assert.Single(afterDelete["messages"]!.AsArray())!;
        Assert.Equal(sent.Id, deleted["messageId"]!.GetValue<int>());
        Assert.True(deleted["deleted"]!.GetValue<bool>());
        Assert.Equal(string.Empty, deleted["html"]!.GetValue<string>());
        Assert.True(Version(afterDelete) > Version(afterEdit));
    }

    [Fact]
    public async Task Long_poll_returns_promptly_on_a_change_in_its_chat_and_not_for_other_chats()
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options());
        using var http = Page(emulator);
        var bot = Client(emulator);
        await bot.SendMessage(Applicant, "старе");
        var version = Version(await UpdatesAsync(http, Applicant));

        var stopwatch = Stopwatch.StartNew();
        var poll = UpdatesAsync(http, Applicant, version, timeout: 20);
        await Task.Delay(300);
        Assert.False(poll.IsCompleted);

        // Another persona's chat changes: this poll keeps waiting.
        var (status, _) = await PostAsync(http, $"/api/chats/{Admin}/messages", """{"text":"адмін"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        await bot.SendMessage(Admin, "для адміна");
        await Task.Delay(300);
        Assert.False(poll.IsCompleted);

        // A message from the same persona in another tab (or the bot) ends it at once.
        await PostAsync(http, $"/api/chats/{Applicant}/messages", """{"text":"з іншої вкладки"}""");
        var updates = await poll;

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        var message = Assert.Single(updates["messages"]!.AsArray())!;
        Assert.Equal("з іншої вкладки", message["html"]!.GetValue<string>());
        Assert.False(message["fromBot"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Long_poll_without_a_change_returns_after_its_timeout_with_nothing_new()
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options());
        using var http = Page(emulator);
        await Client(emulator).SendMessage(Applicant, "привіт");
        var version = Version(await UpdatesAsync(http, Applicant));

        var stopwatch = Stopwatch.StartNew();
        var updates = await UpdatesAsync(http, Applicant, version, timeout: 1);

        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
        Assert.Empty(updates["messages"]!.AsArray());
        Assert.Empty(updates["notices"]!.AsArray());
        Assert.Equal(version, Version(updates));
    }

    [Fact]
    public async Task Long_poll_answers_at_once_when_something_newer_exists_and_resends_all_to_a_page_from_the_future()
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options());
        using var http = Page(emulator);
        await Client(emulator).SendMessage(Applicant, "вже тут");

        var stopwatch = Stopwatch.StartNew();
        var first = await UpdatesAsync(http, Applicant, after: 0, timeout: 20);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        Assert.Equal("вже тут", Assert.Single(first["messages"]!.AsArray())!["html"]!.GetValue<string>());

        // A page that saw version 1000 talks to a restarted emulator: it gets the whole chat and a smaller version.
        var restarted = await UpdatesAsync(http, Applicant, after: 1000, timeout: 20);
        Assert.Single(restarted["messages"]!.AsArray());
        Assert.True(Version(restarted) < 1000);
    }

    [Fact]
    public async Task Reset_ends_pending_polls_with_a_new_epoch_so_pages_start_over()
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options());
        using var http = Page(emulator);
        await Client(emulator).SendMessage(Applicant, "до скидання");
        var before = await UpdatesAsync(http, Applicant);
        var again = await UpdatesAsync(http, Applicant, Version(before), timeout: 0);
        Assert.Equal(before["epoch"]!.GetValue<string>(), again["epoch"]!.GetValue<string>());

        var poll = UpdatesAsync(http, Applicant, Version(before), timeout: 20);
        await Task.Delay(300);
        Assert.False(poll.IsCompleted);
        emulator.Reset();
        var afterReset = await poll.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.NotEqual(before["epoch"]!.GetValue<string>(), afterReset["epoch"]!.GetValue<string>());
        Assert.Empty((await UpdatesAsync(http, Applicant))["messages"]!.AsArray());
    }

    [Fact]
    public async Task Disposing_the_emulator_ends_a_pending_page_poll()
    {
        var emulator = await BotApiEmulator.StartAsync(Options());
        using var http = Page(emulator);
        var poll = http.GetAsync(new Uri($"/api/chats/{Applicant}/updates?after=0&timeout=25", UriKind.Relative));
        await Task.Delay(300);

        var stopwatch = Stopwatch.StartNew();
        await emulator.DisposeAsync();

        using var response = await poll;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Press_delivers_a_callback_query_and_the_answer_text_becomes_a_notice_of_that_chat()
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options());
        using var http = Page(emulator);
        var bot = Client(emulator);
        var sent = await bot.SendMessage(Applicant, "Оберіть", replyMarkup: new InlineKeyboardMarkup(
            InlineKeyboardButton.WithCallbackData("A", "pick:a"), InlineKeyboardButton.WithCallbackData("B", "pick:b")));
        var version = Version(await UpdatesAsync(http, Applicant));
        var adminVersion = Version(await UpdatesAsync(http, Admin));

        var (status, body) = await PostAsync(http, $"/api/chats/{Applicant}/press", $$"""{"messageId":{{sent.Id}},"callbackData":"pick:b"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var first = Assert.Single(await bot.GetUpdates(timeout: 0));
        var query = first.CallbackQuery!;
        Assert.Equal(body!["callbackQueryId"]!.GetValue<string>(), query.Id);
        Assert.Equal("pick:b", query.Data);
        Assert.Equal(Applicant, query.From.Id);
        Assert.Equal("Олена", query.From.FirstName);
        Assert.Equal(sent.Id, query.Message!.Id);

        // Telegram shows an answer's text as a toast (or an alert); an answer without text shows nothing.
        await bot.AnswerCallbackQuery(query.Id, "Без змін");
        var updates = await UpdatesAsync(http, Applicant, version);
        var notice = Assert.Single(updates["notices"]!.AsArray())!;
        Assert.Equal("Без змін", notice["text"]!.GetValue<string>());
        Assert.False(notice["showAlert"]!.GetValue<bool>());
        Assert.Empty(updates["messages"]!.AsArray());

        await PostAsync(http, $"/api/chats/{Applicant}/press", $$"""{"messageId":{{sent.Id}},"callbackData":"pick:a"}""");
        await PostAsync(http, $"/api/chats/{Applicant}/press", $$"""{"messageId":{{sent.Id}},"callbackData":"pick:a"}""");
        var queries = await bot.GetUpdates(offset: first.Id + 1, timeout: 0);
        Assert.Equal(["pick:a", "pick:a"], queries.Select(u => u.CallbackQuery!.Data));
        await bot.AnswerCallbackQuery(queries[0].CallbackQuery!.Id, "Увага!", showAlert: true);
        await bot.AnswerCallbackQuery(queries[1].CallbackQuery!.Id);
        var alert = Assert.Single((await UpdatesAsync(http, Applicant, Version(updates)))["notices"]!.AsArray())!;
        Assert.Equal("Увага!", alert["text"]!.GetValue<string>());
        Assert.True(alert["showAlert"]!.GetValue<bool>());

        Assert.Empty((await UpdatesAsync(http, Admin, adminVersion))["notices"]!.AsArray());
    }

    [Fact]
    public async Task A_press_on_a_stale_page_is_400_and_reaches_no_bot()
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options());
        using var http = Page(emulator);
        var bot = Client(emulator);
        var user = emulator.SendText(Applicant, "/start");
        var gone = await bot.SendMessage(Applicant, "старе", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("Так", "yes")));
        var current = await bot.SendMessage(Applicant, "нове", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("Так", "yes:2")));
        await bot.DeleteMessage(Applicant, gone.Id);
        await bot.SendMessage(Admin, "чуже", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("Так", "admin")));
        var pending = await bot.GetUpdates(timeout: 0);
        await bot.GetUpdates(offset: pending[^1].Id + 1, timeout: 0);

        string[] stale =
        [
            $$"""{"messageId":{{current.Id}},"callbackData":"yes"}""",       // data no longer on the keyboard
            $$"""{"messageId":{{gone.Id}},"callbackData":"yes"}""",          // deleted message
            """{"messageId":99,"callbackData":"yes:2"}""",                    // no such message
            $$"""{"messageId":{{user.MessageId}},"callbackData":"yes:2"}""", // a user message has no keyboard
            """{"messageId":1,"callbackData":"admin"}""",                     // another persona's chat
            $$"""{"messageId":"{{current.Id}}","callbackData":"yes:2"}""",   // wrong JSON types
            $$"""{"messageId":{{current.Id}}}""",
        ];
        foreach (var body in stale)
        {
            var (status, error) = await PostAsync(http, $"/api/chats/{Applicant}/press", body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{body} → {status}");
            Assert.False(string.IsNullOrEmpty(error!["error"]!.GetValue<string>()));
        }

        Assert.Empty(await bot.GetUpdates(timeout: 0));
        var (ok, _) = await PostAsync(http, $"/api/chats/{Applicant}/press", $$"""{"messageId":{{current.Id}},"callbackData":"yes:2"}""");
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal("yes:2", Assert.Single(await bot.GetUpdates(timeout: 0)).CallbackQuery!.Data);
    }

    [Fact]
    public async Task Action_runs_for_the_persona_and_returns_its_notice_and_link()
    {
        var calls = new List<long>();
        await using var emulator = await BotApiEmulator.StartAsync(Options(
            new WebChatAction("mint", "Створити посилання", (context, _) =>
            {
                calls.Add(context.UserId);
                return Task.FromResult(new WebChatActionResult($"Токен для {context.UserId}", $"https://t.me/AbitlyTestBot?start=link_{context.UserId}"));
            }),
            new WebChatAction("plain", "Без посилання", (_, _) => Task.FromResult(new WebChatActionResult("Готово")))));
        using var http = Page(emulator);

        var (status, result) = await PostAsync(http, "/api/actions/mint", $$"""{"userId":{{Admin}}}""");
        var (plainStatus, plain) = await PostAsync(http, "/api/actions/plain", $$"""{"userId":{{Applicant}}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($"Токен для {Admin}", result!["notice"]!.GetValue<string>());
        Assert.Equal($"https://t.me/AbitlyTestBot?start=link_{Admin}", result["link"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, plainStatus);
        Assert.Equal("Готово", plain!["notice"]!.GetValue<string>());
        Assert.Null(plain["link"]);
        Assert.Equal([Admin], calls);
    }

    [Fact]
    public async Task A_throwing_action_is_500_with_its_message_and_unknown_actions_or_personas_are_404()
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options(
            new WebChatAction("boom", "Зламатися", (_, _) => throw new InvalidOperationException("База даних недоступна")),
            new WebChatAction("late", "Зламатися пізніше", async (_, _) =>
            {
                await Task.Yield();
                throw new TimeoutException("Надто довго");
            })));
        using var http = Page(emulator);

        var (boom, boomBody) = await PostAsync(http, "/api/actions/boom", $$"""{"userId":{{Applicant}}}""");
        var (late, lateBody) = await PostAsync(http, "/api/actions/late", $$"""{"userId":{{Applicant}}}""");
        var (unknown, _) = await PostAsync(http, "/api/actions/nope", $$"""{"userId":{{Applicant}}}""");
        var (stranger, _) = await PostAsync(http, "/api/actions/boom", """{"userId":999}""");
        var (noUser, _) = await PostAsync(http, "/api/actions/boom", "{}");

        Assert.Equal(HttpStatusCode.InternalServerError, boom);
        Assert.Equal("База даних недоступна", boomBody!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.InternalServerError, late);
        Assert.Equal("Надто довго", lateBody!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal(HttpStatusCode.NotFound, stranger);
        Assert.Equal(HttpStatusCode.BadRequest, noUser);
    }

    [Fact]
    public async Task Personas_have_separate_chats_and_strangers_are_404()
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options());
        using var http = Page(emulator);

        await PostAsync(http, $"/api/chats/{Applicant}/messages", """{"text":"я абітурієнтка"}""");
        await PostAsync(http, $"/api/chats/{Admin}/messages", """{"text":"я адмін"}""");

        Assert.Equal(["я абітурієнтка"], (await UpdatesAsync(http, Applicant))["messages"]!.AsArray().Select(m => m!["html"]!.GetValue<string>()));
        Assert.Equal(["я адмін"], (await UpdatesAsync(http, Admin))["messages"]!.AsArray().Select(m => m!["html"]!.GetValue<string>()));
        var updates = await Client(emulator).GetUpdates(timeout: 0);
        Assert.Equal([(Applicant, "Олена"), (Admin, "Адмін")], updates.Select(u => (u.Message!.Chat.Id, u.Message.From!.FirstName)));

        var (post, _) = await PostAsync(http, "/api/chats/303/messages", """{"text":"хто я?"}""");
        Assert.Equal(HttpStatusCode.NotFound, post);
        using var poll = await http.GetAsync(new Uri("/api/chats/303/updates?timeout=0", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, poll.StatusCode);
        var (press, _) = await PostAsync(http, "/api/chats/303/press", """{"messageId":1,"callbackData":"x"}""");
        Assert.Equal(HttpStatusCode.NotFound, press);
        Assert.Empty(emulator.MessagesIn(303));
    }

    [Fact]
    public async Task Bad_bodies_are_400_and_oversized_ones_413()
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options());
        using var http = Page(emulator);
        var path = $"/api/chats/{Applicant}/messages";

        foreach (var body in new[] { "{\"text\":", "[\"text\"]", "", "{\"text\":\"   \\n \"}", "{\"text\":5}", "{}", $$"""{"text":"{{new string('я', 4097)}}"}""" })
        {
            var (status, error) = await PostAsync(http, path, body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{body[..Math.Min(body.Length, 20)]} → {status}");
            Assert.False(string.IsNullOrEmpty(error!["error"]!.GetValue<string>()));
        }

        var (tooLarge, tooLargeError) = await PostAsync(http, path, $$"""{"text":"x","pad":"{{new string('x', 70_000)}}"}""");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge);
        Assert.NotNull(tooLargeError!["error"]);

        // Without a Content-Length (chunked), the limit holds while reading.
        using var chunked = new StreamContent(new ChunkedStream(new string('x', 70_000)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var chunkedResponse = await http.PostAsync(new Uri(path, UriKind.Relative), chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunkedResponse.StatusCode);

        Assert.Empty(emulator.MessagesIn(Applicant));
        var (longest, _) = await PostAsync(http, path, $$"""{"text":"{{new string('я', 4096)}}"}""");
        Assert.Equal(HttpStatusCode.OK, longest);
    }

    [Fact]
    public async Task Requests_from_another_origin_or_host_are_403_and_change_nothing()
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options(
            new WebChatAction("mint", "Створити", (_, _) => throw new InvalidOperationException("must not run"))));
        using var http = Page(emulator);
        var path = $"/api/chats/{Applicant}/messages";

        foreach (var origin in new[] { "https://evil.example", "null", $"http://127.0.0.1:{emulator.Port + 1}", $"http://evil.example:{emulator.Port}" })
        {
            var (status, error) = await PostAsync(http, path, """{"text":"/start"}""", origin);
            Assert.True(status == HttpStatusCode.Forbidden, $"{origin} → {status}");
            Assert.NotNull(error!["error"]);
        }

        var (action, _) = await PostAsync(http, "/api/actions/mint", $$"""{"userId":{{Applicant}}}""", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, action);

        // A DNS-rebound name reaches the loopback port with a foreign Host: not even reads are served.
        using var rebound = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/config", UriKind.Relative));
        rebound.Headers.Host = $"evil.example:{emulator.Port}";
        using var reboundResponse = await http.SendAsync(rebound);
        Assert.Equal(HttpStatusCode.Forbidden, reboundResponse.StatusCode);
        Assert.Empty(emulator.MessagesIn(Applicant));

        // The page's own origin, under either loopback name, is fine.
        var (own, _) = await PostAsync(http, path, """{"text":"/start"}""", emulator.BaseUrl);
        Assert.Equal(HttpStatusCode.OK, own);
        using var localhost = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent("""{"text":"/help"}""", Encoding.UTF8, "application/json"),
        };
        localhost.Headers.Host = $"localhost:{emulator.Port}";
        localhost.Headers.Add("Origin", $"http://localhost:{emulator.Port}");
        using var localhostResponse = await http.SendAsync(localhost);
        Assert.Equal(HttpStatusCode.OK, localhostResponse.StatusCode);
        Assert.Equal(["/start", "/help"], emulator.MessagesIn(Applicant).Select(m => m.Text));
    }

    [Fact]
    public async Task Uploaded_photo_is_served_with_its_type_and_exact_bytes()
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options());
        using var http = Page(emulator);
        var bot = Client(emulator);

        Message sent;
        await using (var png = new MemoryStream(TinyPng))
        {
            sent = await bot.SendPhoto(Applicant, InputFile.FromStream(png, "chart.png"), caption: "<b>Графік</b> заяв", parseMode: ParseMode.Html);
        }

        var message = Message(await UpdatesAsync(http, Applicant), sent.Id);
        Assert.True(message["hasPhoto"]!.GetValue<bool>());
        Assert.Equal("<b>Графік</b> заяв", message["html"]!.GetValue<string>());
        var photoUrl = message["photoUrl"]!.GetValue<string>();
        Assert.Equal($"/api/photos/{Applicant}/{sent.Id}", photoUrl);

        using var response = await http.GetAsync(new Uri(photoUrl, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(TinyPng, await response.Content.ReadAsByteArrayAsync());

        using var notAPhoto = await http.GetAsync(new Uri($"/api/photos/{Applicant}/99", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, notAPhoto.StatusCode);
        await bot.DeleteMessage(Applicant, sent.Id);
        using var deleted = await http.GetAsync(new Uri(photoUrl, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 1, 2 }, "image/jpeg")]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a', 1 }, "image/gif")]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'E', (byte)'B', (byte)'P', 1 }, "image/webp")]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'A', (byte)'V', (byte)'E', 1 }, "application/octet-stream")]
    [InlineData(new byte[] { (byte)'<', (byte)'s', (byte)'v', (byte)'g' }, "application/octet-stream")]
    public async Task Photo_content_type_is_sniffed_from_the_bytes(byte[] bytes, string contentType)
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options());
        using var http = Page(emulator);
        await using var stream = new MemoryStream(bytes);
        var sent = await Client(emulator).SendPhoto(Applicant, InputFile.FromStream(stream, "photo"));

        using var response = await http.GetAsync(new Uri($"/api/photos/{Applicant}/{sent.Id}", UriKind.Relative));

        Assert.Equal(contentType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_photo_by_url_is_shown_from_that_url_and_an_upload_re_sent_by_file_id_from_the_emulator()
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options());
        using var http = Page(emulator);
        var bot = Client(emulator);

        var byUrl = await bot.SendPhoto(Applicant, InputFile.FromUri("https://example.com/p.jpg"));
        Message uploaded;
        await using (var png = new MemoryStream(TinyPng))
        {
            uploaded = await bot.SendPhoto(Applicant, InputFile.FromStream(png, "chart.png"));
        }

        var byFileId = await bot.SendPhoto(Applicant, InputFile.FromFileId(uploaded.Photo![^1].FileId));

        var updates = await UpdatesAsync(http, Applicant);
        Assert.Equal("https://example.com/p.jpg", Message(updates, byUrl.Id)["photoUrl"]!.GetValue<string>());
        Assert.Equal($"/api/photos/{Applicant}/{byFileId.Id}", Message(updates, byFileId.Id)["photoUrl"]!.GetValue<string>());
        Assert.True(Message(updates, byFileId.Id)["hasPhoto"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/chat.css", "text/css")]
    [InlineData("/chat.js", "text/javascript")]
    public async Task Page_files_are_served_with_a_strict_csp_and_reference_nothing_outside(string path, string contentType)
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options());
        using var http = Page(emulator);

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data:", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.True(body.Length > 500, "the file is there");

        // No CDN, web font or other absolute reference: the t.me pattern in chat.js is a regex literal (https?:\/\/).
        Assert.DoesNotContain("http://", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ProtocolRelativeReference(), body);
        Assert.DoesNotContain("@import", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_has_no_inline_script_or_style_and_the_elements_browser_tests_use()
    {
        await using var emulator = await BotApiEmulator.StartAsync(Options());
        using var http = Page(emulator);

        var html = await http.GetStringAsync(new Uri("/", UriKind.Relative));

        // The CSP forbids inline code, so anything inline would silently not run.
        var scripts = ScriptTag().Matches(html);
        Assert.Equal(["/chat.js"], scripts.Select(m => m.Groups["src"].Value));
        Assert.All(scripts, m => Assert.Equal(string.Empty, m.Groups["body"].Value.Trim()));
        Assert.DoesNotMatch(InlineHandler(), html);
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/chat.css\">", html, StringComparison.Ordinal);
        foreach (var id in new[] { "messages", "input", "send", "persona", "toast", "offline", "action-result" })
        {
            Assert.Contains($"id=\"{id}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("<select id=\"persona\"", html, StringComparison.Ordinal);
        Assert.Contains("lang=\"uk\"", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("""(?:src|href)\s*=\s*["']?//|url\(\s*["']?//""", RegexOptions.IgnoreCase)]
    private static partial Regex ProtocolRelativeReference();

    [GeneratedRegex("""<script\b[^>]*?\bsrc="(?<src>[^"]*)"[^>]*>(?<body>.*?)</script>|<script\b(?![^>]*\bsrc=)[^>]*>(?<body>.*?)</script>""", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("""<[^>]+\son[a-z]+\s*=""", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    /// <summary>A readable stream of unknown length, so HttpClient sends it chunked.</summary>
    private sealed class ChunkedStream(string padding) : MemoryStream(Encoding.UTF8.GetBytes($$"""{"text":"{{padding}}"}"""))
    {
        public override bool CanSeek => false;
    }
}
