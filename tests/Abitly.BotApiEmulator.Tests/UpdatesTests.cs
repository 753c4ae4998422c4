using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using static Abitly.BotApiEmulator.Tests.TestSupport;

namespace Abitly.BotApiEmulator.Tests;

public sealed class UpdatesTests
{
    [Fact]
    public async Task GetMe_returns_bot_id_from_token_and_configured_username()
    {
        await using var emulator = await BotApiEmulator.StartAsync(new BotApiEmulatorOptions { BotUsername = "OtherBot" });

        var me = await Client(emulator, "987654:xyz").GetMe();

        Assert.Equal(987654, me.Id);
        Assert.True(me.IsBot);
        Assert.Equal("OtherBot", me.Username);
        Assert.Equal("getMe", Assert.Single(emulator.Calls).Method);
    }

    [Fact]
    public async Task User_message_reaches_GetUpdates_with_sender_chat_text_and_unix_date()
    {
        var now = new DateTimeOffset(2026, 7, 1, 9, 30, 15, TimeSpan.Zero);
        await using var emulator = await BotApiEmulator.StartAsync(new BotApiEmulatorOptions { TimeProvider = new ManualTime(now) });

        var sent = emulator.SendText(42, "/start offer_123", firstName: "Olena", username: "olena_k");
        var updates = await Client(emulator).GetUpdates(timeout: 0);

        var message = Assert.Single(updates).Message;
        Assert.NotNull(message);
        Assert.Equal(sent.MessageId, message.Id);
        Assert.Equal(42, message.From!.Id);
        Assert.False(message.From.IsBot);
        Assert.Equal("Olena", message.From.FirstName);
        Assert.Equal("olena_k", message.From.Username);
        Assert.Equal(42, message.Chat.Id);
        Assert.Equal(ChatType.Private, message.Chat.Type);
        Assert.Equal("/start offer_123", message.Text);
        Assert.Equal(now.UtcDateTime, message.Date);
        var command = Assert.Single(message.Entities!);
        Assert.Equal(MessageEntityType.BotCommand, command.Type);
        Assert.Equal("/start".Length, command.Length);

        // The wire format itself: date as unix seconds, snake_case names.
        using var http = new HttpClient();
        var raw = await http.GetStringAsync(new Uri($"{emulator.BaseUrl}/bot{Token}/getUpdates"));
        var json = JsonNode.Parse(raw)!;
        Assert.True(json["ok"]!.GetValue<bool>());
        Assert.Equal(now.ToUnixTimeSeconds(), json["result"]![0]!["message"]!["date"]!.GetValue<long>());
        Assert.Equal(42, json["result"]![0]!["message"]!["from"]!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Long_poll_returns_as_soon_as_an_update_arrives()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);

        var stopwatch = Stopwatch.StartNew();
        var poll = bot.GetUpdates(timeout: 20);
        await Task.Delay(300);
        Assert.False(poll.IsCompleted);
        emulator.SendText(5, "hello");
        var updates = await poll;

        Assert.Equal("hello", Assert.Single(updates).Message!.Text);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Long_poll_without_updates_waits_for_the_timeout_then_returns_empty()
    {
        await using var emulator = await BotApiEmulator.StartAsync();

        var stopwatch = Stopwatch.StartNew();
        var updates = await Client(emulator).GetUpdates(timeout: 1);

        Assert.Empty(updates);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Confirming_an_offset_forgets_earlier_updates_forever()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        emulator.SendText(1, "one");
        emulator.SendText(2, "two");
        emulator.SendText(3, "three");

        var all = await bot.GetUpdates(timeout: 0);
        Assert.Equal(["one", "two", "three"], all.Select(u => u.Message!.Text));
        Assert.Equal(3, emulator.PendingUpdates);

        var rest = await bot.GetUpdates(offset: all[1].Id + 1, timeout: 0);
        Assert.Equal("three", Assert.Single(rest).Message!.Text);
        Assert.Equal(all[1].Id + 1, emulator.ConfirmedOffset);
        Assert.Equal(1, emulator.PendingUpdates);

        var again = await bot.GetUpdates(timeout: 0);
        Assert.Equal(all[2].Id, Assert.Single(again).Id);
    }

    [Fact]
    public async Task Limit_caps_the_batch()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            emulator.SendText(1, $"m{i}");
        }

        var updates = await Client(emulator).GetUpdates(limit: 2, timeout: 0);

        Assert.Equal(["m0", "m1"], updates.Select(u => u.Message!.Text));
    }

    [Fact]
    public async Task A_second_concurrent_GetUpdates_terminates_the_first_with_409()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);

        var first = bot.GetUpdates(timeout: 20);
        await Task.Delay(300); // let the first poll start waiting
        var second = bot.GetUpdates(timeout: 1);

        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => first);
        Assert.Equal(409, ex.ErrorCode);
        Assert.Contains("terminated by other getUpdates request", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await second);
    }

    [Fact]
    public async Task GetUpdates_while_a_webhook_is_set_is_409_until_it_is_deleted()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);

        await bot.SetWebhook("https://example.com/telegram/webhook", secretToken: "s3cret");
        var info = await bot.GetWebhookInfo();
        Assert.Equal("https://example.com/telegram/webhook", info.Url);
        Assert.Equal("https://example.com/telegram/webhook", emulator.WebhookUrl);

        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => bot.GetUpdates(timeout: 0));
        Assert.Equal(409, ex.ErrorCode);

        await bot.DeleteWebhook();
        emulator.SendText(1, "after");
        Assert.Equal("after", Assert.Single(await bot.GetUpdates(timeout: 0)).Message!.Text);
        Assert.Equal(string.Empty, (await bot.GetWebhookInfo()).Url);
    }

    [Fact]
    public async Task Raw_updates_reach_the_client_with_their_own_shape()
    {
        await using var emulator = await BotApiEmulator.StartAsync();

        var id = emulator.EnqueueRawUpdate(updateId => new JsonObject
        {
            ["edited_message"] = new JsonObject
            {
                ["message_id"] = 7,
                ["date"] = 1_700_000_000,
                ["edit_date"] = 1_700_000_100,
                ["chat"] = new JsonObject { ["id"] = 9, ["type"] = "private", ["first_name"] = "A" },
                ["from"] = new JsonObject { ["id"] = 9, ["is_bot"] = false, ["first_name"] = "A" },
                ["text"] = "fixed typo",
            },
        });
        var update = Assert.Single(await Client(emulator).GetUpdates(timeout: 0));

        Assert.Equal(id, update.Id);
        Assert.Equal(UpdateType.EditedMessage, update.Type);
        Assert.Equal("fixed typo", update.EditedMessage!.Text);
    }

    [Fact]
    public async Task Unknown_method_is_404_and_a_malformed_token_is_401()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        using var http = new HttpClient();

        var unknown = await http.PostAsync(new Uri($"{emulator.BaseUrl}/bot{Token}/sendTelepathy"), null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var body = JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!;
        Assert.False(body["ok"]!.GetValue<bool>());
        Assert.Equal(404, body["error_code"]!.GetValue<int>());
        Assert.Equal("Not Found", body["description"]!.GetValue<string>());
        Assert.Null(body["parameters"]);

        var badToken = await http.PostAsync(new Uri($"{emulator.BaseUrl}/botnot-a-token/getMe"), null);
        Assert.Equal(HttpStatusCode.Unauthorized, badToken.StatusCode);
    }

    [Fact]
    public async Task Form_encoded_requests_are_accepted_like_json()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["chat_id"] = "77",
            ["text"] = "form text",
            ["reply_markup"] = """{"inline_keyboard":[[{"text":"Go","callback_data":"go"}]]}""",
        });

        var response = await http.PostAsync(new Uri($"{emulator.BaseUrl}/bot{Token}/sendMessage"), form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Assert.Single(emulator.MessagesIn(77));
        Assert.Equal("form text", stored.Text);
        Assert.Equal("go", Assert.Single(stored.CallbackData));
        Assert.Equal(77, Assert.Single(emulator.Calls).ChatId);
    }
}
