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
        services.AddScoped<FanOutBatchStore>();
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

        Assert.Equal((4, 1), (queued.Queued, queued.AlreadySent));
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
        Assert.Equal((4, 4, FanOutStatus.Running), (batch.Messages, batch.Recipients, batch.Status));
    }
}

public sealed class FanOutRowsOnPostgres() : FanOutRowsTests(DatabaseProvider.Postgres);

public sealed class FanOutRowsOnSqlite() : FanOutRowsTests(DatabaseProvider.Sqlite);
