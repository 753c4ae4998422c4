using Abitly.Bot.Callbacks;
using Abitly.Bot.Data;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.BotApiEmulator;
using Abitly.Domain.Tracking;
using Abitly.Sandbox;
using Microsoft.EntityFrameworkCore;
using static Abitly.Bot.Tests.Tracked.TrackedTestKit;

namespace Abitly.Bot.Tests.Tracked;

/// <summary>One bot host (PostgreSQL, Redis, the emulator) for the follow tests; each test uses its own users and offers.</summary>
public sealed class TrackedHostFixture : IAsyncLifetime
{
    public BotTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await BotTestHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Following offers end to end through the emulator: the ⭐ button, /tracked and its pages, settings, refusals, roll-over.</summary>
public sealed class TrackedFollowTests(TrackedHostFixture fixture) : IClassFixture<TrackedHostFixture>
{
    private BotTestHost Host => fixture.Host;

    // Budget 5 and seven applications: the cut-off is the 5th score, 170.
    private static readonly decimal[] Scores = [190m, 185m, 180m, 175m, 170m, 165m, 160m];

    [Fact]
    public async Task Follow_from_the_offer_view_list_it_in_tracked_and_unfollow_from_the_list()
    {
        const long user = 9101;
        const long offer = 3100001;
        await ImportAsync(Host, Offer(offer, 5, Scores));

        var view = await SendAsync(user, $"https://vstup.edbo.gov.ua/offer/{offer}/");
        Assert.Contains(view.ReplyMarkup!.SelectMany(r => r), b => b.Text == TrackedRenderer.FollowButton && b.CallbackData == $"tr:f:{offer}");

        var followed = await PressAsync(user, view, $"tr:f:{offer}");
        Assert.Equal(TrackedRenderer.Followed, followed.Text);
        var edited = Current(view);
        Assert.Contains(edited.ReplyMarkup!.SelectMany(r => r), b => b.Text == TrackedRenderer.UnfollowButton && b.CallbackData == $"tr:u:{offer}:v");
        await using (var db = Host.OpenDb())
        {
            var row = await db.TrackedOffers.SingleAsync(t => t.TelegramUserId == user);
            // The told standing starts as what the view showed: cut-off 170, 5 places, no personal part (unlinked).
            Assert.Equal((offer, 170m, 5, (decimal?)null, false), (row.OfferId, row.ToldCutOff, row.ToldBudgetPlaces, row.ToldScore, row.ToldWithdrawn));
        }

        var list = await SendAsync(user, "/tracked");
        Assert.Contains("Ви стежите за 1 з 20 пропозицій", list.PlainText);
        Assert.Contains("1. ЛНУ ім. Франка · C5 Соціологія та соціальні комунікації 3100001", list.PlainText);
        Assert.Contains("✂️ Прохідний 170.000 · 🎓 5 бюджетних", list.PlainText);
        Assert.Contains("Під'єднайте профіль", list.PlainText);
        Assert.DoesNotContain("📍", list.PlainText);
        Assert.Equal([[$"tr:o:{offer}", $"tr:u:{offer}:0"], ["tr:s"]], list.ReplyMarkup!.Select(r => r.Select(b => b.CallbackData).ToArray()).ToArray());

        var unfollowed = await PressAsync(user, list, $"tr:u:{offer}:0");
        Assert.Equal(TrackedRenderer.Unfollowed, unfollowed.Text);
        Assert.Equal(TrackedRenderer.None, Current(list).PlainText);
        await using (var db = Host.OpenDb())
        {
            Assert.False(await db.TrackedOffers.AnyAsync(t => t.TelegramUserId == user));
        }

        // The old view's button is stale now: pressing it says so and changes nothing.
        var stale = await PressAsync(user, view, $"tr:u:{offer}:v");
        Assert.Equal(TrackedRenderer.NotFollowing, stale.Text);
    }

    [Fact]
    public async Task A_linked_user_sees_the_place_the_side_of_the_line_and_the_gap_and_opens_the_view()
    {
        const long user = 9102;
        const long offer = 3100002;
        await ImportAsync(Host, Offer(offer, 5, Scores));
        await LinkAsync(user, DemoData.Ids.DemoWebUser);
        var view = await SendAsync(user, $"https://vstup.edbo.gov.ua/offer/{offer}/");
        await PressAsync(user, view, $"tr:f:{offer}");

        var list = await SendAsync(user, "/tracked");

        // 167.829 is below all five of 190…170: place 6 of 5 seats, 167.829 − 170 = −2.171. The entry is two lines.
        Assert.Contains("C5 Соціологія та соціальні комунікації 3100002\n📍 Місце 6 · ❌ поза бюджетом · до останнього бюджетного −2.171 · ✂️ Прохідний 170.000 · 🎓 5 бюджетних\n", list.PlainText);
        Assert.Contains("Місце — оцінка", list.PlainText);
        await using (var db = Host.OpenDb())
        {
            var row = await db.TrackedOffers.SingleAsync(t => t.TelegramUserId == user);
            Assert.Equal((DemoScore, 6, BudgetSide.Outside), (row.ToldScore, row.ToldPlace, row.ToldSide));
        }

        await PressAsync(user, list, $"tr:o:{offer}");
        var opened = await Host.Emulator.WaitForBotMessageAsync(user, m => m.MessageId > list.MessageId && m.Text!.Contains("Пропозиція 3100002", StringComparison.Ordinal), Wait);
        Assert.Contains("Місце (оцінка): <b>6</b>", opened.Text);
        Assert.Contains(opened.ReplyMarkup!.SelectMany(r => r), b => b.CallbackData == $"tr:u:{offer}:v");
    }

    [Fact]
    public async Task Presses_for_another_year_a_withdrawn_or_a_vanished_offer_are_refused_and_change_nothing()
    {
        const long user = 9103;
        const long withdrawn = 3100003;
        await ImportAsync(Host, Offer(withdrawn, 5, Scores));
        await using (var db = Host.OpenDb())
        {
            await db.Offers.Where(o => o.Id == withdrawn).ExecuteUpdateAsync(s => s.SetProperty(o => o.WithdrawnAt, DateTime.UtcNow));
        }

        var view = await SendAsync(user, $"https://vstup.edbo.gov.ua/offer/{withdrawn}/");
        Assert.DoesNotContain(view.ReplyMarkup!.SelectMany(r => r), b => b.CallbackData?.StartsWith("tr:", StringComparison.Ordinal) == true);

        // Buttons of older messages (before the withdrawal, before the roll-over, of an offer since removed).
        var answers = new[]
        {
            await PressAsync(user, view, $"tr:f:{withdrawn}"),
            await PressAsync(user, view, $"tr:f:{DemoData.Ids.LastYearOffer}"),
            await PressAsync(user, view, "tr:f:9999999"),
        };

        Assert.Equal([TrackedRenderer.Withdrawn, TrackedRenderer.OtherYear(TestServices.CampaignYear), TrackedRenderer.NotFound], answers.Select(a => a.Text));
        Assert.All(answers, a => Assert.True(a.ShowAlert));
        await using (var db = Host.OpenDb())
        {
            Assert.False(await db.TrackedOffers.AnyAsync(t => t.TelegramUserId == user));
        }
    }

    [Fact]
    public async Task The_21st_follow_is_refused_clearly_and_twenty_follows_page_under_4096_characters()
    {
        const long user = 9104;
        var offers = Enumerable.Range(0, 21).Select(i => 3101000L + i).ToArray();
        await ImportAsync(Host, [.. offers.Select(id => Offer(id, 5, Scores))]);
        await SendAsync(user, "/help");
        await using (var db = Host.OpenDb())
        {
            var now = DateTime.UtcNow;
            db.TrackedOffers.AddRange(offers[..20].Select((id, i) => new TrackedOffer { TelegramUserId = user, OfferId = id, CreatedAt = now.AddSeconds(i), ToldAt = now, ToldCutOff = 170m, ToldBudgetPlaces = 5 }));
            await db.SaveChangesAsync();
        }

        var view = await SendAsync(user, $"https://vstup.edbo.gov.ua/offer/{offers[20]}/");
        var refused = await PressAsync(user, view, $"tr:f:{offers[20]}");
        Assert.Equal(TrackedRenderer.LimitReached, refused.Text);
        Assert.True(refused.ShowAlert);
        Assert.Contains("20", refused.Text, StringComparison.Ordinal);

        var first = await SendAsync(user, "/tracked");
        Assert.Contains("Ви стежите за 20 з 20 пропозицій · сторінка 1 з 2", first.PlainText);
        var next = first.ReplyMarkup!.SelectMany(r => r).Single(b => b.Text == OpenDayRenderer.NextButton);
        Assert.Equal("tr:p:1", next.CallbackData);
        var pageOne = first.PlainText!;
        await PressAsync(user, first, "tr:p:1");
        var pageTwo = Current(first).PlainText!;
        Assert.Contains("сторінка 2 з 2", pageTwo);
        // Every followed offer is on exactly one page, numbered 1…20 in the order followed, and each page fits a message.
        var numbers = Enumerable.Range(1, 20).Select(n => $"\n{n}. ЛНУ").ToList();
        Assert.All(numbers, n => Assert.True(pageOne.Contains(n, StringComparison.Ordinal) ^ pageTwo.Contains(n, StringComparison.Ordinal), n));
        Assert.Contains("1. ЛНУ ім. Франка · C5 Соціологія та соціальні комунікації 3101000", pageOne);
        Assert.True(first.Text!.Length <= RenderedMessage.MaxLength && Current(first).Text!.Length <= RenderedMessage.MaxLength);
        await using (var db = Host.OpenDb())
        {
            Assert.Equal(20, await db.TrackedOffers.CountAsync(t => t.TelegramUserId == user));
        }
    }

    [Fact]
    public async Task Settings_choose_the_mode_and_the_place_threshold()
    {
        const long user = 9105;
        var list = await SendAsync(user, "/tracked");
        Assert.Equal(TrackedRenderer.None, list.PlainText);
        Assert.Null(list.ReplyMarkup);

        await using (var db = Host.OpenDb())
        {
            db.TrackedOffers.Add(new TrackedOffer { TelegramUserId = user, OfferId = DemoData.Ids.SociologyOffer, CreatedAt = DateTime.UtcNow, ToldAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        list = await SendAsync(user, "/tracked");
        Assert.Contains("Сповіщення: усі зміни (місце на 3+)", list.PlainText);
        await PressAsync(user, list, "tr:s");
        var settings = Current(list);
        Assert.Contains("Зараз: усі зміни (місце на 3+)", settings.PlainText);
        Assert.Contains(settings.ReplyMarkup!.SelectMany(r => r), b => b.Text == "✅ Усі зміни");

        var saved = await PressAsync(user, settings, CallbackData.Pack(new TrackedSetMode(AlertMode.Important)));
        Assert.Equal(TrackedRenderer.Saved, saved.Text);
        await PressAsync(user, settings, CallbackData.Pack(new TrackedSetThreshold(10)));
        Assert.Contains("Зараз: лише важливі (місце на 10+)", Current(list).PlainText);
        Assert.Contains(Current(list).ReplyMarkup!.SelectMany(r => r), b => b.Text == "✅ ±10");
        // A forged threshold outside the choices is a dead button.
        var forged = await PressAsync(user, settings, "tr:t:7");
        Assert.Equal(Texts.StaleButton, forged.Text);
        await using (var db = Host.OpenDb())
        {
            var preference = await db.TrackingPreferences.SingleAsync(p => p.TelegramUserId == user);
            Assert.Equal((AlertMode.Important, 10), (preference.Mode, preference.PlaceThreshold));
        }

        await PressAsync(user, settings, "tr:p:0");
        Assert.Contains("Сповіщення: лише важливі (місце на 10+)", Current(list).PlainText);
    }

    [Fact]
    public async Task After_the_roll_over_follows_of_the_past_campaign_drop_off_tracked_with_a_note()
    {
        const long user = 9106;
        const long current = 3100006;
        await ImportAsync(Host, Offer(current, 5, Scores));
        await SendAsync(user, "/help");
        await using (var db = Host.OpenDb())
        {
            var now = DateTime.UtcNow;
            db.TrackedOffers.AddRange(
                new TrackedOffer { TelegramUserId = user, OfferId = DemoData.Ids.LastYearOffer, CreatedAt = now, ToldAt = now },
                new TrackedOffer { TelegramUserId = user, OfferId = current, CreatedAt = now, ToldAt = now, ToldCutOff = 170m, ToldBudgetPlaces = 5 });
            await db.SaveChangesAsync();
        }

        var list = await SendAsync(user, "/tracked");

        Assert.StartsWith("ℹ️ Пропозиції попередньої кампанії (1) прибрано зі списку", list.PlainText);
        Assert.Contains("Ви стежите за 1 з 20", list.PlainText);
        Assert.DoesNotContain(DemoData.Ids.LastYearOffer.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Concat(list.ReplyMarkup!.SelectMany(r => r).Select(b => b.CallbackData)));
        await using (var db = Host.OpenDb())
        {
            Assert.Equal([current], await db.TrackedOffers.Where(t => t.TelegramUserId == user).Select(t => t.OfferId).ToListAsync());
        }

        // The note is said once.
        var again = await SendAsync(user, "/tracked");
        Assert.DoesNotContain("попередньої кампанії", again.PlainText);
    }

    private async Task<EmulatedMessage> SendAsync(long user, string text)
    {
        var before = Host.Emulator.MessagesIn(user).Where(m => m.FromBot).Select(m => m.MessageId).DefaultIfEmpty(0).Max();
        Host.Emulator.SendText(user, text);
        return await Host.Emulator.WaitForBotMessageAsync(user, m => m.MessageId > before, Wait);
    }

    private Task<CallbackAnswer> PressAsync(long user, EmulatedMessage message, string data) =>
        OpenDays.OpenDayTestKit.PressAsync(Host, user, message, data);

    private EmulatedMessage Current(EmulatedMessage message) => OpenDays.OpenDayTestKit.Current(Host, message);

    private async Task LinkAsync(long user, long webUserId)
    {
        await SendAsync(user, "/help");
        await using var db = Host.OpenDb();
        await db.TelegramUsers.Where(u => u.Id == user).ExecuteUpdateAsync(s => s.SetProperty(u => u.WebUserId, webUserId));
    }
}
