using Abitly.Bot.Data;
using Abitly.Bot.FanOuts;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.Domain.OpenDays;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Abitly.Bot.Tests.Scheduling;

/// <summary>Daily open-day reminders: the pure window, the service against PostgreSQL and the emulator, and Quartz's misfire rules.</summary>
public sealed class DailyReminderTests
{
    private static readonly TimeZoneInfo Kyiv = OpenDayZone.Resolve("Europe/Kyiv");

    private static DateTime KyivToUtc(int year, int month, int day, int hour, int minute) =>
        TimeZoneInfo.ConvertTimeToUtc(new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified), Kyiv);

    [Fact]
    public void Only_open_days_one_or_three_local_days_away_are_reminded_once_per_user()
    {
        var today = new DateOnly(2026, 3, 27);   // the DST switch is on Sunday 29 March
        FollowedOpenDay Row(long user, int id, DateTime startsUtc) => new(user, new OpenDayRecord(id, $"День {id}", null, "КПІ", null, null, startsUtc, "Київ", null));
        var rows = new[]
        {
            Row(1, 1, KyivToUtc(2026, 3, 28, 0, 30)),   // tomorrow 00:30 → 1 day
            Row(1, 2, KyivToUtc(2026, 3, 30, 23, 30)),  // after the switch, 23:30 → 3 days
            Row(1, 3, KyivToUtc(2026, 3, 29, 12, 0)),   // 2 days → no
            Row(1, 4, KyivToUtc(2026, 3, 31, 9, 0)),    // 4 days → no
            Row(1, 5, KyivToUtc(2026, 3, 27, 18, 0)),   // today → no
            Row(2, 1, KyivToUtc(2026, 3, 28, 0, 30)),
            Row(2, 1, KyivToUtc(2026, 3, 28, 0, 30)),   // duplicate row → one message
        };

        var reminders = OpenDayReminderService.BuildDue(rows, today, Kyiv);

        Assert.Equal([(1L, 1, ReminderKind.OneDay), (1L, 2, ReminderKind.ThreeDays), (2L, 1, ReminderKind.OneDay)],
            reminders.Select(r => (r.TelegramUserId, r.Day.Id, r.Kind)).ToArray());
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 0, 30, 0, TimeSpan.FromHours(2)), reminders[0].Day.StartsAtLocal);
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 23, 30, 0, TimeSpan.FromHours(3)), reminders[1].Day.StartsAtLocal);
        var first = OpenDayRenderer.Reminder(reminders[0]).Html;
        Assert.StartsWith("🔔 Завтра — <b>День 1</b>", first);
        Assert.Contains("00:30 (за Києвом)", first);
        var second = OpenDayRenderer.Reminder(reminders[1]).Html;
        Assert.StartsWith("🔔 Через 3 дні — <b>День 2</b>", second);
        Assert.Contains("23:30 (за Києвом)", second);
    }

    [Fact]
    public async Task Followers_get_the_right_reminders_once_and_blocked_users_none()
    {
        // 07:00 in Kyiv on 1 December 2026 (UTC+2).
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 5, 0, 0, TimeSpan.Zero));
        await using var host = await BotTestHost.StartAsync();
        await using (var db = host.OpenDb())
        {
            var now = clock.GetUtcNow().UtcDateTime;
            db.OpenDays.AddRange(
                new OpenDay { Id = 101, UniversityId = 1, SpecialityId = 1, Title = "Завтрашній день", StartsAt = KyivToUtc(2026, 12, 2, 10, 0), Location = "Київ", CreatedAt = now, UpdatedAt = now },
                new OpenDay { Id = 102, UniversityId = 2, Title = "Через три дні", StartsAt = KyivToUtc(2026, 12, 4, 0, 30), Url = "https://kpi.ua/", CreatedAt = now, UpdatedAt = now },
                new OpenDay { Id = 103, UniversityId = 3, Title = "Через два дні", StartsAt = KyivToUtc(2026, 12, 3, 12, 0), CreatedAt = now, UpdatedAt = now });
            db.TelegramUsers.AddRange(
                new TelegramUser { Id = 31001, CreatedAt = now, UpdatedAt = now, LastSeenAt = now },
                new TelegramUser { Id = 31002, CreatedAt = now, UpdatedAt = now, LastSeenAt = now },
                new TelegramUser { Id = 31003, CreatedAt = now, UpdatedAt = now, LastSeenAt = now, BlockedAt = now });
            db.Monitoring.AddRange(
                new Monitoring { TelegramUserId = 31001, OpenDayId = 101, CreatedAt = now },
                new Monitoring { TelegramUserId = 31001, OpenDayId = 102, CreatedAt = now },
                new Monitoring { TelegramUserId = 31001, OpenDayId = 103, CreatedAt = now },
                new Monitoring { TelegramUserId = 31002, OpenDayId = 102, CreatedAt = now },
                new Monitoring { TelegramUserId = 31003, OpenDayId = 101, CreatedAt = now });
            await db.SaveChangesAsync();
        }

        var first = await RunDailyAsync(host, clock);
        Assert.Equal((3, 0), (first.Queued.Queued, first.Queued.AlreadySent));
        Assert.Equal(new FanOutTally(0, 3, 0, 0, 0), await host.WaitForFanOutAsync(first.Queued.BatchId));
        var toFirst = host.Emulator.MessagesIn(31001).Where(m => m.FromBot).Select(m => m.Text!).ToList();
        Assert.Equal(2, toFirst.Count);
        Assert.Contains(toFirst, t => t.StartsWith("🔔 Завтра — <b>Завтрашній день</b>", StringComparison.Ordinal) && t.Contains("10:00"));
        Assert.Contains(toFirst, t => t.StartsWith("🔔 Через 3 дні — <b>Через три дні</b>", StringComparison.Ordinal) && t.Contains("00:30"));
        Assert.Single(host.Emulator.MessagesIn(31002), m => m.FromBot);
        Assert.Empty(host.Emulator.MessagesIn(31003));

        var second = await RunDailyAsync(host, clock);
        Assert.Equal(new FanOutEnqueued(null, 0, 3), second.Queued);
        Assert.Equal(3, host.Emulator.Calls.Count(c => c.Method == "sendMessage" && c.ChatId is 31001 or 31002));
    }

    [Fact]
    public async Task A_failed_send_is_released_for_the_next_run()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 5, 0, 0, TimeSpan.Zero));
        await using var host = await BotTestHost.StartAsync();
        await using (var db = host.OpenDb())
        {
            var now = clock.GetUtcNow().UtcDateTime;
            db.OpenDays.Add(new OpenDay { Id = 111, UniversityId = 1, Title = "Завтра", StartsAt = KyivToUtc(2026, 12, 2, 10, 0), CreatedAt = now, UpdatedAt = now });
            db.TelegramUsers.Add(new TelegramUser { Id = 32001, CreatedAt = now, UpdatedAt = now, LastSeenAt = now });
            db.Monitoring.Add(new Monitoring { TelegramUserId = 32001, OpenDayId = 111, CreatedAt = now });
            await db.SaveChangesAsync();
        }

        // A 400 is not retried by the sender (a 5xx or 429 would be): the claim is released for a later run instead.
        host.Emulator.Faults.Add(new Abitly.BotApiEmulator.Fault { Method = "sendMessage", ChatId = 32001, Kind = Abitly.BotApiEmulator.FaultKind.ServerError, StatusCode = 400 });
        var failed = await RunDailyAsync(host, clock);
        Assert.Equal(new FanOutTally(0, 0, 0, 1, 0), await host.WaitForFanOutAsync(failed.Queued.BatchId));

        var retried = await RunDailyAsync(host, clock);
        Assert.Equal(new FanOutTally(0, 1, 0, 0, 0), await host.WaitForFanOutAsync(retried.Queued.BatchId));
        Assert.Single(host.Emulator.MessagesIn(32001), m => m.FromBot);
    }

    [Fact]
    public async Task A_run_missed_within_an_hour_fires_on_start_and_one_missed_longer_is_skipped()
    {
        var database = await TestServices.CreateDatabaseAsync();
        await using (var db = TestServices.OpenDb(database))
        {
            // Demo open days 1 and 2 are 1 and 3 Kyiv days from now.
            var now = DateTime.UtcNow;
            db.TelegramUsers.Add(new TelegramUser { Id = 33001, CreatedAt = now, UpdatedAt = now, LastSeenAt = now });
            db.Monitoring.AddRange(
                new Monitoring { TelegramUserId = 33001, OpenDayId = 1, CreatedAt = now },
                new Monitoring { TelegramUserId = 33001, OpenDayId = 2, CreatedAt = now });
            await db.SaveChangesAsync();
        }

        // First start creates the Quartz tables and the trigger; then the process is "down at 07:00".
        await using (var first = await BotTestHost.StartAsync(databaseConnectionString: database))
        {
            await first.StopBotAsync();
        }

        await SetNextFireAsync(database, DateTimeOffset.UtcNow.AddHours(-2));
        await using (var late = await BotTestHost.StartAsync(databaseConnectionString: database))
        {
            await FoundationTests.WaitUntilAsync(() => late.Logs.Lines.Any(l => l.Contains("missed by more than", StringComparison.Ordinal)));
            Assert.Empty(late.Emulator.MessagesIn(33001));
            Assert.DoesNotContain(late.Logs.Lines, l => l.Contains("Daily open-day job", StringComparison.Ordinal));
            await late.StopBotAsync();
        }

        await SetNextFireAsync(database, DateTimeOffset.UtcNow.AddMinutes(-40));
        await using var restarted = await BotTestHost.StartAsync(databaseConnectionString: database);
        await FoundationTests.WaitUntilAsync(() => restarted.Emulator.MessagesIn(33001).Count(m => m.FromBot) == 2);
        await FoundationTests.WaitUntilAsync(() => restarted.Logs.Lines.Any(l => l.Contains("Daily open-day job", StringComparison.Ordinal)));
        Assert.Single(restarted.Logs.Lines, l => l.Contains("Daily open-day job", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_several_missed_days_a_run_missed_within_the_hour_still_fires_once()
    {
        var database = await TestServices.CreateDatabaseAsync();
        await using (var db = TestServices.OpenDb(database))
        {
            var now = DateTime.UtcNow;
            db.TelegramUsers.Add(new TelegramUser { Id = 35001, CreatedAt = now, UpdatedAt = now, LastSeenAt = now });
            db.Monitoring.Add(new Monitoring { TelegramUserId = 35001, OpenDayId = 1, CreatedAt = now });
            await db.SaveChangesAsync();
        }

        // An hourly schedule whose latest run was 30 minutes ago stands in for "07:00, and it is 07:30 now".
        var minute = DateTimeOffset.UtcNow.AddMinutes(-30).Minute;
        Func<Abitly.Bot.Configuration.AbitlySettings, Abitly.Bot.Configuration.AbitlySettings> configure = s => s with { DailyJobCron = $"0 {minute} * * * ?" };
        await using (var first = await BotTestHost.StartAsync(configure, databaseConnectionString: database))
        {
            await first.StopBotAsync();
        }

        // Down for three days: the stored next fire time is far beyond the misfire threshold.
        await SetNextFireAsync(database, DateTimeOffset.UtcNow.AddDays(-3));
        await using var restarted = await BotTestHost.StartAsync(configure, databaseConnectionString: database);
        await FoundationTests.WaitUntilAsync(() => restarted.Logs.Lines.Any(l => l.Contains("Daily open-day job", StringComparison.Ordinal)));
        await FoundationTests.WaitUntilAsync(() => restarted.Emulator.MessagesIn(35001).Any(m => m.FromBot));
        Assert.Contains(restarted.Logs.Lines, l => l.Contains("running it now", StringComparison.Ordinal));
        await AssertNoFurtherFiringAsync(database);
        Assert.Single(restarted.Logs.Lines, l => l.Contains("Daily open-day job", StringComparison.Ordinal));
        Assert.Single(restarted.Emulator.MessagesIn(35001), m => m.FromBot);
    }

    [Fact]
    public async Task Two_instances_on_one_database_fire_the_job_once()
    {
        var database = await TestServices.CreateDatabaseAsync();
        await using (var first = await BotTestHost.StartAsync(databaseConnectionString: database))
        {
            await first.StopBotAsync();
        }

        await SetNextFireAsync(database, DateTimeOffset.UtcNow.AddMinutes(-10));
        var hosts = await Task.WhenAll(
            BotTestHost.StartAsync(databaseConnectionString: database),
            BotTestHost.StartAsync(databaseConnectionString: database));
        try
        {
            await FoundationTests.WaitUntilAsync(() => hosts.Any(h => h.Logs.Lines.Any(l => l.Contains("Daily open-day job", StringComparison.Ordinal))));
            await AssertNoFurtherFiringAsync(database);
            Assert.Equal(1, hosts.Sum(h => h.Logs.Lines.Count(l => l.Contains("Daily open-day job", StringComparison.Ordinal))));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Run_daily_now_is_for_admins_and_answers_with_the_result()
    {
        await using var host = await BotTestHost.StartAsync();
        await using (var db = host.OpenDb())
        {
            var now = DateTime.UtcNow;
            db.TelegramUsers.Add(new TelegramUser { Id = 34001, CreatedAt = now, UpdatedAt = now, LastSeenAt = now });
            db.Monitoring.Add(new Monitoring { TelegramUserId = 34001, OpenDayId = 1, CreatedAt = now });
            await db.SaveChangesAsync();
        }

        host.Emulator.SendText(34002, "/runDailyNow");
        Assert.Equal(Abitly.Bot.Rendering.Texts.UnknownCommand, (await host.Emulator.WaitForBotMessageAsync(34002, timeout: TimeSpan.FromSeconds(15))).Text);

        host.Emulator.SendText(BotTestHost.AdminId, "/runDailyNow");
        var queued = await host.Emulator.WaitForBotMessageAsync(BotTestHost.AdminId, timeout: TimeSpan.FromSeconds(20));
        Assert.StartsWith("Поставлено в чергу повідомлень: <b>1</b>", queued.Text, StringComparison.Ordinal);
        var summary = await host.Emulator.WaitForBotMessageAsync(BotTestHost.AdminId, m => m.Text!.StartsWith("<b>Щоденні нагадування</b>", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Contains("до відправки 1 (ще 0 надіслано раніше сьогодні)", summary.Text);
        Assert.Contains("\nНадіслано: 1\n", summary.Text);
        Assert.Single(host.Emulator.MessagesIn(34001), m => m.FromBot && m.Text!.StartsWith("🔔 Завтра", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Emulator.MessagesIn(34002), m => m.FromBot && m.Text!.StartsWith("🔔", StringComparison.Ordinal));
    }

    /// <summary>The service as the job runs it, but on a fixed calendar day; the sender keeps real time for its pacing.</summary>
    private static async Task<DailyRunResult> RunDailyAsync(BotTestHost host, TimeProvider clock)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var run = new DailyReminderRun(
            new OpenDayReminderService(services.GetRequiredService<OpenDayStore>(), new LocalCalendar(host.Settings, clock)),
            services.GetRequiredService<NotificationFanOut>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<DailyReminderRun>.Instance);
        return await run.RunAsync(adminChatId: null, CancellationToken.None);
    }

    /// <summary>
    /// Instead of waiting to see whether a second run shows up: once no firing is in flight (Quartz deletes a fired trigger's
    /// row when its run ends) and the trigger's next fire time is in the future, no other run can be under way or due.
    /// </summary>
    private static async Task AssertNoFurtherFiringAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        async Task<long> ScalarAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        // Only the daily trigger's firings: other jobs (the simulation's and the alerts' catch-up) fire on their own schedules.
        await FoundationTests.WaitUntilAsync(async () => await ScalarAsync("SELECT count(*) FROM qrtz_fired_triggers WHERE trigger_name = 'daily-open-days-cron'") == 0);
        var next = new DateTimeOffset(await ScalarAsync("SELECT next_fire_time FROM qrtz_triggers WHERE trigger_name = 'daily-open-days-cron'"), TimeSpan.Zero);
        Assert.True(next > DateTimeOffset.UtcNow, $"the trigger is still due at {next:u}");
    }

    /// <summary>What a process that was down would find: the stored trigger's next fire time in the past.</summary>
    private static async Task SetNextFireAsync(string database, DateTimeOffset at)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE qrtz_triggers SET next_fire_time = @t WHERE trigger_name = 'daily-open-days-cron'", connection);
        command.Parameters.AddWithValue("t", at.UtcTicks);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
