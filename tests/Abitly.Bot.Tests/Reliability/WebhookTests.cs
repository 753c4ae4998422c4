using System.Net;
using System.Text;
using System.Text.Json;
using Abitly.Bot.Hosting;
using Abitly.Bot.Rendering;
using Abitly.Bot.Telegram;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.BotApiEmulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Abitly.Bot.Tests.Reliability;

/// <summary>Webhook mode: the secret, each update once, a slow handler, and two instances behind one URL.</summary>
public sealed class WebhookTests
{
    private const string Secret = "webhook_Secret-42";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static Configuration.AbitlySettings Webhook(Configuration.AbitlySettings settings) =>
        settings with { WebhookUrl = "https://bot.example/telegram/webhook", WebhookSecret = Secret };

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, string target, string json, string? secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (secret is not null)
        {
            request.Headers.Add(WebhookEndpoint.SecretHeader, secret);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Only_the_right_secret_is_taken_a_duplicate_is_handled_once_and_junk_is_refused()
    {
        await using var host = await BotTestHost.StartAsync(Webhook);
        host.Emulator.WebhookTargets = [host.WebhookTarget];
        Assert.Contains(Secret, (await host.Emulator.WaitForCallAsync(c => c.Method == "setWebhook", Wait)).RequestJson, StringComparison.Ordinal);

        // Through the emulator, as Telegram delivers.
        host.Emulator.SendText(15001, "/help");
        Assert.Equal(Texts.Help, (await host.Emulator.WaitForBotMessageAsync(15001, timeout: Wait)).Text);

        using var http = new HttpClient { Timeout = Wait };
        var update = JsonSerializer.Serialize(UpdateReliabilityTests.Help(990001, 15002), JsonBotAPI.Options);
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(http, host.WebhookTarget, update, secret: null));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(http, host.WebhookTarget, update, "not-the-Secret"));
        Assert.Contains(host.Logs.Lines, l => l.Contains("secret token is missing", StringComparison.Ordinal));
        Assert.Contains(host.Logs.Lines, l => l.Contains("secret token is wrong", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("not-the-Secret", StringComparison.Ordinal) || l.Contains(Secret, StringComparison.Ordinal));
        Assert.Empty(host.Emulator.MessagesIn(15002));

        // Telegram retries when our 200 got lost: the same update twice, and once more after it was handled.
        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, host.WebhookTarget, update, Secret));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, host.WebhookTarget, update, Secret));
        await host.Emulator.WaitForBotMessageAsync(15002, timeout: Wait);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, host.WebhookTarget, update, Secret));
        var dispatcher = host.Services.GetRequiredService<UpdateDispatcher>();
        await FoundationTests.WaitUntilAsync(() => dispatcher.Running == 0);
        Assert.Single(host.Emulator.MessagesIn(15002), m => m.FromBot);

        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(http, host.WebhookTarget, "{\"not\":\"an update\"}", Secret));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(http, host.WebhookTarget, "{{{", Secret));
        await using var db = host.OpenDb();
        Assert.Equal(0, await db.Updates.CountAsync(u => u.HandledAt == null));
    }

    [Fact]
    public async Task A_handler_slower_than_telegrams_time_out_is_answered_at_once_and_handled_once()
    {
        await using var host = await BotTestHost.StartAsync(Webhook, emulatorOptions: new() { WebhookTimeout = TimeSpan.FromSeconds(1) });
        host.Emulator.WebhookTargets = [host.WebhookTarget];
        // The reply takes 2.5 s to send: the update's handling outlasts the 1 s Telegram waits for an answer.
        host.Emulator.Faults.Add(new Fault { Method = "sendMessage", Kind = FaultKind.Delay, DelayMs = 2500, Times = 1 });

        var sent = host.Emulator.SendText(15101, "/help");
        var reply = await host.Emulator.WaitForBotMessageAsync(15101, timeout: Wait);

        Assert.Equal(Texts.Help, reply.Text);
        var deliveries = host.Emulator.WebhookDeliveries.Where(d => d.ChatId == 15101).ToList();
        var delivery = Assert.Single(deliveries);
        Assert.True(delivery.Delivered, delivery.Error);
        Assert.True(delivery.Duration < TimeSpan.FromSeconds(1), $"the delivery took {delivery.Duration}");
        await FoundationTests.WaitUntilAsync(() => host.Services.GetRequiredService<UpdateDispatcher>().Running == 0);
        Assert.Single(host.Emulator.MessagesIn(15101), m => m.FromBot);
        Assert.NotEqual(0, sent.MessageId);
    }

    [Fact]
    public async Task Two_instances_behind_one_url_handle_every_update_once_and_each_chat_in_order()
    {
        // As the Bot API server delivers: a chat's next update goes out once the previous one was answered 200 — which the
        // bot does when the update is in its inbox, before handling it, so the next one often reaches the other instance
        // while the first is still running there.
        await using var first = await BotTestHost.StartAsync(Webhook, emulatorOptions: new() { WebhookOrder = WebhookDeliveryOrder.PerChat });
        await using var second = await first.StartAnotherInstanceAsync();
        first.Emulator.WebhookTargets = [first.WebhookTarget, second.WebhookTarget];

        var chats = Enumerable.Range(0, 12).Select(i => 15200L + i).ToArray();
        const int perChat = 5;
        for (var round = 0; round < perChat; round++)
        {
            foreach (var chat in chats)
            {
                first.Emulator.SendText(chat, round % 2 == 0 ? "/help" : "/start");
            }
        }

        await FoundationTests.WaitUntilAsync(() => chats.All(c => first.Emulator.MessagesIn(c).Count(m => m.FromBot) >= perChat));
        await FoundationTests.WaitUntilAsync(() =>
            first.Services.GetRequiredService<UpdateDispatcher>().Running == 0 && second.Services.GetRequiredService<UpdateDispatcher>().Running == 0);

        Assert.Equal(2, first.Emulator.WebhookDeliveries.Where(d => d.Delivered).Select(d => d.Target).Distinct().Count());
        await using var db = first.OpenDb();
        var updates = await db.Updates.AsNoTracking().Where(u => chats.Contains(u.ChatKey)).ToListAsync();
        Assert.Equal(chats.Length * perChat, updates.Count);
        Assert.All(updates, u => Assert.NotNull(u.HandledAt));
        foreach (var chat in chats)
        {
            // One reply per update, and in the order the user wrote: help, start, help, start, help.
            var replies = first.Emulator.MessagesIn(chat).Where(m => m.FromBot).ToList();
            Assert.Equal(perChat, replies.Count);
            Assert.Equal([true, false, true, false, true], replies.Select(r => r.Text == Texts.Help));
            var handled = updates.Where(u => u.ChatKey == chat).OrderBy(u => u.UpdateId).Select(u => u.HandledAt!.Value).ToList();
            Assert.Equal(handled.Order(), handled);
        }
    }
}
