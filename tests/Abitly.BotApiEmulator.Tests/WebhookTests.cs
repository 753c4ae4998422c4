using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;
using static Abitly.BotApiEmulator.Tests.TestSupport;

namespace Abitly.BotApiEmulator.Tests;

/// <summary>Webhook mode: a real Telegram.Bot client sets the webhook, a Kestrel receiver on loopback stands in for the bot.</summary>
public sealed class WebhookTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SetWebhook_pushes_a_json_update_without_a_secret_header_when_none_was_set()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);

        await bot.SetWebhook(receiver.Url);
        var sent = emulator.SendText(42, "привіт", firstName: "Olena");
        await emulator.WaitForNoPendingUpdatesAsync(Wait);

        var received = Assert.Single(receiver.Received);
        Assert.Null(received.SecretToken);
        Assert.Equal("application/json", received.ContentType);
        Assert.Equal("/telegram/webhook", received.Path);

        // The body is an Update the bot's own client library reads.
        var update = JsonSerializer.Deserialize<Update>(received.Body.ToJsonString(), JsonBotAPI.Options)!;
        Assert.Equal(received.UpdateId, update.Id);
        Assert.Equal("привіт", update.Message!.Text);
        Assert.Equal(42, update.Message.Chat.Id);
        Assert.Equal(sent.MessageId, update.Message.Id);

        var delivery = Assert.Single(emulator.WebhookDeliveries);
        Assert.Equal(received.UpdateId, delivery.UpdateId);
        Assert.Equal(42, delivery.ChatId);
        Assert.Equal(receiver.Url, delivery.Target);
        Assert.Equal(1, delivery.Attempt);
        Assert.Equal(200, delivery.StatusCode);
        Assert.True(delivery.Delivered);
        Assert.Equal(0, (await bot.GetWebhookInfo()).PendingUpdateCount);
    }

    [Fact]
    public async Task The_secret_token_header_carries_exactly_the_secret_given_to_setWebhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var emulator = await BotApiEmulator.StartAsync();
        const string Secret = "Abc_123-xyz_SECRET";

        await Client(emulator).SetWebhook(receiver.Url, secretToken: Secret);
        emulator.SendText(1, "a");
        emulator.SendText(2, "b");
        await emulator.WaitForNoPendingUpdatesAsync(Wait);

        Assert.Equal([Secret, Secret], receiver.Received.Select(r => r.SecretToken));
    }

    [Fact]
    public async Task Updates_pending_before_setWebhook_and_new_ones_arrive_in_update_id_order_over_one_connection()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var emulator = await BotApiEmulator.StartAsync();
        emulator.SendText(1, "m1");
        emulator.SendText(2, "m2");
        emulator.SendText(1, "m3");

        await Client(emulator).SetWebhook(receiver.Url, maxConnections: 1);
        emulator.SendText(3, "m4");
        emulator.SendText(1, "m5");
        await emulator.WaitForNoPendingUpdatesAsync(Wait);

        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], receiver.Received.Select(r => r.Text));
        var ids = receiver.Received.Select(r => r.UpdateId).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(5, ids.Distinct().Count());
    }

    [Fact]
    public async Task A_500_answer_is_retried_with_the_same_update_id_until_the_webhook_answers_200()
    {
        var calls = 0;
        await using var receiver = await WebhookReceiver.StartAsync((_, _) => Task.FromResult(Interlocked.Increment(ref calls) == 1 ? 500 : 200));
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);

        await bot.SetWebhook(receiver.Url);
        emulator.SendText(7, "retry me");
        await emulator.WaitForNoPendingUpdatesAsync(Wait);

        var received = receiver.Received;
        Assert.Equal(2, received.Count);
        Assert.Equal(received[0].UpdateId, received[1].UpdateId);
        var deliveries = emulator.WebhookDeliveries;
        Assert.Equal([1, 2], deliveries.Select(d => d.Attempt));
        Assert.Equal([500, 200], deliveries.Select(d => d.StatusCode));
        Assert.All(deliveries, d => Assert.Equal(received[0].UpdateId, d.UpdateId));
        Assert.Equal("Wrong response from the webhook: 500 Internal Server Error", deliveries[0].Error);
        Assert.Null(deliveries[1].Error);
        var info = await bot.GetWebhookInfo();
        Assert.Equal(0, info.PendingUpdateCount);
        Assert.Equal("Wrong response from the webhook: 500 Internal Server Error", info.LastErrorMessage);
    }

    [Fact]
    public async Task A_webhook_slower_than_the_timeout_gets_the_same_update_again()
    {
        var calls = 0;
        await using var receiver = await WebhookReceiver.StartAsync(async (_, aborted) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                // Hangs until the emulator gives up on the request.
                await Task.Delay(Timeout.Infinite, aborted);
            }

            return 200;
        });
        await using var emulator = await BotApiEmulator.StartAsync(new BotApiEmulatorOptions { WebhookTimeout = TimeSpan.FromMilliseconds(300) });

        await Client(emulator).SetWebhook(receiver.Url);
        emulator.SendText(7, "slow");
        await emulator.WaitForNoPendingUpdatesAsync(Wait);

        var deliveries = emulator.WebhookDeliveries;
        Assert.Equal(2, deliveries.Count);
        Assert.Null(deliveries[0].StatusCode);
        Assert.Equal("Read timeout expired", deliveries[0].Error);
        Assert.True(deliveries[1].Delivered);
        Assert.Equal(deliveries[0].UpdateId, deliveries[1].UpdateId);
        Assert.Equal([deliveries[0].UpdateId, deliveries[0].UpdateId], receiver.Received.Select(r => r.UpdateId));
    }

    [Fact]
    public async Task A_refused_connection_is_retried_until_the_bot_listens()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}/telegram/webhook";

        await Client(emulator).SetWebhook(url);
        emulator.SendText(7, "anyone there?");
        var refused = await emulator.WaitForDeliveryAsync(d => !d.Delivered, Wait);
        await using var receiver = await WebhookReceiver.StartAsync(port: port);
        await emulator.WaitForNoPendingUpdatesAsync(Wait);

        Assert.Equal("Connection refused", refused.Error);
        Assert.Null(refused.StatusCode);
        var deliveries = emulator.WebhookDeliveries;
        Assert.True(deliveries.Count >= 2);
        Assert.All(deliveries, d => Assert.Equal(refused.UpdateId, d.UpdateId));
        Assert.Equal(Enumerable.Range(1, deliveries.Count), deliveries.Select(d => d.Attempt));
        Assert.All(deliveries.SkipLast(1), d => Assert.Equal("Connection refused", d.Error));
        Assert.True(deliveries[^1].Delivered);
        Assert.Equal([refused.UpdateId], receiver.Received.Select(r => r.UpdateId));
    }

    [Fact]
    public async Task GetWebhookInfo_reports_pending_updates_and_the_last_error_until_they_are_delivered()
    {
        var accept = false;
        await using var receiver = await WebhookReceiver.StartAsync((_, _) => Task.FromResult(Volatile.Read(ref accept) ? 200 : 401));
        var time = new ManualTime(new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero));
        await using var emulator = await BotApiEmulator.StartAsync(new BotApiEmulatorOptions { TimeProvider = time });
        var bot = Client(emulator);

        await bot.SetWebhook(receiver.Url, maxConnections: 1);
        emulator.SendText(1, "a");
        emulator.SendText(2, "b");
        await emulator.WaitForDeliveryAsync(d => d.StatusCode == 401, Wait);
        var info = await bot.GetWebhookInfo();

        Assert.Equal(receiver.Url, info.Url);
        Assert.False(info.HasCustomCertificate);
        Assert.Equal(2, info.PendingUpdateCount);
        Assert.Equal(1, info.MaxConnections);
        Assert.Equal("Wrong response from the webhook: 401 Unauthorized", info.LastErrorMessage);
        Assert.Equal(new DateTime(2026, 7, 1, 9, 0, 0, DateTimeKind.Utc), info.LastErrorDate);

        Volatile.Write(ref accept, true);
        await emulator.WaitForNoPendingUpdatesAsync(Wait);
        Assert.Equal(0, (await bot.GetWebhookInfo()).PendingUpdateCount);
        Assert.Equal(["a", "b"], receiver.Received.Where(r => r.Text is not null).Select(r => r.Text).Distinct());
    }

    [Fact]
    public async Task GetUpdates_is_409_with_Telegrams_text_and_setWebhook_ends_a_waiting_long_poll()
    {
        var time = new WatchedTime();
        await using var emulator = await BotApiEmulator.StartAsync(new BotApiEmulatorOptions { TimeProvider = time });
        var bot = Client(emulator);

        var poll = bot.GetUpdates(timeout: 20);
        await time.WaitForTimerAsync(t => t > TimeSpan.FromSeconds(15), Wait);
        await bot.SetWebhook("http://127.0.0.1:9/telegram/webhook");

        var ended = await Assert.ThrowsAsync<ApiRequestException>(() => poll);
        Assert.Equal(409, ended.ErrorCode);
        Assert.Equal("Conflict: terminated by setWebhook request", ended.Message);
        var refused = await Assert.ThrowsAsync<ApiRequestException>(() => bot.GetUpdates(timeout: 0));
        Assert.Equal(409, refused.ErrorCode);
        Assert.Equal("Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", refused.Message);
    }

    [Fact]
    public async Task DeleteWebhook_hands_undelivered_updates_back_to_getUpdates()
    {
        await using var receiver = await WebhookReceiver.StartAsync((_, _) => Task.FromResult(503));
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);

        await bot.SetWebhook(receiver.Url, maxConnections: 1);
        emulator.SendText(1, "a");
        emulator.SendText(2, "b");
        var failed = await emulator.WaitForDeliveryAsync(d => d.StatusCode == 503, Wait);
        await bot.DeleteWebhook();
        var attemptsWhenDeleted = emulator.WebhookDeliveries.Count;
        var updates = await bot.GetUpdates(timeout: 0);

        Assert.Equal(["a", "b"], updates.Select(u => u.Message!.Text));
        Assert.Equal(failed.UpdateId, updates[0].Id);
        Assert.Equal(string.Empty, (await bot.GetWebhookInfo()).Url);

        // Once deleteWebhook answered, no delivery attempt was still running.
        Assert.Equal(attemptsWhenDeleted, emulator.WebhookDeliveries.Count);
        Assert.Null(emulator.WebhookUrl);
    }

    [Fact]
    public async Task DeleteWebhook_with_drop_pending_updates_forgets_them()
    {
        await using var receiver = await WebhookReceiver.StartAsync((_, _) => Task.FromResult(500));
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);

        await bot.SetWebhook(receiver.Url);
        emulator.SendText(1, "a");
        await emulator.WaitForDeliveryAsync(d => d.StatusCode == 500, Wait);
        await bot.DeleteWebhook(dropPendingUpdates: true);

        Assert.Empty(await bot.GetUpdates(timeout: 0));
        Assert.Equal(0, emulator.PendingUpdates);
    }

    [Fact]
    public async Task WebhookTargets_spread_deliveries_round_robin_like_a_load_balancer()
    {
        await using var first = await WebhookReceiver.StartAsync();
        await using var second = await WebhookReceiver.StartAsync();
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        emulator.WebhookTargets = [first.Url, second.Url];
        const string PublicUrl = "https://bot.example.com/telegram/webhook";

        await bot.SetWebhook(PublicUrl, maxConnections: 1, secretToken: "lb");
        for (var i = 1; i <= 4; i++)
        {
            emulator.SendText(i, $"m{i}");
        }

        await emulator.WaitForNoPendingUpdatesAsync(Wait);

        Assert.Equal(["m1", "m3"], first.Received.Select(r => r.Text));
        Assert.Equal(["m2", "m4"], second.Received.Select(r => r.Text));
        Assert.All(first.Received.Concat(second.Received), r => Assert.Equal("lb", r.SecretToken));
        Assert.Equal([first.Url, second.Url, first.Url, second.Url], emulator.WebhookDeliveries.Select(d => d.Target));
        Assert.Equal(PublicUrl, (await bot.GetWebhookInfo()).Url);
    }

    [Fact]
    public async Task A_retry_goes_to_the_next_target_so_the_other_instance_can_take_the_update()
    {
        await using var down = await WebhookReceiver.StartAsync((_, _) => Task.FromResult(502));
        await using var up = await WebhookReceiver.StartAsync();
        await using var emulator = await BotApiEmulator.StartAsync(new BotApiEmulatorOptions { WebhookTargets = [down.Url, up.Url] });

        await Client(emulator).SetWebhook("https://bot.example.com/hook", maxConnections: 1);
        emulator.SendText(1, "x");
        await emulator.WaitForNoPendingUpdatesAsync(Wait);

        Assert.Equal(down.Received.Select(r => r.UpdateId), up.Received.Select(r => r.UpdateId));
        Assert.Equal([(down.Url, 502), (up.Url, 200)], emulator.WebhookDeliveries.Select(d => (d.Target, d.StatusCode ?? 0)));
    }

    [Fact]
    public async Task No_more_than_max_connections_deliveries_are_in_flight_at_once()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await WebhookReceiver.StartAsync(async (_, aborted) =>
        {
            await release.Task.WaitAsync(aborted);
            return 200;
        });
        await using var emulator = await BotApiEmulator.StartAsync();
        for (var i = 1; i <= 10; i++)
        {
            emulator.SendText(i, $"m{i}");
        }

        await Client(emulator).SetWebhook(receiver.Url, maxConnections: 3);
        await receiver.WaitUntilAsync(r => r.Count == 3, Wait);
        release.SetResult();
        await emulator.WaitForNoPendingUpdatesAsync(Wait);

        // Seen from both ends: requests the webhook held at once, and attempts whose [start, finish) overlap in the log.
        Assert.Equal(3, receiver.MaxConcurrent);
        Assert.Equal(3, MaxOverlap(emulator.WebhookDeliveries));
        Assert.Equal(10, receiver.Received.Select(r => r.UpdateId).Distinct().Count());
        Assert.Equal(10, emulator.WebhookDeliveries.Count);
    }

    [Theory]
    [InlineData(WebhookDeliveryOrder.UpdateId)]
    [InlineData(WebhookDeliveryOrder.PerChat)]
    public async Task Delivery_order_decides_whether_a_chats_next_update_waits_for_the_previous_answer(WebhookDeliveryOrder order)
    {
        // The webhook holds the first update of chat A until the update of chat B has arrived.
        var bArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await WebhookReceiver.StartAsync(async (update, aborted) =>
        {
            if (update.Text == "b1")
            {
                bArrived.TrySetResult();
            }
            else if (update.Text == "a1")
            {
                await bArrived.Task.WaitAsync(aborted);
            }

            return 200;
        });
        await using var emulator = await BotApiEmulator.StartAsync(new BotApiEmulatorOptions { WebhookOrder = order });
        emulator.SendText(1, "a1");
        emulator.SendText(1, "a2");
        emulator.SendText(1, "a3");
        emulator.SendText(2, "b1");

        await Client(emulator).SetWebhook(receiver.Url, maxConnections: 2);
        await emulator.WaitForNoPendingUpdatesAsync(Wait);

        var events = receiver.Events.ToList();
        var a2BeforeA1Answered = events.IndexOf("arrive a2") < events.IndexOf("answer a1");
        if (order == WebhookDeliveryOrder.PerChat)
        {
            // One update of a chat at a time: a2 waits for a1's answer, and b1 overtakes them.
            Assert.False(a2BeforeA1Answered);
            Assert.True(events.IndexOf("arrive a2") < events.IndexOf("arrive a3"));
            Assert.True(events.IndexOf("arrive b1") < events.IndexOf("answer a1"));
        }
        else
        {
            // Update id order over two connections: a2 and a3 go out while a1 is still held, b1 last.
            Assert.True(a2BeforeA1Answered);
            Assert.Equal(["arrive a2", "answer a2", "arrive a3", "answer a3", "arrive b1"], events.Where(e => !e.EndsWith("a1", StringComparison.Ordinal)).Take(5));
        }
    }

    [Fact]
    public async Task Delivery_faults_drop_or_fail_attempts_before_they_reach_the_webhook_and_catch_all_faults_spare_them()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        await bot.SetWebhook(receiver.Url, maxConnections: 1);
        emulator.Faults.Add(new Fault { Method = Fault.WebhookMethod, Kind = FaultKind.DropConnection });
        emulator.Faults.Add(new Fault { Method = Fault.WebhookMethod, Kind = FaultKind.ServerError, StatusCode = 502 });
        emulator.Faults.Add(new Fault { Kind = FaultKind.ServerError, Times = 0 }); // every Bot API call fails from now on

        emulator.SendText(5, "x");
        await emulator.WaitForNoPendingUpdatesAsync(Wait);

        var deliveries = emulator.WebhookDeliveries;
        Assert.Equal([null, 502, 200], deliveries.Select(d => d.StatusCode));
        Assert.Equal(["Webhook connection closed", "Wrong response from the webhook: 502 Bad Gateway", null], deliveries.Select(d => d.Error));
        Assert.Equal(deliveries[0].UpdateId, Assert.Single(receiver.Received).UpdateId);
        await Assert.ThrowsAsync<ApiRequestException>(() => bot.GetMe());
    }

    [Fact]
    public async Task Allowed_updates_of_setWebhook_decide_which_updates_are_created()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);
        var keyboard = await bot.SendMessage(3, "pick", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("Go", "go")));

        await bot.SetWebhook(receiver.Url, allowedUpdates: [UpdateType.CallbackQuery]);
        emulator.SendText(3, "not subscribed");
        emulator.PressButton(3, 3, keyboard.Id, "go");
        await emulator.WaitForNoPendingUpdatesAsync(Wait);

        var received = Assert.Single(receiver.Received);
        Assert.Equal("go", received.Body["callback_query"]!["data"]!.GetValue<string>());
        Assert.Equal([UpdateType.CallbackQuery], (await bot.GetWebhookInfo()).AllowedUpdates);
    }

    [Fact]
    public async Task SetWebhook_checks_the_url_and_secret_and_clamps_max_connections()
    {
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);

        var badUrl = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SetWebhook("ftp://example.com/hook"));
        var badSecret = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SetWebhook("https://example.com/hook", secretToken: "no spaces"));
        var longSecret = await Assert.ThrowsAsync<ApiRequestException>(() => bot.SetWebhook("https://example.com/hook", secretToken: new string('s', 257)));

        Assert.Equal("Bad Request: invalid webhook URL specified", badUrl.Message);
        Assert.Equal("Bad Request: secret token contains unallowed characters", badSecret.Message);
        Assert.Equal("Bad Request: secret token is too long", longSecret.Message);
        Assert.Null(emulator.WebhookUrl);

        await bot.SetWebhook("http://127.0.0.1:9/a");
        Assert.Equal(40, (await bot.GetWebhookInfo()).MaxConnections);
        await bot.SetWebhook("http://127.0.0.1:9/a", maxConnections: 500);
        Assert.Equal(100, (await bot.GetWebhookInfo()).MaxConnections);
        await bot.SetWebhook("http://127.0.0.1:9/a", maxConnections: 0);
        Assert.Equal(1, (await bot.GetWebhookInfo()).MaxConnections);
    }

    [Fact]
    public async Task Setting_the_same_webhook_again_keeps_a_delivery_in_flight()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await WebhookReceiver.StartAsync(async (_, aborted) =>
        {
            await release.Task.WaitAsync(aborted);
            return 200;
        });
        await using var emulator = await BotApiEmulator.StartAsync();
        var bot = Client(emulator);

        await bot.SetWebhook(receiver.Url, secretToken: "s");
        emulator.SendText(1, "once");
        await receiver.WaitUntilAsync(r => r.Count == 1, Wait);
        await bot.SetWebhook(receiver.Url, secretToken: "s"); // a second bot instance starting up
        release.SetResult();
        await emulator.WaitForNoPendingUpdatesAsync(Wait);

        Assert.Single(receiver.Received);
        Assert.Equal(1, Assert.Single(emulator.WebhookDeliveries).Attempt);
    }

    [Fact]
    public async Task After_WebhookMaxAttempts_failures_the_update_is_dropped()
    {
        await using var receiver = await WebhookReceiver.StartAsync((_, _) => Task.FromResult(500));
        await using var emulator = await BotApiEmulator.StartAsync(new BotApiEmulatorOptions { WebhookMaxAttempts = 3 });

        await Client(emulator).SetWebhook(receiver.Url);
        emulator.SendText(1, "doomed");
        await emulator.WaitForNoPendingUpdatesAsync(Wait);

        Assert.Equal([1, 2, 3], emulator.WebhookDeliveries.Select(d => d.Attempt));
        Assert.Equal(3, receiver.Received.Count);
        Assert.DoesNotContain(emulator.WebhookDeliveries, d => d.Delivered);
    }

    [Fact]
    public async Task Webhook_targets_must_be_http_urls()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => BotApiEmulator.StartAsync(new BotApiEmulatorOptions { WebhookTargets = ["not a url"] }));
        await using var emulator = await BotApiEmulator.StartAsync();

        Assert.Throws<ArgumentException>(() => emulator.WebhookTargets = ["ftp://example.com/hook"]);
        Assert.Null(emulator.WebhookTargets);
    }

    /// <summary>The most delivery attempts in flight at one instant; an attempt that starts as another finishes does not overlap it.</summary>
    private static int MaxOverlap(IEnumerable<WebhookDelivery> deliveries)
    {
        var edges = deliveries
            .SelectMany(d => new[] { (At: d.StartedAt, Change: 1), (At: d.FinishedAt, Change: -1) })
            .OrderBy(e => e.At)
            .ThenBy(e => e.Change);
        int current = 0, max = 0;
        foreach (var (_, change) in edges)
        {
            current += change;
            max = Math.Max(max, current);
        }

        return max;
    }

    /// <summary>A loopback port nothing listens on (it was free a moment ago).</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
