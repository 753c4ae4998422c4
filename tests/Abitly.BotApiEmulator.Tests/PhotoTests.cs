using System.Net;
using System.Text.Json.Nodes;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;
using static Abitly.BotApiEmulator.Tests.TestSupport;

namespace Abitly.BotApiEmulator.Tests;

/// <summary>Photos: uploads get file ids, a file id sends the stored photo again without an upload.</summary>
public sealed class PhotoTests
{
    private const long Applicant = 101;

    /// <summary>A 2×1 PNG (one red, one blue pixel).</summary>
    private static readonly byte[] TinyPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4zwAE/wEHAAH/4iOeWQAAAABJRU5ErkJggg==");

    private static BotApiEmulatorOptions WithWebChat() => new()
    {
        WebChat = new WebChatOptions { Personas = [new(Applicant, "Олена", "Абітурієнт")] },
    };

    private static async Task<Message> UploadAsync(ITelegramBotClient bot, long chatId, string? caption = null)
    {
        await using var stream = new MemoryStream(TinyPng);
        return await bot.SendPhoto(chatId, InputFile.FromStream(stream, "chart.png"), caption: caption, parseMode: ParseMode.Html);
    }

    [Fact]
    public async Task Each_upload_gets_fresh_file_ids_for_its_sizes_and_the_call_shows_the_upload()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);

        var first = await UploadAsync(bot, 5);
        var second = await UploadAsync(bot, 5);

        var sizes = first.Photo!.Concat(second.Photo!).ToList();
        Assert.Equal(4, sizes.Count);
        Assert.Equal(4, sizes.Select(s => s.FileId).Distinct().Count());
        Assert.Equal(4, sizes.Select(s => s.FileUniqueId).Distinct().Count());
        Assert.True(first.Photo![^1].Width > first.Photo[0].Width, "the full size comes last");
        Assert.Equal(TinyPng.Length, first.Photo[^1].FileSize);
        var calls = emulator.Calls;
        Assert.All(calls, c => Assert.True(c.HasUpload));
        Assert.All(calls, c => Assert.Equal(TinyPng.Length, c.UploadBytes));
        Assert.Equal([first.Photo[^1].FileId, second.Photo![^1].FileId], emulator.MessagesIn(5).Select(m => m.FileId));
    }

    [Fact]
    public async Task A_file_id_sends_the_stored_photo_again_without_an_upload_and_the_web_chat_shows_it()
    {
        await using var emulator = await BotApiEmulator.StartAsync(WithWebChat());
        using var page = new HttpClient { BaseAddress = new Uri(emulator.BaseUrl) };
        var bot = Client(emulator);
        var uploaded = await UploadAsync(bot, Applicant, "<b>Графік</b>");
        var fileId = uploaded.Photo![^1].FileId;

        var again = await bot.SendPhoto(
            Applicant,
            InputFile.FromFileId(fileId),
            caption: "<i>Знову</i> графік",
            parseMode: ParseMode.Html,
            replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("Оновити", "chart:1")));

        Assert.Equal(fileId, again.Photo![^1].FileId);
        Assert.Equal(uploaded.Photo[^1].FileUniqueId, again.Photo[^1].FileUniqueId);
        Assert.Equal("Знову графік", again.Caption);
        Assert.Equal("chart:1", again.ReplyMarkup!.InlineKeyboard.Single().Single().CallbackData);

        var calls = emulator.Calls.Where(c => c.Method == "sendPhoto").ToList();
        Assert.Equal([true, false], calls.Select(c => c.HasUpload));
        Assert.Equal(0, calls[1].UploadBytes);
        Assert.Contains(fileId, calls[1].RequestJson, StringComparison.Ordinal);

        var stored = emulator.MessagesIn(Applicant)[1];
        Assert.Equal(fileId, stored.PhotoRef);
        Assert.Equal(fileId, stored.FileId);
        Assert.Equal(TinyPng, stored.PhotoBytes);
        Assert.Equal("<i>Знову</i> графік", stored.Text);
        Assert.Equal("Знову графік", stored.PlainText);
        Assert.Equal("chart:1", Assert.Single(stored.CallbackData));

        var updates = JsonNode.Parse(await page.GetStringAsync(new Uri($"/api/chats/{Applicant}/updates?after=0&timeout=0", UriKind.Relative)))!;
        var shown = updates["messages"]!.AsArray().Single(m => m!["messageId"]!.GetValue<int>() == again.Id)!;
        Assert.True(shown["hasPhoto"]!.GetValue<bool>());
        Assert.Equal("<i>Знову</i> графік", shown["html"]!.GetValue<string>());
        Assert.Equal("Оновити", shown["buttons"]![0]![0]!["text"]!.GetValue<string>());
        var photoUrl = shown["photoUrl"]!.GetValue<string>();
        Assert.Equal($"/api/photos/{Applicant}/{again.Id}", photoUrl);
        Assert.Equal(TinyPng, await page.GetByteArrayAsync(new Uri(photoUrl, UriKind.Relative)));
    }

    [Fact]
    public async Task The_thumbnails_file_id_sends_the_same_photo_too()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        var uploaded = await UploadAsync(bot, 5);

        var again = await bot.SendPhoto(5, InputFile.FromFileId(uploaded.Photo![0].FileId));

        Assert.Equal(uploaded.Photo.Select(p => p.FileId), again.Photo!.Select(p => p.FileId));
        Assert.Equal(TinyPng, emulator.MessagesIn(5)[1].PhotoBytes);
    }

    [Fact]
    public async Task An_unknown_file_id_is_400_wrong_file_identifier()
    {
        await using var other = await BotApiEmulator.StartAsync();
        var foreign = (await UploadAsync(Client(other), 5)).Photo![^1].FileId;
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);

        foreach (var photo in new[] { InputFile.FromFileId("AgACAgIAAxkBAAIB"), InputFile.FromFileId(foreign), InputFile.FromString("ftp://example.com/p.jpg") })
        {
            var ex = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SendPhoto(5, photo));
            Assert.Equal(400, ex.ErrorCode);
            Assert.Equal("Bad Request: wrong file identifier/HTTP URL specified", ex.Message);
        }

        Assert.Empty(emulator.MessagesIn(5));
    }

    [Fact]
    public async Task A_caption_is_limited_to_1024_characters_after_entity_parsing()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        var fileId = (await UploadAsync(bot, 5, "<b>" + new string('a', 1024) + "</b>")).Photo![^1].FileId;

        var tooLong = await Assert.ThrowsAsync<ApiRequestException>(() =>
            bot.SendPhoto(5, InputFile.FromFileId(fileId), caption: "<b>" + new string('a', 1025) + "</b>", parseMode: ParseMode.Html));
        var entities = await bot.SendPhoto(5, InputFile.FromFileId(fileId), caption: string.Concat(Enumerable.Repeat("&amp;", 1024)), parseMode: ParseMode.Html);

        Assert.Equal(400, tooLong.ErrorCode);
        Assert.Equal("Bad Request: message caption is too long", tooLong.Message);
        Assert.Equal(new string('&', 1024), entities.Caption);
        Assert.Equal(2, emulator.MessagesIn(5).Count);
    }

    [Fact]
    public async Task A_photo_sent_by_url_gets_a_file_id_and_a_re_send_shows_the_same_url()
    {
        await using var emulator = await BotApiEmulator.StartAsync(WithWebChat());
        using var page = new HttpClient { BaseAddress = new Uri(emulator.BaseUrl) };
        var bot = Client(emulator);
        var byUrl = await bot.SendPhoto(Applicant, InputFile.FromUri("https://example.com/p.jpg"));

        var again = await bot.SendPhoto(Applicant, InputFile.FromFileId(byUrl.Photo![^1].FileId));

        Assert.Equal(byUrl.Photo[^1].FileId, again.Photo![^1].FileId);
        Assert.Equal("https://example.com/p.jpg", emulator.MessagesIn(Applicant)[1].PhotoSourceUrl);
        var updates = JsonNode.Parse(await page.GetStringAsync(new Uri($"/api/chats/{Applicant}/updates?after=0&timeout=0", UriKind.Relative)))!;
        Assert.All(updates["messages"]!.AsArray(), m => Assert.Equal("https://example.com/p.jpg", m!["photoUrl"]!.GetValue<string>()));
        using var notServed = await page.GetAsync(new Uri($"/api/photos/{Applicant}/{again.Id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, notServed.StatusCode);
    }
}
