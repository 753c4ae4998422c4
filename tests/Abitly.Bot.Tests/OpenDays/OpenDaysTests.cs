using System.Text;
using Abitly.Bot.Callbacks;
using Abitly.Bot.Data;
using Abitly.Bot.Handlers;
using Abitly.Bot.Rendering;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.Domain.OpenDays;
using Microsoft.EntityFrameworkCore;
using static Abitly.Bot.Tests.OpenDays.OpenDayTestKit;

namespace Abitly.Bot.Tests.OpenDays;

/// <summary>/opendays end to end: the list in Kyiv time, follow / unfollow, paging, stale buttons.</summary>
public sealed class OpenDaysTests : IAsyncLifetime
{
    private BotTestHost _host = null!;

    public async Task InitializeAsync() => _host = await BotTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task List_shows_each_day_in_Kyiv_time_and_follow_unfollow_is_idempotent()
    {
        const long user = 7101;
        _host.Emulator.SendText(user, "/opendays");
        var list = await _host.Emulator.WaitForBotMessageAsync(user, timeout: Wait);

        await using (var db = _host.OpenDb())
        {
            var day = await db.OpenDays.SingleAsync(o => o.Id == 1);
            var local = TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(day.StartsAt, DateTimeKind.Utc)), OpenDayZone.Resolve("Europe/Kyiv"));
            Assert.Contains(Texts.LocalDateTime(local), list.PlainText);
        }

        Assert.Contains(", 11:00", list.PlainText);
        Assert.Contains("КНУ ім. Шевченка · F3 Комп'ютерні науки", list.PlainText);
        Assert.Contains("📍 Київ, просп. Глушкова, 4д", list.PlainText);
        Assert.Contains("онлайн", list.PlainText);   // open day 3 is online only
        Assert.Contains(CallbackData.Pack(new OpenDayFollow(1, new OpenDaysView(0))), list.CallbackData);

        var first = await PressAsync(_host, user, list, CallbackData.Pack(new OpenDayFollow(1, new OpenDaysView(0))));
        var second = await PressAsync(_host, user, list, CallbackData.Pack(new OpenDayFollow(1, new OpenDaysView(0))));
        Assert.Equal(OpenDayRenderer.Followed, first.Text);
        Assert.Equal(OpenDayRenderer.Followed, second.Text);
        Assert.Equal(1, await MonitoringCountAsync(user, 1));
        var edited = Current(_host, list);
        Assert.Contains(CallbackData.Pack(new OpenDayUnfollow(1, new OpenDaysView(0))), edited.CallbackData);
        Assert.Contains("✅", edited.PlainText);

        await PressAsync(_host, user, list, "od:my");
        var mine = Current(_host, list);
        Assert.StartsWith("Мої підписки", mine.PlainText);
        Assert.Contains("факультету комп'ютерних наук", mine.PlainText);
        Assert.DoesNotContain("КПІ", mine.PlainText);

        var unfollow = await PressAsync(_host, user, list, CallbackData.Pack(new OpenDayUnfollow(1, OpenDaysView.Followed)));
        await PressAsync(_host, user, list, CallbackData.Pack(new OpenDayUnfollow(1, OpenDaysView.Followed)));
        Assert.Equal(OpenDayRenderer.Unfollowed, unfollow.Text);
        Assert.Equal(0, await MonitoringCountAsync(user, 1));
        Assert.Equal(OpenDayRenderer.NoneFollowed, Current(_host, list).Text);
        AssertNoFailedUpdates(_host);
    }

    [Fact]
    public async Task Paging_shows_five_per_page_with_previous_and_next()
    {
        await using (var db = _host.OpenDb())
        {
            var now = DateTime.UtcNow;
            for (var i = 0; i < 7; i++)
            {
                db.OpenDays.Add(new OpenDay { Id = 1000 + i, UniversityId = 5, Title = $"Додатковий день {i + 1}", StartsAt = now.AddDays(20 + i), Location = "Львів", CreatedAt = now, UpdatedAt = now });
            }

            // Explicit ids: the demo data set ids 1–5 without moving the sequence. A past open day is not listed.
            db.OpenDays.Add(new OpenDay { Id = 999, UniversityId = 5, Title = "Минулий день", StartsAt = now.AddDays(-2), CreatedAt = now, UpdatedAt = now });
            await db.SaveChangesAsync();
        }

        const long user = 7102;
        _host.Emulator.SendText(user, "/opendays");
        var list = await _host.Emulator.WaitForBotMessageAsync(user, timeout: Wait);
        Assert.Contains("сторінка 1 з 3", list.PlainText);
        Assert.Equal(5, list.CallbackData.Count(d => d.StartsWith("od:f:", StringComparison.Ordinal)));
        Assert.Contains(CallbackData.Pack(new OpenDaysPage(1)), list.CallbackData);
        Assert.DoesNotContain(list.ReplyMarkup!.SelectMany(r => r), b => b.Text == OpenDayRenderer.PrevButton);

        await PressAsync(_host, user, list, CallbackData.Pack(new OpenDaysPage(1)));
        var second = Current(_host, list);
        Assert.Contains("сторінка 2 з 3", second.PlainText);
        Assert.Contains("6. ", second.PlainText);
        Assert.Contains(CallbackData.Pack(new OpenDaysPage(0)), second.CallbackData);
        Assert.Contains(CallbackData.Pack(new OpenDaysPage(2)), second.CallbackData);

        await PressAsync(_host, user, list, CallbackData.Pack(new OpenDaysPage(2)));
        var last = Current(_host, list);
        Assert.Contains("сторінка 3 з 3", last.PlainText);
        Assert.Equal(2, last.CallbackData.Count(d => d.StartsWith("od:f:", StringComparison.Ordinal)));
        Assert.DoesNotContain(last.ReplyMarkup!.SelectMany(r => r), b => b.Text == OpenDayRenderer.NextButton);
        Assert.DoesNotContain("Минулий день", last.PlainText);
        // Following from page 3 keeps page 3.
        await PressAsync(_host, user, list, last.CallbackData.First(d => d.StartsWith("od:f:", StringComparison.Ordinal)));
        Assert.Contains("сторінка 3 з 3", Current(_host, list).PlainText);
        // A page past the end (an old button after days were removed) shows the last page.
        await PressAsync(_host, user, list, CallbackData.Pack(new OpenDaysPage(9)));
        Assert.Contains("сторінка 3 з 3", Current(_host, list).PlainText);

        Assert.All(_host.Emulator.MessagesIn(user).SelectMany(m => m.CallbackData), d => Assert.True(Encoding.UTF8.GetByteCount(d) <= 64));
        AssertNoFailedUpdates(_host);
    }

    [Fact]
    public async Task Stale_button_for_a_deleted_open_day_answers_with_a_notice()
    {
        const long user = 7103;
        _host.Emulator.SendText(user, "/opendays");
        var list = await _host.Emulator.WaitForBotMessageAsync(user, timeout: Wait);
        await PressAsync(_host, user, list, CallbackData.Pack(new OpenDayFollow(3, new OpenDaysView(0))));
        await using (var db = _host.OpenDb())
        {
            await db.OpenDays.Where(o => o.Id == 3).ExecuteDeleteAsync();
        }

        var follow = await PressAsync(_host, user, list, CallbackData.Pack(new OpenDayFollow(3, new OpenDaysView(0))));
        var unfollow = await PressAsync(_host, user, list, CallbackData.Pack(new OpenDayUnfollow(3, new OpenDaysView(0))));
        var garbage = await PressAsync(_host, user, list, "od:f:x:y");

        Assert.Equal(OpenDayRenderer.Gone, follow.Text);
        Assert.Equal(OpenDayRenderer.Gone, unfollow.Text);
        Assert.Equal(Texts.StaleButton, garbage.Text);
        Assert.DoesNotContain("соціологію", Current(_host, list).PlainText);
        Assert.Equal(0, await MonitoringCountAsync(user, 3));
        AssertNoFailedUpdates(_host);
    }

    private async Task<int> MonitoringCountAsync(long user, int openDayId)
    {
        await using var db = _host.OpenDb();
        return await db.Monitoring.CountAsync(m => m.TelegramUserId == user && m.OpenDayId == openDayId);
    }
}
