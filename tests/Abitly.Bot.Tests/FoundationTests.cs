using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Abitly.Bot.Data;
using Abitly.Bot.Rendering;
using Abitly.Bot.Telegram;
using Abitly.Bot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Telegram.Bot;

namespace Abitly.Bot.Tests;

/// <summary>The host, pipeline and router end to end: emulator → bot → PostgreSQL → reply.</summary>
public sealed class FoundationTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Start_replies_with_welcome_and_stores_the_user()
    {
        await using var host = await BotTestHost.StartAsync();
        host.Emulator.SendText(5001, "/start", firstName: "Марія", username: "maria_k");

        var reply = await host.Emulator.WaitForBotMessageAsync(5001, timeout: Wait);
        Assert.Contains("Марія", reply.Text);
        Assert.Contains("/opendays", reply.Text);

        await FoundationTests.WaitForIdleAsync(host);
        await using var db = host.OpenDb();
        var user = await db.TelegramUsers.SingleAsync(u => u.Id == 5001);
        Assert.Equal("maria_k", user.Username);
        Assert.Equal("Марія", user.FirstName);
        Assert.Null(user.BlockedAt);
    }

    [Fact]
    public async Task Start_addressed_to_this_bot_in_a_group_is_answered_and_other_text_is_ignored()
    {
        await using var host = await BotTestHost.StartAsync();
        host.Emulator.SendText(5002, "просто розмова в групі https://example.com", chatId: -100777, chatType: "supergroup");
        host.Emulator.SendText(5002, "/start@OtherBot", chatId: -100777, chatType: "supergroup");
        host.Emulator.SendText(5002, "/help@AbitlyTestBot", chatId: -100777, chatType: "supergroup");

        var reply = await host.Emulator.WaitForBotMessageAsync(-100777, timeout: Wait);
        Assert.Contains("Що я вмію", reply.Text);
        await WaitForIdleAsync(host);
        Assert.Single(host.Emulator.MessagesIn(-100777), m => m.FromBot);
    }

    [Fact]
    public async Task Unknown_command_gets_a_hint_and_a_non_admin_gets_the_same_for_admin_commands()
    {
        await using var host = await BotTestHost.StartAsync();
        host.Emulator.SendText(5003, "/nosuchcommand");
        var reply = await host.Emulator.WaitForBotMessageAsync(5003, timeout: Wait);
        Assert.Equal(Texts.UnknownCommand, reply.Text);
    }

    [Fact]
    public async Task A_failing_handler_rolls_back_its_writes_apologizes_and_the_bot_keeps_going()
    {
        await using var host = await BotTestHost.StartAsync(customize: b => b.Services.AddCommand<ThrowingHandler>("explode"));
        host.Emulator.SendText(5004, "/explode");
        var apology = await host.Emulator.WaitForBotMessageAsync(5004, timeout: Wait);
        Assert.Equal(Texts.Apology, apology.Text);

        await using (var db = host.OpenDb())
        {
            Assert.False(await db.Universities.AnyAsync(u => u.Id == ThrowingHandler.UniversityId));
            // The user upsert ran in the same transaction, so it was rolled back too.
            Assert.False(await db.TelegramUsers.AnyAsync(u => u.Id == 5004));
        }

        host.Emulator.SendText(5004, "/help");
        var help = await host.Emulator.WaitForBotMessageAsync(5004, m => m.Text!.Contains("Що я вмію"), Wait);
        Assert.NotNull(help);
        Assert.Contains(host.Logs.Lines, l => l.Contains("failed; rolled back", StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_chats_updates_run_in_order_while_other_chats_proceed()
    {
        var journal = new ConcurrentQueue<string>();
        await using var host = await BotTestHost.StartAsync(customize: b =>
        {
            b.Services.AddSingleton(journal);
            b.Services.AddCommand<JournalHandler>("slow", "fast");
        });

        host.Emulator.SendText(6001, "/slow a1");
        host.Emulator.SendText(6001, "/fast a2");
        host.Emulator.SendText(6002, "/fast b1");

        await host.Emulator.WaitForBotMessageAsync(6001, m => m.Text == "done a2", Wait);
        var order = journal.ToArray();
        // b1 did not wait for chat A's slow update; a2 did.
        Assert.True(Array.IndexOf(order, "end b1") < Array.IndexOf(order, "end a1"), string.Join(",", order));
        Assert.True(Array.IndexOf(order, "end a1") < Array.IndexOf(order, "start a2"), string.Join(",", order));
    }

    [Fact]
    public async Task Handled_updates_are_not_handled_again_after_a_restart()
    {
        await using var host = await BotTestHost.StartAsync();
        host.Emulator.SendText(5005, "/help");
        await host.Emulator.WaitForBotMessageAsync(5005, timeout: Wait);

        Assert.Equal(0, await host.StopBotAsync());
        var confirmed = host.Emulator.ConfirmedOffset;
        await host.StartBotAsync();
        host.Emulator.SendText(5005, "/start");
        await host.Emulator.WaitForBotMessageAsync(5005, m => m.Text!.Contains("Вітаю"), Wait);

        await WaitUntilAsync(() => host.Emulator.ConfirmedOffset > confirmed);
        Assert.Equal(2, host.Emulator.MessagesIn(5005).Count(m => m.FromBot));
    }

    [Fact]
    public async Task Graceful_stop_finishes_in_flight_updates_and_confirms_them()
    {
        var journal = new ConcurrentQueue<string>();
        await using var host = await BotTestHost.StartAsync(customize: b =>
        {
            b.Services.AddSingleton(journal);
            b.Services.AddCommand<JournalHandler>("slow", "fast");
        });
        host.Emulator.SendText(6003, "/slow s1");
        await WaitUntilAsync(() => journal.Contains("start s1"));

        Assert.Equal(0, await host.StopBotAsync());

        Assert.Contains("end s1", journal);
        Assert.Contains(host.Emulator.MessagesIn(6003), m => m.FromBot && m.Text == "done s1");
        Assert.Equal(0, host.Emulator.PendingUpdates);
    }

    [Fact]
    public async Task Odd_updates_get_a_defined_outcome_and_never_stop_the_loop()
    {
        await using var host = await BotTestHost.StartAsync();
        const long chat = 5006;
        // A sticker in private chat → hint; an edited message, a channel post and a poll → ignored.
        host.Emulator.EnqueueRawUpdate(id => Update(id, "message", new JsonObject
        {
            ["message_id"] = 1,
            ["date"] = 1,
            ["chat"] = Chat(chat),
            ["from"] = From(chat),
            ["sticker"] = new JsonObject { ["file_id"] = "x", ["file_unique_id"] = "y", ["type"] = "regular", ["width"] = 1, ["height"] = 1, ["is_animated"] = false, ["is_video"] = false },
        }));
        host.Emulator.EnqueueRawUpdate(id => Update(id, "edited_message", new JsonObject
        {
            ["message_id"] = 2,
            ["date"] = 1,
            ["edit_date"] = 2,
            ["chat"] = Chat(chat),
            ["from"] = From(chat),
            ["text"] = "/start",
        }));
        host.Emulator.EnqueueRawUpdate(id => Update(id, "channel_post", new JsonObject
        {
            ["message_id"] = 3,
            ["date"] = 1,
            ["chat"] = new JsonObject { ["id"] = -1001, ["type"] = "channel", ["title"] = "c" },
            ["text"] = "/start",
        }));
        host.Emulator.EnqueueRawUpdate(id => Update(id, "message", new JsonObject
        {
            ["message_id"] = 4,
            ["date"] = 1,
            ["chat"] = Chat(chat),
            ["from"] = From(chat),
            ["text"] = "   ",
        }));
        host.Emulator.SendText(chat, "просто текст без посилань " + new string('я', 5000));
        var hint = await host.Emulator.WaitForBotMessageAsync(chat, timeout: Wait);
        Assert.Equal(Texts.NonTextHint, hint.Text);
        var unknownButton = host.Emulator.PressButton(chat, chat, hint.MessageId, "no-such-prefix:1");

        await host.Emulator.WaitForCallAsync(c => c.Method == "answerCallbackQuery", Wait);
        Assert.Contains(host.Emulator.CallbackAnswers, a => a.CallbackQueryId == unknownButton && a.Text == Texts.StaleButton);

        host.Emulator.SendText(chat, "/help");
        await host.Emulator.WaitForBotMessageAsync(chat, m => m.Text!.Contains("Що я вмію"), Wait);
        await WaitForIdleAsync(host);
        Assert.Equal(2, host.Emulator.MessagesIn(chat).Count(m => m.FromBot));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("failed; rolled back", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Blocking_the_bot_sets_blocked_at_and_writing_again_clears_it()
    {
        await using var host = await BotTestHost.StartAsync();
        const long chat = 5007;
        host.Emulator.SendText(chat, "/help");
        await host.Emulator.WaitForBotMessageAsync(chat, timeout: Wait);

        host.Emulator.EnqueueRawUpdate(id => Update(id, "my_chat_member", new JsonObject
        {
            ["chat"] = Chat(chat),
            ["from"] = From(chat),
            ["date"] = 1,
            ["old_chat_member"] = new JsonObject { ["status"] = "member", ["user"] = BotUser() },
            ["new_chat_member"] = new JsonObject { ["status"] = "kicked", ["user"] = BotUser(), ["until_date"] = 0 },
        }));
        await WaitUntilAsync(async () =>
        {
            await using var db = host.OpenDb();
            return (await db.TelegramUsers.SingleAsync(u => u.Id == chat)).BlockedAt is not null;
        });

        host.Emulator.SendText(chat, "/start");
        await host.Emulator.WaitForBotMessageAsync(chat, m => m.Text!.Contains("Вітаю"), Wait);
        // The reply is sent before the update's transaction commits, so wait for the commit.
        await WaitUntilAsync(async () =>
        {
            await using var db = host.OpenDb();
            return (await db.TelegramUsers.SingleAsync(u => u.Id == chat)).BlockedAt is null;
        });
    }

    [Fact]
    public async Task Health_metrics_and_commands_are_served_and_the_token_is_never_logged()
    {
        await using var host = await BotTestHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.Equal("OK", await http.GetStringAsync(new Uri("/healthcheck", UriKind.Relative)));
        var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);

        host.Emulator.SendText(5008, "/help");
        await host.Emulator.WaitForBotMessageAsync(5008, timeout: Wait);
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("abitly_updates", metrics);

        Assert.Contains(host.Emulator.Commands["default"], c => c.Command == "opendays");
        Assert.Contains(host.Emulator.Commands[$"chat:{BotTestHost.AdminId}"], c => c.Command == "broadcast");
        Assert.DoesNotContain(host.Emulator.Commands["default"], c => c.Command == "broadcast");

        Assert.NotEmpty(host.Logs.Lines);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("TEST-token_secret", StringComparison.Ordinal));
    }

    private static JsonObject Update(long id, string kind, JsonObject body) => new() { ["update_id"] = id, [kind] = body };

    private static JsonObject Chat(long id) => new() { ["id"] = id, ["type"] = "private", ["first_name"] = "T" };

    private static JsonObject From(long id) => new() { ["id"] = id, ["is_bot"] = false, ["first_name"] = "T" };

    private static JsonObject BotUser() => new() { ["id"] = 123456, ["is_bot"] = true, ["first_name"] = "Abitly" };

    internal static async Task WaitForIdleAsync(BotTestHost host)
    {
        await WaitUntilAsync(() => host.Emulator.PendingUpdates == 0
            && host.Services.GetRequiredService<UpdateDispatcher>().Running == 0);
    }

    internal static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met within 15 s");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Writes a row, then throws: the transaction must leave nothing behind.</summary>
    private sealed class ThrowingHandler(AbitlyDbContext db) : ICommandHandler
    {
        public const int UniversityId = 4242;

        public async Task HandleAsync(BotContext context, CancellationToken ct)
        {
            db.Universities.Add(new University { Id = UniversityId, Name = "x", ShortName = "x", Region = "x" });
            await db.SaveChangesAsync(ct);
            throw new InvalidOperationException("boom");
        }
    }

    /// <summary>/slow takes 1.5 s, /fast none; both journal their start and end and reply "done".</summary>
    private sealed class JournalHandler(ConcurrentQueue<string> journal) : ICommandHandler
    {
        public async Task HandleAsync(BotContext context, CancellationToken ct)
        {
            journal.Enqueue("start " + context.CommandArgs);
            if (context.Command == "slow")
            {
                await Task.Delay(1500, CancellationToken.None);
            }

            journal.Enqueue("end " + context.CommandArgs);
            context.Reply(new Abitly.Bot.Rendering.RenderedMessage("done " + context.CommandArgs));
        }
    }
}
