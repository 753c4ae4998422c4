using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;
using static Abitly.BotApiEmulator.Tests.TestSupport;

namespace Abitly.BotApiEmulator.Tests;

public sealed class MessagesTests
{
    private static InlineKeyboardMarkup Keyboard(params (string Text, string Data)[] buttons) =>
        new(buttons.Select(b => InlineKeyboardButton.WithCallbackData(b.Text, b.Data)));

    [Fact]
    public async Task SendMessage_with_inline_keyboard_is_stored_and_echoed()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        var markup = new InlineKeyboardMarkup(new[]
        {
            new[] { InlineKeyboardButton.WithCallbackData("Так", "yes:1"), InlineKeyboardButton.WithUrl("Сайт", "https://abit.ly") },
            new[] { InlineKeyboardButton.WithCallbackData("Ні", "no:1") },
        });

        var sent = await bot.SendMessage(42, "<b>Привіт</b> &amp; все", ParseMode.Html, replyMarkup: markup);

        Assert.Equal("Привіт & все", sent.Text);
        Assert.Equal(123456, sent.From!.Id);
        Assert.Equal("yes:1", sent.ReplyMarkup!.InlineKeyboard.First().First().CallbackData);
        var stored = Assert.Single(emulator.MessagesIn(42));
        Assert.True(stored.FromBot);
        Assert.Equal(sent.Id, stored.MessageId);
        Assert.Equal("<b>Привіт</b> &amp; все", stored.Text);
        Assert.Equal("Привіт & все", stored.PlainText);
        Assert.Equal("Html", stored.ParseMode, ignoreCase: true);
        Assert.Equal(
            [[new InlineButton("Так", "yes:1"), new InlineButton("Сайт", Url: "https://abit.ly")], [new InlineButton("Ні", "no:1")]],
            stored.ReplyMarkup!.Select(r => r.ToArray()).ToArray());
    }

    [Fact]
    public async Task Message_ids_increase_per_chat_across_both_directions()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);

        var fromUser = emulator.SendText(1, "hi");
        var reply = await bot.SendMessage(1, "hello", replyParameters: new ReplyParameters { MessageId = fromUser.MessageId });
        var otherChat = await bot.SendMessage(2, "elsewhere");

        Assert.Equal(1, fromUser.MessageId);
        Assert.Equal(2, reply.Id);
        Assert.Equal(fromUser.MessageId, reply.ReplyToMessage!.Id);
        Assert.Equal(1, otherChat.Id);
        Assert.Equal([false, true], emulator.MessagesIn(1).Select(m => m.FromBot));
        Assert.Equal(1, emulator.MessagesIn(1)[1].ReplyToMessageId);
    }

    [Fact]
    public async Task Reply_to_a_missing_message_is_rejected()
    {
        await using var emulator = await BotApiEmulator.StartAsync();

        var ex = await Assert.ThrowsAsync<ApiRequestException>(() =>
            Client(emulator).SendMessage(1, "x", replyParameters: new ReplyParameters { MessageId = 99 }));

        Assert.Equal("Bad Request: message to be replied not found", ex.Message);
    }

    [Theory]
    [InlineData("<b>bold")]
    [InlineData("<b>x</i>")]
    [InlineData("x</b>")]
    [InlineData("<marquee>x</marquee>")]
    [InlineData("1 < 2")]
    [InlineData("Tom & Jerry")]
    [InlineData("&nbsp;")]
    [InlineData("<span>not a spoiler</span>")]
    public async Task Malformed_html_is_400_cant_parse_entities(string text)
    {
        await using var emulator = await BotApiEmulator.StartAsync();

        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => Client(emulator).SendMessage(1, text, ParseMode.Html));

        Assert.Equal(400, ex.ErrorCode);
        Assert.StartsWith("Bad Request: can't parse entities: ", ex.Message, StringComparison.Ordinal);
        Assert.Empty(emulator.MessagesIn(1));
    }

    [Theory]
    [InlineData("1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;q&quot; &#39; &#x41;", "1 < 2 && 3 > 2 \"q\" ' A")]
    [InlineData("<a href=\"https://x.ua/?a=1&amp;b=2\">link</a>", "link")]
    [InlineData("<b><i>x</i></b><tg-spoiler>s</tg-spoiler><span class=\"tg-spoiler\">t</span>", "xst")]
    [InlineData("<pre><code class=\"language-csharp\">var x = 1;</code></pre><blockquote expandable>q</blockquote>", "var x = 1;q")]
    [InlineData("a > b", "a > b")]
    public async Task Valid_html_is_accepted_and_returned_as_plain_text(string html, string plain)
    {
        await using var emulator = await BotApiEmulator.StartAsync();

        var sent = await Client(emulator).SendMessage(1, html, ParseMode.Html);

        Assert.Equal(plain, sent.Text);
    }

    [Fact]
    public async Task Html_is_not_validated_without_parse_mode()
    {
        await using var emulator = await BotApiEmulator.StartAsync();

        var sent = await Client(emulator).SendMessage(1, "<b>1 < 2 & so on");

        Assert.Equal("<b>1 < 2 & so on", sent.Text);
    }

    [Fact]
    public async Task Text_length_is_limited_to_4096_after_entity_parsing()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);

        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendMessage(1, new string('a', 4097)));
        Assert.Equal(400, ex.ErrorCode);
        Assert.Equal("Bad Request: message is too long", ex.Message);

        // Tags and entities do not count: 4096 visible characters pass, 4097 do not.
        await bot.SendMessage(1, "<b>" + new string('a', 4096) + "</b>", ParseMode.Html);
        await bot.SendMessage(1, string.Concat(Enumerable.Repeat("&amp;", 4096)), ParseMode.Html);
        await Assert.ThrowsAsync<ApiRequestException>(() =>
            bot.SendMessage(1, "<b>" + new string('a', 4097) + "</b>", ParseMode.Html));
        Assert.Equal(2, emulator.MessagesIn(1).Count);
    }

    [Fact]
    public async Task Empty_text_is_rejected()
    {
        await using var emulator = await BotApiEmulator.StartAsync();

        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => Client(emulator).SendMessage(1, "<b> </b>", ParseMode.Html));

        Assert.Equal("Bad Request: message text is empty", ex.Message);
    }

    [Fact]
    public async Task Callback_data_over_64_bytes_is_BUTTON_DATA_INVALID()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);

        await bot.SendMessage(1, "ok", replyMarkup: Keyboard(("b", new string('x', 64))));
        var tooLong = await Assert.ThrowsAsync<ApiRequestException>(() =>
            bot.SendMessage(1, "no", replyMarkup: Keyboard(("b", new string('x', 65)))));
        // Bytes, not characters: 33 Cyrillic letters are 66 bytes.
        var multibyte = await Assert.ThrowsAsync<ApiRequestException>(() =>
            bot.SendMessage(1, "no", replyMarkup: Keyboard(("b", new string('ї', 33)))));

        Assert.Equal(400, tooLong.ErrorCode);
        Assert.Equal("Bad Request: BUTTON_DATA_INVALID", tooLong.Message);
        Assert.Equal("Bad Request: BUTTON_DATA_INVALID", multibyte.Message);
        Assert.Single(emulator.MessagesIn(1));
    }

    [Fact]
    public async Task EditMessageText_edits_in_place_and_rejects_identical_edits()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        var sent = await bot.SendMessage(5, "Крок 1", replyMarkup: Keyboard(("Далі", "step:2")));

        var edited = await bot.EditMessageText(5, sent.Id, "Крок 2", replyMarkup: Keyboard(("Назад", "step:1")));

        Assert.Equal("Крок 2", edited.Text);
        var stored = Assert.Single(emulator.MessagesIn(5));
        Assert.Equal("Крок 2", stored.Text);
        Assert.Equal(1, stored.EditCount);
        Assert.Equal("step:1", Assert.Single(stored.CallbackData));

        var same = await Assert.ThrowsAsync<ApiRequestException>(() =>
            bot.EditMessageText(5, sent.Id, "Крок 2", replyMarkup: Keyboard(("Назад", "step:1"))));
        Assert.Equal(400, same.ErrorCode);
        Assert.StartsWith("Bad Request: message is not modified", same.Message, StringComparison.Ordinal);

        // Same text, different keyboard is a real change.
        await bot.EditMessageText(5, sent.Id, "Крок 2", replyMarkup: Keyboard(("Назад", "step:0")));
        Assert.Equal(2, Assert.Single(emulator.MessagesIn(5)).EditCount);

        var missing = await Assert.ThrowsAsync<ApiRequestException>(() => bot.EditMessageText(5, 999, "x"));
        Assert.Equal("Bad Request: message to edit not found", missing.Message);
    }

    [Fact]
    public async Task EditMessageText_without_markup_removes_the_keyboard_and_user_messages_cannot_be_edited()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        var user = emulator.SendText(5, "mine");
        var sent = await bot.SendMessage(5, "text", replyMarkup: Keyboard(("a", "a")));

        await bot.EditMessageText(5, sent.Id, "text 2");

        Assert.Null(emulator.MessagesIn(5)[1].ReplyMarkup);
        var ex = await Assert.ThrowsAsync<ApiRequestException>(() => bot.EditMessageText(5, user.MessageId, "hijack"));
        Assert.Equal("Bad Request: message can't be edited", ex.Message);
    }

    [Fact]
    public async Task EditMessageReplyMarkup_changes_only_the_keyboard()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        var sent = await bot.SendMessage(5, "pick", replyMarkup: Keyboard(("a", "a")));

        await bot.EditMessageReplyMarkup(5, sent.Id, Keyboard(("b", "b")));
        var unchanged = await Assert.ThrowsAsync<ApiRequestException>(() => bot.EditMessageReplyMarkup(5, sent.Id, Keyboard(("b", "b"))));

        var stored = Assert.Single(emulator.MessagesIn(5));
        Assert.Equal("pick", stored.Text);
        Assert.Equal("b", Assert.Single(stored.CallbackData));
        Assert.StartsWith("Bad Request: message is not modified", unchanged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteMessage_marks_deleted_and_second_delete_fails()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        var sent = await bot.SendMessage(5, "bye");

        await bot.DeleteMessage(5, sent.Id);
        var again = await Assert.ThrowsAsync<ApiRequestException>(() => bot.DeleteMessage(5, sent.Id));

        Assert.True(Assert.Single(emulator.MessagesIn(5)).Deleted);
        Assert.Equal("Bad Request: message to delete not found", again.Message);
    }

    [Fact]
    public async Task SendPhoto_by_url_and_by_upload()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        byte[] bytes = [0xFF, 0xD8, 0xFF, 1, 2, 3];

        var byUrl = await bot.SendPhoto(3, InputFile.FromUri("https://example.com/p.jpg"), caption: "<i>фото</i>", parseMode: ParseMode.Html);
        using var stream = new MemoryStream(bytes);
        var uploaded = await bot.SendPhoto(3, InputFile.FromStream(stream, "p.jpg"), caption: "upload");

        Assert.NotEmpty(byUrl.Photo!);
        Assert.Equal("фото", byUrl.Caption);
        Assert.Equal("upload", uploaded.Caption);
        var messages = emulator.MessagesIn(3);
        Assert.Equal("https://example.com/p.jpg", messages[0].PhotoRef);
        Assert.Equal(bytes, messages[1].PhotoBytes);
        Assert.Null(messages[1].PhotoRef);
        Assert.Contains("6 bytes", emulator.Calls[1].RequestJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PressButton_delivers_callback_query_and_answer_is_recorded_once()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        var sent = await bot.SendMessage(8, "choose", replyMarkup: Keyboard(("A", "pick:a"), ("B", "pick:b")));

        var queryId = emulator.PressButton(8, 8, sent.Id, "pick:b");
        var update = Assert.Single(await bot.GetUpdates(timeout: 0));

        var query = update.CallbackQuery!;
        Assert.Equal(queryId, query.Id);
        Assert.Equal("pick:b", query.Data);
        Assert.Equal(8, query.From.Id);
        Assert.Equal(sent.Id, query.Message!.Id);
        Assert.Equal(8, query.Message.Chat.Id);

        await bot.AnswerCallbackQuery(query.Id, "Обрано B");
        var answer = Assert.Single(emulator.CallbackAnswers);
        Assert.Equal(queryId, answer.CallbackQueryId);
        Assert.Equal("Обрано B", answer.Text);
        var twice = await Assert.ThrowsAsync<ApiRequestException>(() => bot.AnswerCallbackQuery(query.Id));
        Assert.Equal(400, twice.ErrorCode);
    }

    [Fact]
    public async Task WaitForBotMessageAsync_sees_future_messages_and_edits_and_times_out_with_a_dump()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        emulator.SendText(9, "/start");

        var waiting = emulator.WaitForBotMessageAsync(9, m => m.Text == "done");
        var sent = await bot.SendMessage(9, "working");
        Assert.False(waiting.IsCompleted);
        await bot.EditMessageText(9, sent.Id, "done");
        var found = await waiting;
        Assert.Equal(sent.Id, found.MessageId);
        Assert.Equal(1, found.EditCount);

        var ex = await Assert.ThrowsAsync<TimeoutException>(() =>
            emulator.WaitForBotMessageAsync(9, m => m.Text == "never", TimeSpan.FromMilliseconds(200)));
        Assert.Contains("/start", ex.Message, StringComparison.Ordinal);
        Assert.Contains("done", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BotMessageChanged_fires_for_send_edit_and_delete()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        var seen = new List<EmulatedMessage>();
        emulator.BotMessageChanged += m =>
        {
            lock (seen)
            {
                seen.Add(m);
            }
        };

        var sent = await bot.SendMessage(4, "a");
        await bot.EditMessageText(4, sent.Id, "b");
        await bot.DeleteMessage(4, sent.Id);

        Assert.Equal(["a", "b", "b"], seen.Select(m => m.Text));
        Assert.Equal([false, false, true], seen.Select(m => m.Deleted));
    }

    [Fact]
    public async Task SetMyCommands_is_stored_per_scope()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);

        await bot.SetMyCommands([new BotCommand("start", "Почати")]);
        await bot.SetMyCommands([new BotCommand("start", "Почати"), new BotCommand("admin", "Адмін")], BotCommandScope.Chat(42));

        Assert.Equal([new BotCommandInfo("start", "Почати")], emulator.Commands["default"]);
        Assert.Equal(["start", "admin"], emulator.Commands["chat:42"].Select(c => c.Command));
        Assert.Equal(["start", "admin"], (await bot.GetMyCommands(BotCommandScope.Chat(42))).Select(c => c.Command));
        Assert.Empty(await bot.GetMyCommands(BotCommandScope.Chat(43)));
        var bad = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SetMyCommands([new BotCommand("Bad-Name", "x")]));
        Assert.Equal(400, bad.ErrorCode);
    }

    [Fact]
    public async Task Concurrent_sends_keep_per_chat_ids_unique_and_every_call_recorded()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);

        await Task.WhenAll(Enumerable.Range(0, 400).Select(i => bot.SendMessage(1000 + (i % 40), $"m{i}")));

        Assert.Equal(400, emulator.Calls.Count);
        for (var chat = 1000; chat < 1040; chat++)
        {
            Assert.Equal(Enumerable.Range(1, 10), emulator.MessagesIn(chat).Select(m => m.MessageId));
        }
    }

    [Fact]
    public async Task Reset_clears_messages_calls_and_faults()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        await bot.SendMessage(1, "x");
        emulator.Faults.Add(new Fault { Kind = FaultKind.Forbidden, Times = 0 });
        emulator.MarkBlocked(2);

        emulator.Reset();

        Assert.Empty(emulator.Calls);
        Assert.Empty(emulator.MessagesIn(1));
        Assert.Equal(1, (await bot.SendMessage(2, "y")).Id);
    }
}
