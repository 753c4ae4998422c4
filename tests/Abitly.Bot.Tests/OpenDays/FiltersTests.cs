using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.State;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.Domain.Filters;
using Abitly.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using static Abitly.Bot.Tests.OpenDays.OpenDayTestKit;

namespace Abitly.Bot.Tests.OpenDays;

/// <summary>/filters end to end: the search dialog with its state in Redis, bad input, other people's buttons.</summary>
public sealed class FiltersTests : IAsyncLifetime
{
    private BotTestHost _host = null!;
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync()
    {
        _host = await BotTestHost.StartAsync();
        _redis = await ConnectionMultiplexer.ConnectAsync(TestServices.RedisConfiguration);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Dialog_waits_across_a_restart_then_pick_remove_and_clear_work()
    {
        const long user = 7201;
        await _redis.GetDatabase().KeyDeleteAsync(FilterDialogStore.Key(user));
        _host.Emulator.SendText(user, "/filters");
        var view = await _host.Emulator.WaitForBotMessageAsync(user, timeout: Wait);
        Assert.Contains("Фільтрів ще немає", view.PlainText);

        await PressAsync(_host, user, view, "fl:a:u");
        await _host.Emulator.WaitForBotMessageAsync(user, m => m.Text == FiltersRenderer.Ask(FilterDialog.Start(FilterDimension.University)).Html, Wait);
        var ttl = await _redis.GetDatabase().KeyTimeToLiveAsync(FilterDialogStore.Key(user));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));

        Assert.Equal(0, await _host.StopBotAsync());
        await _host.StartBotAsync();

        _host.Emulator.SendText(user, "кпі");
        var results = await _host.Emulator.WaitForBotMessageAsync(user, m => m.Text!.StartsWith("Університети за запитом", StringComparison.Ordinal), Wait);
        var kpi = results.ReplyMarkup!.SelectMany(r => r).Single(b => b.Text == "КПІ ім. Сікорського");
        await PressAsync(_host, user, results, kpi.CallbackData!);
        var picked = Current(_host, results);
        Assert.Contains(FiltersRenderer.Added(new FilterChoice(0, "КПІ ім. Сікорського", null)), picked.Text);
        Assert.Contains("Університети: КПІ ім. Сікорського", picked.PlainText);
        Assert.False(await _redis.GetDatabase().KeyExistsAsync(FilterDialogStore.Key(user)));
        // The dialog is over: plain text is ignored again, and the old result button is stale.
        var stale = await PressAsync(_host, user, results, kpi.CallbackData!);
        Assert.Equal(FiltersRenderer.DialogStale, stale.Text);

        // A speciality by code, case-insensitive.
        await PressAsync(_host, user, picked, "fl:a:s");
        _host.Emulator.SendText(user, "f3");
        var specs = await _host.Emulator.WaitForBotMessageAsync(user, m => m.Text!.StartsWith("Спеціальності за запитом", StringComparison.Ordinal), Wait);
        await PressAsync(_host, user, specs, specs.ReplyMarkup!.SelectMany(r => r).Single(b => b.Text == "F3 Комп'ютерні науки").CallbackData!);
        int kpiId;
        await using (var db = _host.OpenDb())
        {
            kpiId = await DemoRows.UniversityIdAsync(db, DemoCampaign.Kpi);
            Assert.Equal([kpiId], await db.FilterUniversities.Where(f => f.TelegramUserId == user).Select(f => f.UniversityId).ToListAsync());
            Assert.Equal([await DemoRows.SpecialityIdAsync(db, DemoCampaign.ComputerScience)], await db.FilterSpecialities.Where(f => f.TelegramUserId == user).Select(f => f.SpecialityId).ToListAsync());
        }

        var both = Current(_host, specs);
        await PressAsync(_host, user, both, $"fl:r:u:{kpiId}");
        Assert.Contains("Університети: будь-які", Current(_host, specs).PlainText);
        await PressAsync(_host, user, both, "fl:clr");
        Assert.Contains(FiltersRenderer.Cleared, Current(_host, specs).Text);
        await using (var db = _host.OpenDb())
        {
            Assert.False(await db.FilterSpecialities.AnyAsync(f => f.TelegramUserId == user));
        }

        AssertNoFailedUpdates(_host);
    }

    [Fact]
    public async Task Search_of_one_and_of_ten_thousand_characters()
    {
        const long user = 7202;
        _host.Emulator.SendText(user, "/filters");
        var view = await _host.Emulator.WaitForBotMessageAsync(user, timeout: Wait);
        await PressAsync(_host, user, view, "fl:a:s");

        _host.Emulator.SendText(user, "F");
        await _host.Emulator.WaitForBotMessageAsync(user, m => m.Text == FiltersRenderer.QueryTooShort, Wait);

        var huge = "Право" + new string('ж', 9_995);
        _host.Emulator.SendText(user, huge);
        var notFound = await _host.Emulator.WaitForBotMessageAsync(user, m => m.Text!.StartsWith("За запитом", StringComparison.Ordinal), Wait);
        Assert.Contains("«Право" + new string('ж', 95) + "»", notFound.PlainText);

        // Still waiting: a proper query now finds it.
        _host.Emulator.SendText(user, "  право ");
        var found = await _host.Emulator.WaitForBotMessageAsync(user, m => m.Text!.StartsWith("Спеціальності за запитом", StringComparison.Ordinal), Wait);
        Assert.Contains(found.ReplyMarkup!.SelectMany(r => r), b => b.Text == "D8 Право");
        Assert.True(found.ReplyMarkup!.SelectMany(r => r).Count() <= 9);
        AssertNoFailedUpdates(_host);
    }

    [Fact]
    public async Task A_button_of_someone_elses_dialog_gets_a_notice()
    {
        const long owner = 7203;
        const long stranger = 7204;
        _host.Emulator.SendText(owner, "/filters");
        var view = await _host.Emulator.WaitForBotMessageAsync(owner, timeout: Wait);
        await PressAsync(_host, owner, view, "fl:a:u");
        _host.Emulator.SendText(owner, "львів");
        var results = await _host.Emulator.WaitForBotMessageAsync(owner, m => m.Text!.StartsWith("Університети за запитом", StringComparison.Ordinal), Wait);
        Assert.Contains(results.ReplyMarkup!.SelectMany(r => r), b => b.Text == "Львівська політехніка");

        var pick = results.CallbackData.First(d => d.StartsWith("fl:p:", StringComparison.Ordinal));
        var answer = await PressAsync(_host, stranger, results, pick);
        var cancel = await PressAsync(_host, stranger, results, results.CallbackData.Single(d => d.StartsWith("fl:x:", StringComparison.Ordinal)));

        Assert.Equal(FiltersRenderer.DialogStale, answer.Text);
        Assert.Equal(FiltersRenderer.DialogStale, cancel.Text);
        await using var db = _host.OpenDb();
        Assert.False(await db.FilterUniversities.AnyAsync(f => f.TelegramUserId == stranger || f.TelegramUserId == owner));
        Assert.True(await _redis.GetDatabase().KeyExistsAsync(FilterDialogStore.Key(owner)));
    }

    [Fact]
    public async Task Without_Redis_the_dialog_says_temporarily_unavailable()
    {
        await using var host = await BotTestHost.StartAsync(customize: b => b.Services.AddSingleton<IConnectionMultiplexer>(_ =>
            ConnectionMultiplexer.Connect(new ConfigurationOptions { EndPoints = { "127.0.0.1:1" }, AbortOnConnectFail = false, ConnectTimeout = 500, SyncTimeout = 500, AsyncTimeout = 500 })));
        const long user = 7205;
        host.Emulator.SendText(user, "/filters");
        var view = await host.Emulator.WaitForBotMessageAsync(user, timeout: Wait);
        var answer = await PressAsync(host, user, view, "fl:a:u");
        Assert.Equal(Texts.TemporarilyUnavailable, answer.Text);

        host.Emulator.SendText(user, "кпі");
        await host.Emulator.WaitForBotMessageAsync(user, m => m.Text == Texts.TemporarilyUnavailable, Wait);
        AssertNoFailedUpdates(host);
    }
}
