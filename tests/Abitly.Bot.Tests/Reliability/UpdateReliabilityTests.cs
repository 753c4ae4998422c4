using System.Net;
using Abitly.Bot.Data;
using Abitly.Bot.Rendering;
using Abitly.Bot.Telegram;
using Abitly.Bot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Abitly.Bot.Tests.Reliability;

/// <summary>Each update handled once, replies recorded after commit, and no update dropped while the database is away.</summary>
public sealed class UpdateReliabilityTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>A /help update as Telegram sends it (also what the webhook tests post).</summary>
    internal static Update Help(int updateId, long chat) => new()
    {
        Id = updateId,
        Message = new Message
        {
            Id = updateId,
            Date = DateTime.UtcNow,
            Text = "/help",
            Chat = new Chat { Id = chat, Type = ChatType.Private },
            From = new User { Id = chat, FirstName = "Олена" },
            Entities = [new MessageEntity { Type = MessageEntityType.BotCommand, Offset = 0, Length = 5 }],
        },
    };

    [Fact]
    public async Task An_update_delivered_again_is_not_handled_twice_and_its_reply_is_recorded_as_sent()
    {
        await using var host = await BotTestHost.StartAsync();
        var pipeline = host.Services.GetRequiredService<UpdatePipeline>();
        const long chat = 12001;

        await pipeline.HandleAsync(Help(880001, chat), CancellationToken.None);
        await pipeline.HandleAsync(Help(880001, chat), CancellationToken.None);   // a re-delivery after a crash, or a webhook retry

        Assert.Single(host.Emulator.MessagesIn(chat), m => m.FromBot && m.Text == Texts.Help);
        await FoundationTests.WaitUntilAsync(async () =>
        {
            await using var db = host.OpenDb();
            return await db.Outbox.AnyAsync(m => m.UpdateId == 880001 && m.Status == OutboxStatus.Sent);
        });
        await using var check = host.OpenDb();
        var row = await check.Outbox.SingleAsync(m => m.UpdateId == 880001);
        Assert.Equal((OutboxLane.Reply, chat), (row.Lane, row.ChatId));
        Assert.NotNull((await check.Updates.SingleAsync(u => u.UpdateId == 880001)).HandledAt);
    }

    [Fact]
    public async Task Messages_sent_while_postgres_is_away_are_answered_once_it_is_back_and_readyz_names_it_meanwhile()
    {
        var database = await TestServices.CreateDatabaseAsync();
        var target = new NpgsqlConnectionStringBuilder(database);
        await using var proxy = new TcpProxy(target.Host!, target.Port);
        proxy.Start();
        var throughProxy = new NpgsqlConnectionStringBuilder(database) { Port = proxy.Port, Timeout = 3, CommandTimeout = 5 }.ConnectionString;
        await using var host = await BotTestHost.StartAsync(databaseConnectionString: throughProxy);
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

        proxy.Down();
        long[] chats = [12101, 12102, 12103];
        foreach (var chat in chats)
        {
            host.Emulator.SendText(chat, "/help");
        }

        // The outage shows on /readyz, the process stays up, and nobody gets an apology for it.
        string readiness = "";
        await FoundationTests.WaitUntilAsync(async () =>
        {
            using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
            readiness = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.ServiceUnavailable;
        });
        Assert.Contains("\"postgres\":\"down", readiness, StringComparison.Ordinal);
        Assert.All(chats, chat => Assert.DoesNotContain(host.Emulator.MessagesIn(chat), m => m.FromBot));

        proxy.Up();
        foreach (var chat in chats)
        {
            var reply = await host.Emulator.WaitForBotMessageAsync(chat, timeout: Wait);
            Assert.Equal(Texts.Help, reply.Text);
        }

        Assert.All(chats, chat => Assert.DoesNotContain(host.Emulator.MessagesIn(chat), m => m.FromBot && m.Text == Texts.Apology));
        await using var db = host.OpenDb();
        Assert.Equal(3, await db.TelegramUsers.CountAsync(u => chats.Contains(u.Id)));
    }
}
