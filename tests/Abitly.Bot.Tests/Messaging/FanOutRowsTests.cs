using Abitly.Bot.Data;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Tests.Messaging;

/// <summary>
/// <see cref="NotificationFanOut.EnqueueOnceAsync"/>'s outbox rows, on both providers (PostgreSQL writes them in one
/// statement from each message's one serialized form): each row must be the message serialized for its chat, in the order
/// given, with its claim.
/// </summary>
public abstract class FanOutRowsTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2026, 12, 1);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 5, 0, 0, TimeSpan.Zero));
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var cs = provider == DatabaseProvider.Sqlite ? await TestServices.CreateSqliteDatabaseAsync() : await TestServices.CreateDatabaseAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAbitlyDatabase(provider, cs);
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton<OutboxSignal>();
        services.AddScoped<NotificationFanOut>();
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Each_claimed_key_gets_its_message_for_its_chat_in_the_order_given()
    {
        var shared = new RenderedMessage("🔔 Завтра — <b>День відкритих дверей</b>\n📍 Київ, «КПІ» & \"лапки\"");
        var own = new RenderedMessage("<b>Зміни</b> \\ у ваших пропозиціях",
            new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData("🔎 1", "track:o:1402003")]]));
        KeyedNotification Note(long chat, string kind, long reference, RenderedMessage message) => new(new NotificationKey(chat, kind, reference), message, "test");
        var claimedBefore = Note(70004, "open_day_reminder_1d", 11, shared);
        var notifications = new[]
        {
            Note(70003, "open_day_reminder_1d", 11, shared),
            Note(-1001234567890, "open_day_reminder_1d", 11, shared),
            claimedBefore,
            Note(70001, "tracked_alert", 5, own),
            Note(70002, "open_day_reminder_3d", 12, shared),
            Note(70003, "open_day_reminder_3d", 12, shared),
        };
        await using (var scope = _services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<INotificationClaims>().ClaimAsync([claimedBefore.Key], Day, CancellationToken.None);
        }

        FanOutEnqueued queued;
        await using (var scope = _services.CreateAsyncScope())
        {
            queued = await scope.ServiceProvider.GetRequiredService<NotificationFanOut>().EnqueueOnceAsync("open_day_reminder", Day, notifications, null, CancellationToken.None);
        }

        Assert.Equal((5, 1), (queued.Queued, queued.AlreadySent));
        await using var check = _services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<AbitlyDbContext>();
        var rows = await db.Outbox.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
        var expected = notifications.Where(n => n != claimedBefore).ToList();
        Assert.Equal(
            expected.Select(n => (n.Key.TelegramUserId, OutboxPayload.Message(n.Key.TelegramUserId, n.Message).ToJson(), n.Key.Kind, n.Key.RefId)),
            rows.Select(r => (r.ChatId, r.Payload, r.ClaimKind!, r.ClaimRef!.Value)));
        var now = _clock.GetUtcNow().UtcDateTime;
        Assert.All(rows, r => Assert.Equal(
            (OutboxLane.FanOut, "open_day_reminder", queued.BatchId, OutboxStatus.Pending, 0, (DateOnly?)Day, now, now, (long?)null),
            (r.Lane, r.Kind, r.BatchId, r.Status, r.Attempts, r.ClaimDate, r.NotBefore, r.CreatedAt, r.UpdateId)));
        var batch = await db.FanOutBatches.AsNoTracking().SingleAsync(b => b.Id == queued.BatchId);
        // Five messages to four chats (70003 gets two).
        Assert.Equal((5, 4, FanOutStatus.Running, (string?)null), (batch.Messages, batch.Recipients, batch.Status, batch.Heading));

        // Run again: every key is claimed now, so nothing is queued and, with no admin waiting for a summary, no batch is written.
        await using (var scope = _services.CreateAsyncScope())
        {
            var again = await scope.ServiceProvider.GetRequiredService<NotificationFanOut>().EnqueueOnceAsync("open_day_reminder", Day, notifications, null, CancellationToken.None);
            Assert.Equal(new FanOutEnqueued(null, 0, 6), again);
        }

        Assert.Equal(5, await db.Outbox.CountAsync());
        Assert.Equal(1, await db.FanOutBatches.CountAsync());
    }

    [Fact]
    public async Task An_admins_fan_out_gets_a_batch_with_its_heading_even_when_everything_was_sent_before()
    {
        var message = new RenderedMessage("✏️ Оновлено день відкритих дверей");
        var notifications = new[] { new KeyedNotification(new NotificationKey(70011, "open_day_update", 21), message, "test"), new KeyedNotification(new NotificationKey(70012, "open_day_update", 21), message, "test") };
        var origin = new FanOutOrigin(BotTestHost.AdminId, (queued, before) => $"{queued} now, {before} before", ProgressMessageId: 77);
        FanOutEnqueued first, second;
        await using (var scope = _services.CreateAsyncScope())
        {
            first = await scope.ServiceProvider.GetRequiredService<NotificationFanOut>().EnqueueOnceAsync("open_day_update", Day, notifications, origin, CancellationToken.None);
        }

        await using (var scope = _services.CreateAsyncScope())
        {
            second = await scope.ServiceProvider.GetRequiredService<NotificationFanOut>().EnqueueOnceAsync("open_day_update", Day, notifications, origin, CancellationToken.None);
        }

        Assert.Equal((2, 0), (first.Queued, first.AlreadySent));
        Assert.Equal((0, 2), (second.Queued, second.AlreadySent));
        await using var check = _services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<AbitlyDbContext>();
        var batches = await db.FanOutBatches.AsNoTracking().OrderBy(b => b.Id).ToListAsync();
        var now = _clock.GetUtcNow().UtcDateTime;
        Assert.Equal(
            [
                (first.BatchId, "2 now, 0 before", 2, 2, FanOutStatus.Running, (DateTime?)null, (long?)BotTestHost.AdminId, (int?)77),
                (second.BatchId, "0 now, 2 before", 0, 0, FanOutStatus.Finished, now, BotTestHost.AdminId, 77),
            ],
            batches.Select(b => ((long?)b.Id, b.Heading, b.Messages, b.Recipients, b.Status, b.FinishedAt, b.AdminChatId, b.ProgressMessageId)));
        Assert.Equal(2, await db.Outbox.CountAsync(m => m.BatchId == first.BatchId));
    }
}

public sealed class FanOutRowsOnPostgres() : FanOutRowsTests(DatabaseProvider.Postgres);

public sealed class FanOutRowsOnSqlite() : FanOutRowsTests(DatabaseProvider.Sqlite);
