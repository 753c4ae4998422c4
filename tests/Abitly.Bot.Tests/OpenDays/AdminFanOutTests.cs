using Abitly.Bot.Data;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.State;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.BotApiEmulator;
using Abitly.Domain.OpenDays;
using Abitly.Sandbox;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;
using static Abitly.Bot.Tests.OpenDays.OpenDayTestKit;

namespace Abitly.Bot.Tests.OpenDays;

/// <summary>/broadcast and /notifyOpenDaysUpdate end to end through the MessageSender and the emulator.</summary>
public sealed class AdminFanOutTests
{
    private const long Admin = BotTestHost.AdminId;

    [Fact]
    public async Task Broadcast_reaches_every_non_blocked_user_once_with_progress_and_a_second_confirm_sends_nothing()
    {
        // 31 sends at 5 per second take over 6 s, so the progress check 3.1 s in finds the broadcast still going.
        // (How far apart the edits are is ProgressEditPacingTests' subject, on a fake clock.)
        await using var host = await BotTestHost.StartAsync(s => s with { SendRatePerSecond = 5 });
        var active = Enumerable.Range(0, 30).Select(i => 7300L + i).ToArray();
        await AddUsersAsync(host, active);
        await AddUsersAsync(host, [7390, 7391], blockedAt: DateTime.UtcNow.AddDays(-1));
        const long blocksDuringBroadcast = 7329;
        host.Emulator.MarkBlocked(blocksDuringBroadcast);

        host.Emulator.SendText(Admin, "/broadcast Завтра старт вступної кампанії!");
        var preview = await host.Emulator.WaitForBotMessageAsync(Admin, m => m.Text!.Contains("Розсилка", StringComparison.Ordinal), Wait);
        // 30 users plus the admin, who wrote just now; the two blocked ones are not counted.
        Assert.Contains("для 31 користувачів", preview.PlainText);
        var confirm = preview.CallbackData.Single(d => d.StartsWith("bc:go:", StringComparison.Ordinal));

        var first = await PressAsync(host, Admin, preview, confirm);
        var second = await PressAsync(host, Admin, preview, confirm);
        Assert.Equal(BroadcastRenderer.Started, first.Text);
        Assert.Equal(BroadcastRenderer.AlreadyStarted, second.Text);

        var summary = await host.Emulator.WaitForBotMessageAsync(Admin, m => m.Text!.Contains("Підсумок розсилки", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.Contains("Надіслано: 30", summary.PlainText);
        Assert.Contains("Заблокували бота: 1", summary.PlainText);
        foreach (var user in active.Where(u => u != blocksDuringBroadcast).Append(Admin))
        {
            Assert.Single(host.Emulator.MessagesIn(user), m => m.FromBot && m.Text == "Завтра старт вступної кампанії!");
        }

        Assert.Empty(host.Emulator.MessagesIn(7390));
        Assert.Empty(host.Emulator.MessagesIn(7391));
        Assert.Contains("✅ Завершено — Розсилка: надіслано 30 з 31", Current(host, preview).PlainText);

        var progress = host.Emulator.Calls.Where(c => c.Method == "editMessageText" && c.ChatId == Admin).ToList();
        Assert.Contains(progress, c => System.Text.Json.JsonDocument.Parse(c.RequestJson).RootElement.GetProperty("text").GetString()!.Contains("⏳ Триває — Розсилка", StringComparison.Ordinal));

        await using var db = host.OpenDb();
        Assert.NotNull((await db.TelegramUsers.SingleAsync(u => u.Id == blocksDuringBroadcast)).BlockedAt);
    }

    [Fact]
    public async Task An_admin_stops_a_running_broadcast_from_its_progress_message_and_the_rest_is_not_sent()
    {
        // 40 sends at 5 per second take 8 s: the stop lands in the middle.
        await using var host = await BotTestHost.StartAsync(s => s with { SendRatePerSecond = 5 });
        var users = Enumerable.Range(0, 40).Select(i => 7500L + i).ToArray();
        await AddUsersAsync(host, users);
        const string text = "Розсилка, яку зупинять";

        host.Emulator.SendText(Admin, "/broadcast " + text);
        var preview = await host.Emulator.WaitForBotMessageAsync(Admin, m => m.Text!.Contains("Розсилка", StringComparison.Ordinal), Wait);
        await PressAsync(host, Admin, preview, preview.CallbackData.Single(d => d.StartsWith("bc:go:", StringComparison.Ordinal)));
        int Received() => users.Count(u => host.Emulator.MessagesIn(u).Any(m => m.FromBot && m.Text == text));
        await FoundationTests.WaitUntilAsync(() => Received() >= 3);

        // The progress message (the preview, edited) carries the stop button.
        EmulatedMessage progress = null!;
        await FoundationTests.WaitUntilAsync(() => (progress = Current(host, preview)).CallbackData.Any(d => d.StartsWith("fo:", StringComparison.Ordinal)));
        Assert.Contains(FanOutRenderer.StopButton, progress.ReplyMarkup!.SelectMany(r => r).Select(b => b.Text));
        var stop = await PressAsync(host, Admin, progress, progress.CallbackData.Single(d => d.StartsWith("fo:", StringComparison.Ordinal)));
        Assert.Equal(FanOutRenderer.Stopped, stop.Text);

        var summary = await host.Emulator.WaitForBotMessageAsync(Admin, m => m.Text!.Contains("Підсумок розсилки", StringComparison.Ordinal), Wait);
        Assert.Contains("Не надіслано (зупинено)", summary.PlainText);
        Assert.Contains("⏹ Зупинено", Current(host, preview).PlainText);
        Assert.Equal(FanOutRenderer.AlreadyEnded, (await PressAsync(host, Admin, progress, progress.CallbackData.Single(d => d.StartsWith("fo:", StringComparison.Ordinal)))).Text);

        await using var db = host.OpenDb();
        var batch = await db.FanOutBatches.SingleAsync(b => b.Key!.StartsWith("broadcast:"));
        await host.WaitForFanOutAsync(batch.Id);
        var rows = await db.Outbox.Where(m => m.BatchId == batch.Id).ToListAsync();
        Assert.Equal(FanOutStatus.Cancelled, (await db.FanOutBatches.AsNoTracking().SingleAsync(b => b.Id == batch.Id)).Status);
        // What the rows say went out is what the users got; the rest was cancelled, and nobody got it twice.
        Assert.Equal(rows.Count(r => r.Status == OutboxStatus.Sent), Received());
        Assert.True(Received() < users.Length, $"{Received()} got the stopped broadcast");
        Assert.Contains(rows, r => r.Status == OutboxStatus.Cancelled);
        Assert.All(users, u => Assert.True(host.Emulator.MessagesIn(u).Count(m => m.FromBot && m.Text == text) <= 1));
    }

    [Fact]
    public async Task Admin_text_with_html_and_5000_characters_is_sent_literally_in_parts()
    {
        await using var host = await BotTestHost.StartAsync();
        const long user = 7401;
        await AddUsersAsync(host, [user]);
        var words = string.Join(' ', Enumerable.Range(0, 700).Select(i => $"слово{i}"));
        var text = "<b>не тег</b> & <a href=\"x\">посилання</a> <unclosed\n" + words[..(5000 - 52)];
        Assert.True(text.Length >= 5000);

        host.Emulator.SendText(Admin, "/broadcast " + text);
        var preview = await host.Emulator.WaitForBotMessageAsync(Admin, m => m.Text!.Contains("Розсилка", StringComparison.Ordinal), Wait);
        Assert.Contains("2 повідомлення кожному", preview.PlainText);
        await PressAsync(host, Admin, preview, preview.CallbackData.Single(d => d.StartsWith("bc:go:", StringComparison.Ordinal)));
        await host.Emulator.WaitForBotMessageAsync(Admin, m => m.Text!.Contains("Підсумок розсилки", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        var parts = host.Emulator.MessagesIn(user).Where(m => m.FromBot).ToList();
        Assert.Equal(2, parts.Count);
        Assert.All(parts, p => Assert.True(p.PlainText!.Length <= 4096));
        Assert.StartsWith("<b>не тег</b> & <a href=\"x\">", parts[0].PlainText);
        Assert.Equal(Normalize(text), Normalize(parts[0].PlainText + " " + parts[1].PlainText));
        Assert.DoesNotContain(host.Emulator.Calls, c => c.Method == "sendMessage" && c.StatusCode != 200);
    }

    [Fact]
    public async Task A_non_admin_gets_nothing_of_the_admin_path()
    {
        await using var host = await BotTestHost.StartAsync();
        const long user = 7402;
        await AddUsersAsync(host, [7403]);
        host.Emulator.SendText(Admin, "/broadcast Тільки для адміна");
        var preview = await host.Emulator.WaitForBotMessageAsync(Admin, m => m.Text!.Contains("Розсилка", StringComparison.Ordinal), Wait);
        var confirm = preview.CallbackData.Single(d => d.StartsWith("bc:go:", StringComparison.Ordinal));

        host.Emulator.SendText(user, "/broadcast Привіт усім");
        host.Emulator.SendText(user, "/notifyOpenDaysUpdate");
        await FoundationTests.WaitUntilAsync(() => host.Emulator.MessagesIn(user).Count(m => m.FromBot) == 2);
        Assert.All(host.Emulator.MessagesIn(user).Where(m => m.FromBot), m => Assert.Equal(Texts.UnknownCommand, m.Text));

        // A forged press of the admin's button from the user's own chat.
        var own = host.Emulator.MessagesIn(user).First(m => m.FromBot);
        var answer = await PressAsync(host, user, own, confirm);
        Assert.Equal(Texts.StaleButton, answer.Text);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestServices.RedisConfiguration);
        Assert.True(await redis.GetDatabase().KeyExistsAsync(BroadcastDrafts.KeyPrefix + confirm["bc:go:".Length..]));
        Assert.Empty(host.Emulator.MessagesIn(7403));
        Assert.Contains(host.Logs.Lines, l => l.Contains("tried admin command", StringComparison.Ordinal));
        Assert.Contains(host.Logs.Lines, l => l.Contains("pressed admin button", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Notify_update_sends_to_matching_users_once_per_day()
    {
        await using var host = await BotTestHost.StartAsync();
        var zone = OpenDayZone.Resolve("Europe/Kyiv");
        var startOfToday = OpenDayCalendar.LocalDayRangeUtc(OpenDayCalendar.LocalToday(DateTimeOffset.UtcNow, zone), 1, zone).FromUtc.UtcDateTime;
        await AddUsersAsync(host, [7501, 7502, 7503, 7504, 7506]);
        await AddUsersAsync(host, [7505], blockedAt: DateTime.UtcNow);
        await using (var db = host.OpenDb())
        {
            await db.OpenDays.ExecuteUpdateAsync(s => s.SetProperty(o => o.UpdatedAt, startOfToday.AddHours(-3)));
            await db.OpenDays.Where(o => o.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(o => o.UpdatedAt, DateTime.UtcNow));
            // Open day 1 is KNU's, for F3.
            var knu = await DemoRows.UniversityIdAsync(db, DemoCampaign.Knu);
            var kpi = await DemoRows.UniversityIdAsync(db, DemoCampaign.Kpi);
            var computerScience = await DemoRows.SpecialityIdAsync(db, DemoCampaign.ComputerScience);
            var sociology = await DemoRows.SpecialityIdAsync(db, DemoCampaign.Sociology);
            db.FilterUniversities.AddRange(
                new FilterUniversity { TelegramUserId = 7501, UniversityId = knu },
                new FilterUniversity { TelegramUserId = 7503, UniversityId = kpi },
                new FilterUniversity { TelegramUserId = 7505, UniversityId = knu },
                new FilterUniversity { TelegramUserId = 7506, UniversityId = knu });
            db.FilterSpecialities.AddRange(
                new FilterSpeciality { TelegramUserId = 7502, SpecialityId = computerScience },
                new FilterSpeciality { TelegramUserId = 7506, SpecialityId = sociology });
            await db.SaveChangesAsync();
        }

        host.Emulator.SendText(Admin, "/notifyopendaysupdate");
        var queued = await host.Emulator.WaitForBotMessageAsync(Admin, m => m.Text!.StartsWith("Поставлено в чергу", StringComparison.Ordinal), Wait);
        Assert.Contains("повідомлень: 2 (ще 0 надіслано раніше сьогодні)", queued.PlainText);
        var summary = await host.Emulator.WaitForBotMessageAsync(Admin, m => m.Text!.Contains("Оновлення днів", StringComparison.Ordinal), Wait);
        Assert.Contains("Змінених сьогодні днів: 1", summary.PlainText);
        Assert.Contains("Збігів з фільтрами: 2, уже надіслано раніше сьогодні: 0", summary.PlainText);
        Assert.Contains("Надіслано: 2", summary.PlainText);

        host.Emulator.SendText(Admin, "/notifyOpenDaysUpdate");
        var again = await host.Emulator.WaitForBotMessageAsync(Admin, m => m.Text!.StartsWith("Надсилати нічого", StringComparison.Ordinal), Wait);
        Assert.Contains("уже надіслано (2)", again.PlainText);

        foreach (var user in new long[] { 7501, 7502 })
        {
            var update = Assert.Single(host.Emulator.MessagesIn(user), m => m.FromBot);
            Assert.Contains("Оновлено день відкритих дверей", update.PlainText);
            Assert.Contains("День відкритих дверей факультету комп'ютерних наук", update.PlainText);
        }

        foreach (var user in new long[] { 7503, 7504, 7505, 7506 })
        {
            Assert.Empty(host.Emulator.MessagesIn(user));
        }

        await using (var db = host.OpenDb())
        {
            Assert.Equal(2, await db.NotificationLog.CountAsync(l => l.Kind == OpenDayUpdatePlan.LogKind && l.RefId == 1));
        }
    }

    private static string Normalize(string value) => string.Join(' ', value.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
