using Abitly.Bot.Callbacks;
using Abitly.Bot.Data;
using Abitly.Bot.Handlers;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.State;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Abitly.Bot.Tests.OpenDays.OpenDayTestKit;

namespace Abitly.Bot.Tests.Providers;

/// <summary>
/// The core flows, written once and run on both configurations the bot ships with: PostgreSQL with Redis (production)
/// and a SQLite file with in-memory state and Quartz in memory (the sandbox). Every SQL path a flow takes runs on both.
/// </summary>
public abstract class CoreFlowTests(DatabaseProvider provider) : IAsyncLifetime
{
    private const long Admin = BotTestHost.AdminId;
    private BotTestHost _host = null!;

    public async Task InitializeAsync() => _host = await BotTestHost.StartAsync(provider: provider);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Start_records_the_user_and_a_second_start_refreshes_the_row()
    {
        const long user = 61001;
        _host.Emulator.SendText(user, "/start", firstName: "Ірина", username: "iryna");
        var greeting = await _host.Emulator.WaitForBotMessageAsync(user, timeout: Wait);
        Assert.Contains("Ірина", greeting.PlainText);
        _host.Emulator.SendText(user, "/start", firstName: "Ірина", username: "iryna_new");
        await FoundationTests.WaitUntilAsync(() => _host.Emulator.MessagesIn(user).Count(m => m.FromBot) == 2);
        await FoundationTests.WaitForIdleAsync(_host);

        // The configuration under test is the one claimed: the bot's own context and state store, not just the test's.
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var botDb = scope.ServiceProvider.GetRequiredService<AbitlyDbContext>();
            Assert.Equal(provider == DatabaseProvider.Sqlite ? "Microsoft.EntityFrameworkCore.Sqlite" : "Npgsql.EntityFrameworkCore.PostgreSQL", botDb.Database.ProviderName);
            Assert.IsType(provider == DatabaseProvider.Sqlite ? typeof(MemoryKeyValueStore) : typeof(RedisKeyValueStore), scope.ServiceProvider.GetRequiredService<IKeyValueStore>());
        }

        await using var db = _host.OpenDb();
        var row = await db.TelegramUsers.SingleAsync(u => u.Id == user);
        Assert.Equal("iryna_new", row.Username);
        Assert.Equal(DateTimeKind.Utc, row.LastSeenAt.Kind);
        Assert.InRange(row.LastSeenAt, DateTime.UtcNow.AddMinutes(-2), DateTime.UtcNow.AddMinutes(1));
        Assert.True(row.LastSeenAt >= row.CreatedAt);
    }

    [Fact]
    public async Task Link_token_is_redeemed_once_and_the_offer_view_then_shows_score_and_place()
    {
        const long user = 61002;
        _host.Emulator.SendText(user, $"https://vstup.edbo.gov.ua/offer/{DemoData.Ids.SociologyOffer}/");
        var anonymous = await _host.Emulator.WaitForBotMessageAsync(user, timeout: Wait);
        Assert.Contains("Соціологія", anonymous.PlainText);
        Assert.Contains(anonymous.ReplyMarkup!.SelectMany(r => r), b => b.Text == Texts.LinkProfileButton);

        var token = await LinkingService.MintAsync(
            _host.Services.GetRequiredService<LinkTokenStore>(), DemoData.Ids.DemoWebUser, DateTimeOffset.UtcNow, LinkToken.DefaultTtl);
        _host.Emulator.SendText(user, $"/start link_{token}");
        await _host.Emulator.WaitForBotMessageAsync(user, m => m.Text == ProfileRenderer.LinkOutcome(new LinkResult(LinkOutcome.Linked, "Олена Демченко")).Html, Wait);
        _host.Emulator.SendText(user, $"/start link_{token}");
        await _host.Emulator.WaitForBotMessageAsync(user, m => m.Text == ProfileRenderer.LinkInvalid, Wait);
        await FoundationTests.WaitForIdleAsync(_host);

        _host.Emulator.SendText(user, $"https://abit-poisk.org.ua/rate{TestServices.CampaignYear}/direction/{DemoData.Ids.SociologyOffer}");
        var view = await _host.Emulator.WaitForBotMessageAsync(user, m => m.MessageId > anonymous.MessageId && m.Text!.Contains("Соціологія", StringComparison.Ordinal), Wait);
        // (0.45·186 + 0.40·167 + 0.40·168 + 0.50·152) / 1.75 = 293.7 / 1.75 = 167.829 (DESIGN.md worked example)
        Assert.Contains("<b>167.829</b>", view.Text);
        await using (var db = _host.OpenDb())
        {
            Assert.Equal(DemoData.Ids.DemoWebUser, (await db.TelegramUsers.SingleAsync(u => u.Id == user)).WebUserId);
            var higher = await IndependentRank.HigherAsync(db, DemoData.Ids.SociologyOffer, 167.829m);
            Assert.Contains($"Місце (оцінка): <b>{higher + 1}", view.Text);
            await db.OfferAnalytics.Where(a => a.OfferId == DemoData.Ids.SociologyOffer).ExecuteUpdateAsync(s => s.SetProperty(a => a.ApplicationsTotal, 777));
        }

        var refresh = view.CallbackData.Single(d => CallbackData.Unpack<OfferRefresh>(d) is not null);
        await PressAsync(_host, user, view, refresh);
        var edited = Current(_host, view);
        Assert.Equal(1, edited.EditCount);
        Assert.Contains("Заяв: 777", edited.Text);
        Assert.Contains("<b>167.829</b>", edited.Text);
    }

    [Fact]
    public async Task Followed_open_days_get_one_reminder_each_and_a_second_run_sends_nothing()
    {
        const long user = 61003;
        _host.Emulator.SendText(user, "/opendays");
        var list = await _host.Emulator.WaitForBotMessageAsync(user, timeout: Wait);
        // Demo open day 1 is tomorrow (Kyiv), open day 2 in three days: one reminder of each kind.
        Assert.Equal(OpenDayRenderer.Followed, (await PressAsync(_host, user, list, CallbackData.Pack(new OpenDayFollow(1, new OpenDaysView(0))))).Text);
        Assert.Equal(OpenDayRenderer.Followed, (await PressAsync(_host, user, list, CallbackData.Pack(new OpenDayFollow(2, new OpenDaysView(0))))).Text);

        _host.Emulator.SendText(Admin, "/runDailyNow");
        var first = await _host.Emulator.WaitForBotMessageAsync(Admin, m => m.PlainText!.StartsWith("Щоденні нагадування", StringComparison.Ordinal), Wait);
        Assert.Contains("\nНадіслано: 2\n", first.PlainText!);
        var reminders = _host.Emulator.MessagesIn(user).Where(m => m.FromBot && m.Text!.StartsWith("🔔", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, reminders.Count);
        Assert.Single(reminders, r => r.Text!.StartsWith("🔔 Завтра", StringComparison.Ordinal));

        // A second run the same day finds both already sent: it says so and queues nothing.
        _host.Emulator.SendText(Admin, "/runDailyNow");
        var second = await _host.Emulator.WaitForBotMessageAsync(Admin, m => m.PlainText!.StartsWith("Надсилати нічого", StringComparison.Ordinal), Wait);
        Assert.Contains("(2)", second.PlainText);
        Assert.Equal(2, _host.Emulator.MessagesIn(user).Count(m => m.FromBot && m.Text!.StartsWith("🔔", StringComparison.Ordinal)));
        await using var db = _host.OpenDb();
        Assert.Equal(2, await db.NotificationLog.CountAsync(l => l.TelegramUserId == user));
    }

    [Fact]
    public async Task Filters_set_in_the_dialog_decide_who_gets_an_open_day_update_once_a_day()
    {
        const long fan = 61004;
        const long other = 61005;
        _host.Emulator.SendText(fan, "/filters");
        var view = await _host.Emulator.WaitForBotMessageAsync(fan, timeout: Wait);
        await PressAsync(_host, fan, view, "fl:a:u");
        _host.Emulator.SendText(fan, "шевченка");
        var results = await _host.Emulator.WaitForBotMessageAsync(fan, m => m.Text!.StartsWith("Університети за запитом", StringComparison.Ordinal), Wait);
        await PressAsync(_host, fan, results, results.ReplyMarkup!.SelectMany(r => r).Single(b => b.Text == "КНУ ім. Шевченка").CallbackData!);
        _host.Emulator.SendText(other, "/filters");
        var otherView = await _host.Emulator.WaitForBotMessageAsync(other, timeout: Wait);
        await PressAsync(_host, other, otherView, "fl:a:s");
        _host.Emulator.SendText(other, "c4");
        var specs = await _host.Emulator.WaitForBotMessageAsync(other, m => m.Text!.StartsWith("Спеціальності за запитом", StringComparison.Ordinal), Wait);
        await PressAsync(_host, other, specs, specs.ReplyMarkup!.SelectMany(r => r).Single(b => b.Text == "C4 Психологія").CallbackData!);

        await using (var db = _host.OpenDb())
        {
            // Only open day 1 (КНУ, F3) counts as edited today.
            await db.OpenDays.ExecuteUpdateAsync(s => s.SetProperty(o => o.UpdatedAt, DateTime.UtcNow.AddDays(-2)));
            await db.OpenDays.Where(o => o.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(o => o.UpdatedAt, DateTime.UtcNow));
        }

        _host.Emulator.SendText(Admin, "/notifyOpenDaysUpdate");
        var summary = await _host.Emulator.WaitForBotMessageAsync(Admin, m => m.PlainText!.StartsWith("Оновлення днів", StringComparison.Ordinal), Wait);
        Assert.Contains("\nНадіслано: 1\n", summary.PlainText!);
        Assert.Single(_host.Emulator.MessagesIn(fan), m => m.FromBot && m.Text!.Contains("Оновлено день відкритих дверей", StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Emulator.MessagesIn(other), m => m.FromBot && m.Text!.Contains("Оновлено день відкритих дверей", StringComparison.Ordinal));

        _host.Emulator.SendText(Admin, "/notifyOpenDaysUpdate");
        var second = await _host.Emulator.WaitForBotMessageAsync(Admin, m => m.PlainText!.StartsWith("Надсилати нічого", StringComparison.Ordinal), Wait);
        Assert.Contains("(1)", second.PlainText);
        Assert.Single(_host.Emulator.MessagesIn(fan), m => m.FromBot && m.Text!.Contains("Оновлено день відкритих дверей", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Broadcast_confirmed_twice_goes_out_once_and_a_refusing_chat_is_marked_blocked()
    {
        long[] users = [61006, 61007, 61008];
        await AddUsersAsync(_host, users);
        _host.Emulator.MarkBlocked(61008);

        _host.Emulator.SendText(Admin, "/broadcast Прийом документів триває <до п'ятниці>");
        var preview = await _host.Emulator.WaitForBotMessageAsync(Admin, m => m.Text!.Contains("Розсилка", StringComparison.Ordinal), Wait);
        var confirm = preview.CallbackData.Single(d => d.StartsWith("bc:go:", StringComparison.Ordinal));
        Assert.Equal(BroadcastRenderer.Started, (await PressAsync(_host, Admin, preview, confirm)).Text);
        Assert.Equal(BroadcastRenderer.AlreadyStarted, (await PressAsync(_host, Admin, preview, confirm)).Text);

        await _host.Emulator.WaitForBotMessageAsync(Admin, m => m.Text!.Contains("Надіслано:", StringComparison.Ordinal) && m.MessageId != preview.MessageId, TimeSpan.FromSeconds(30));
        foreach (var user in users[..2])
        {
            var message = Assert.Single(_host.Emulator.MessagesIn(user), m => m.FromBot);
            Assert.Equal("Прийом документів триває <до п'ятниці>", message.PlainText);
        }

        await FoundationTests.WaitUntilAsync(async () =>
        {
            await using var db = _host.OpenDb();
            return (await db.TelegramUsers.SingleAsync(u => u.Id == 61008)).BlockedAt is not null;
        });
    }
}

/// <summary>The core flows on PostgreSQL and Redis.</summary>
public sealed class CoreFlowsOnPostgres() : CoreFlowTests(DatabaseProvider.Postgres);

/// <summary>The core flows on SQLite with in-memory state, as the sandbox runs.</summary>
public sealed class CoreFlowsOnSqlite() : CoreFlowTests(DatabaseProvider.Sqlite);
