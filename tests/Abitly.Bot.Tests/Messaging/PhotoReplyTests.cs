using Abitly.Bot.Data;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.State;
using Abitly.Bot.Telegram;
using Abitly.Bot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.ReplyMarkups;
using Emulator = Abitly.BotApiEmulator.BotApiEmulator;

namespace Abitly.Bot.Tests.Messaging;

/// <summary>
/// A photo reply as an outbox row keeps it (so a reply lost in a crash is sent again as it was), and the one send path
/// records the file id of an upload under the picture's key and forgets a file id Telegram refuses.
/// </summary>
public sealed class PhotoReplyTests
{
    // Not a real PNG: the payload and the emulator carry bytes, whatever they are; a 0 and a 255 catch sign and encoding slips.
    private static readonly byte[] Picture = [0x89, 0x50, 0x4E, 0x47, 0, 255, 1, 2, 3, 127, 128];

    private static readonly RenderedMessage Caption = new(
        "📊 <b>Розподіл</b> &amp; бал 167.829",
        new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData("📊 Розподіл балів", "offer:c:1402003:0a1b2c3d4e")]]));

    [Fact]
    public void An_upload_survives_the_outbox_payload_with_its_bytes_caption_keyboard_and_key()
    {
        var reply = PhotoReply.Upload(8401, Picture, Caption, "chart1:1402003:0a1b2c3d4e:167.829:12-12");

        var json = OutboxPayload.From(reply).ToJson();
        var back = Assert.IsType<PhotoReply>(OutboxPayload.FromJson(json).ToReply());

        Assert.Contains("\"m\":\"sendPhoto\"", json, StringComparison.Ordinal);
        Assert.Equal(8401, back.ChatId);
        Assert.Null(back.FileId);
        Assert.Equal(Picture, back.Png!.Value.ToArray());
        Assert.Equal(Caption.Html, back.Caption.Html);
        var button = Assert.Single(back.Caption.Keyboard!.InlineKeyboard.SelectMany(row => row));
        Assert.Equal(("📊 Розподіл балів", "offer:c:1402003:0a1b2c3d4e"), (button.Text, button.CallbackData));
        Assert.Equal("chart1:1402003:0a1b2c3d4e:167.829:12-12", back.CacheKey);
    }

    [Fact]
    public void A_message_is_stored_with_its_cyrillic_as_it_is_and_read_back_the_same()
    {
        const string html = "<b>Зміни</b> у ваших пропозиціях: «Соціологія» & \"лапки\"";
        var json = OutboxPayload.From(new SendReply(8403, new RenderedMessage(html))).ToJson();

        Assert.Contains("Зміни", json, StringComparison.Ordinal);   // not \u0417\u043c…
        var sent = Assert.IsType<SendReply>(OutboxPayload.FromJson(json).ToReply());
        Assert.Equal((8403L, html), (sent.ChatId, sent.Message.Html));
    }

    [Fact]
    public void A_resend_survives_the_outbox_payload_with_its_file_id_and_no_bytes()
    {
        var reply = PhotoReply.Resend(8402, "AgACemu_7_x", new RenderedMessage("без клавіатури"), null);

        var json = OutboxPayload.From(reply).ToJson();
        var back = Assert.IsType<PhotoReply>(OutboxPayload.FromJson(json).ToReply());

        Assert.DoesNotContain("\"png\"", json, StringComparison.Ordinal);
        Assert.Equal(("AgACemu_7_x", (ReadOnlyMemory<byte>?)null, "без клавіатури", (string?)null), (back.FileId, back.Png, back.Caption.Html, back.CacheKey));
        Assert.Null(back.Caption.Keyboard);
    }

    [Fact]
    public async Task The_send_path_records_an_uploads_file_id_and_forgets_a_refused_one()
    {
        await using var emulator = await Emulator.StartAsync();
        var settings = BotTestHost.DefaultSettings(emulator.BaseUrl, "");
        using var http = new HttpClient();
        var bot = new TelegramBotClient(new TelegramBotClientOptions(settings.BotToken, emulator.BaseUrl) { RetryThreshold = 0, RetryCount = 0 }, http);
        var fileIds = new PhotoFileIds(new MemoryKeyValueStore(TimeProvider.System), settings, NullLogger<PhotoFileIds>.Instance);
        const string key = "chart1:1402003:v:-";

        // As the recovering sender does: a reply read back from its outbox row, sent through the one send path.
        var stored = OutboxPayload.FromJson(OutboxPayload.From(PhotoReply.Upload(8403, Picture, Caption, key)).ToJson()).ToReply();
        Assert.False(await ReplySink.SendAsync(bot, stored, fileIds, CancellationToken.None));

        var upload = Assert.Single(emulator.Calls, c => c.Method == "sendPhoto");
        Assert.True(upload.HasUpload);
        var sent = Assert.Single(emulator.MessagesIn(8403));
        Assert.Equal(Picture, sent.PhotoBytes);
        Assert.Equal(sent.FileId, await fileIds.FindAsync(key));

        await ReplySink.SendAsync(bot, PhotoReply.Resend(8404, sent.FileId!, Caption, key), fileIds, CancellationToken.None);
        Assert.False(emulator.Calls.Last(c => c.Method == "sendPhoto").HasUpload);
        Assert.Equal(sent.FileId, Assert.Single(emulator.MessagesIn(8404)).FileId);

        // A file id this emulator never gave out (another bot's, or one from before a store was reset): refused and forgotten.
        await fileIds.RecordAsync(key, "AgACsomeone_else");
        await Assert.ThrowsAsync<ApiRequestException>(() =>
            ReplySink.SendAsync(bot, PhotoReply.Resend(8405, "AgACsomeone_else", Caption, key), fileIds, CancellationToken.None));
        Assert.Null(await fileIds.FindAsync(key));
    }

    [Fact]
    public async Task A_photo_reply_left_in_the_outbox_by_a_crash_is_sent_by_the_outbox_worker_and_its_file_id_recorded()
    {
        // A bot id of its own keeps this host's file ids in the shared Redis database apart from every other test's.
        await using var host = await BotTestHost.StartAsync(s => s with { BotToken = $"{Random.Shared.NextInt64(1_000_000_000, 9_000_000_000)}:TEST-photos" });
        const long chat = 8406;
        var key = $"chart1:1402003:{Guid.NewGuid():N}:-";
        var past = DateTime.UtcNow.AddMinutes(-5);
        await using (var db = host.OpenDb())
        {
            // As the pipeline writes it, but its instance died before sending and its lease has lapsed.
            db.Outbox.Add(new OutboxMessage
            {
                Lane = OutboxLane.Reply,
                Kind = "reply",
                ChatId = chat,
                Payload = OutboxPayload.From(PhotoReply.Upload(chat, Picture, Caption, key)).ToJson(),
                NotBefore = past,
                LeaseUntil = past.AddMinutes(1),
                LeaseOwner = "crashed-instance",
                CreatedAt = past,
            });
            await db.SaveChangesAsync();
        }

        var sent = await host.Emulator.WaitForBotMessageAsync(chat, m => m.HasPhoto, TimeSpan.FromSeconds(30));
        Assert.Equal(Picture, sent.PhotoBytes);
        Assert.Equal(Caption.Html, sent.Text);
        // A call is recorded when its answer is written, just after the message it made appears.
        Assert.True((await host.Emulator.WaitForCallAsync(c => c.Method == "sendPhoto" && c.ChatId == chat, TimeSpan.FromSeconds(10))).HasUpload);
        Assert.Single(host.Emulator.Calls, c => c.Method == "sendPhoto" && c.ChatId == chat);

        // The next press of the same picture finds the file id the recovered upload got.
        var fileIds = host.Services.GetRequiredService<PhotoFileIds>();
        await FoundationTests.WaitUntilAsync(async () => await fileIds.FindAsync(key) is not null);
        Assert.Equal(sent.FileId, await fileIds.FindAsync(key));
        await FoundationTests.WaitUntilAsync(async () =>
        {
            await using var db = host.OpenDb();
            return await db.Outbox.AnyAsync(m => m.ChatId == chat && m.Status == OutboxStatus.Sent);
        });
    }
}
