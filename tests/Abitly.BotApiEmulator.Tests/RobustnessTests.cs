using System.Diagnostics;
using System.Net;
using System.Text;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using static Abitly.BotApiEmulator.Tests.TestSupport;

namespace Abitly.BotApiEmulator.Tests;

public sealed class RobustnessTests
{
    [Fact]
    public async Task Link_preview_options_are_stored()
    {
        await using var emulator = await BotApiEmulator.StartAsync();

        await Client(emulator).SendMessage(1, "https://abit.ly", linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true });
        await Client(emulator).SendMessage(1, "https://abit.ly");

        Assert.Equal([true, false], emulator.MessagesIn(1).Select(m => m.LinkPreviewDisabled));
    }

    [Fact]
    public async Task A_parameter_of_the_wrong_type_is_400_not_500()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        using var http = new HttpClient();
        using var body = new StringContent("""{"chat_id":1,"text":"x","reply_markup":{"inline_keyboard":[[{"text":5}]]}}""", Encoding.UTF8, "application/json");

        var response = await http.PostAsync(new Uri($"{emulator.BaseUrl}/bot{Token}/sendMessage"), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Long_poll_with_a_frozen_clock_still_ends_at_its_timeout()
    {
        await using var emulator = await BotApiEmulator.StartAsync(new BotApiEmulatorOptions { TimeProvider = new ManualTime(DateTimeOffset.UnixEpoch) });

        var poll = Client(emulator).GetUpdates(timeout: 1);

        Assert.Same(poll, await Task.WhenAny(poll, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Empty(await poll);
    }

    [Fact]
    public async Task Disposing_ends_a_pending_long_poll_with_an_empty_result()
    {
        var emulator = await BotApiEmulator.StartAsync();
        var poll = Client(emulator).GetUpdates(timeout: 30);
        await Task.Delay(200);

        var stopwatch = Stopwatch.StartNew();
        await emulator.DisposeAsync();

        Assert.Empty(await poll);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Bulk_send_to_3000_synthetic_chats_and_500_updates_through_polling()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        var stopwatch = Stopwatch.StartNew();

        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < 3000)
            {
                await bot.SendMessage(1_000_000 + i, "broadcast");
            }
        }));

        for (var i = 0; i < 500; i++)
        {
            emulator.SendText(i + 1, $"u{i}");
        }

        var received = 0;
        var offset = 0;
        while (received < 500)
        {
            var batch = await bot.GetUpdates(offset, timeout: 1);
            received += batch.Length;
            offset = batch[^1].Id + 1;
        }

        await bot.GetUpdates(offset, timeout: 0);
        Assert.Equal(0, emulator.PendingUpdates);
        Assert.Equal(3000, emulator.Calls.Count(c => c.Method == "sendMessage" && c.Ok));
        Assert.Single(emulator.MessagesIn(1_002_999));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Group_chats_carry_their_type_and_sender()
    {
        await using var emulator = await BotApiEmulator.StartAsync();

        emulator.SendText(11, "hi all", chatId: -1001234567890, chatType: "supergroup", firstName: "Ivan");
        var message = Assert.Single(await Client(emulator).GetUpdates(timeout: 0)).Message!;

        Assert.Equal(-1001234567890, message.Chat.Id);
        Assert.Equal(Telegram.Bot.Types.Enums.ChatType.Supergroup, message.Chat.Type);
        Assert.Equal(11, message.From!.Id);
        Assert.Equal("Ivan", message.From.FirstName);
        await Assert.ThrowsAsync<ApiRequestException>(() => Client(emulator).SendMessage("@somechannel", "x"));
    }
}
