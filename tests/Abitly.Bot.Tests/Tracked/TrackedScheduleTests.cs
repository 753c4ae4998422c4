using Abitly.Bot.Hosting;
using Abitly.Bot.Scheduling;
using Abitly.Bot.Services;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.Domain.OpenDays;
using Abitly.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Quartz;
using static Abitly.Bot.Tests.Tracked.TrackedTestKit;

namespace Abitly.Bot.Tests.Tracked;

/// <summary>
/// Quiet hours and the daily limit on a fake clock, against PostgreSQL: the bot's services as the host composes them (the
/// importer's nudge included), nothing started, so the clock alone decides.
/// </summary>
public sealed class TrackedScheduleTests
{
    private static readonly TimeZoneInfo Kyiv = OpenDayZone.Resolve("Europe/Kyiv");

    private static readonly decimal[] Scores = [190m, 185m, 180m, 175m, 170m, 165m, 160m];

    private static DateTimeOffset Kyiv0(int day, int hour, int minute = 0) =>
        new(TimeZoneInfo.ConvertTimeToUtc(new DateTime(2026, 7, day, hour, minute, 0, DateTimeKind.Unspecified), Kyiv), TimeSpan.Zero);

    [Fact]
    public async Task Changes_in_quiet_hours_across_midnight_go_out_at_08_00_as_one_message_of_the_newest_standing()
    {
        var clock = new FakeTimeProvider(Kyiv0(20, 12));
        await using var services = await ServicesAsync(clock);
        const long user = 9301, a = 3300001, b = 3300002;
        await ImportAsync(services, Offer(a, 5, Scores), Offer(b, 5, Scores));
        await using (var db = Db(services))
        {
            await AddUserAsync(db, user, DemoData.Ids.DemoWebUser);
        }

        await FollowAsync(services, user, a, b);

        // 23:30: the two best leave A — 167.829 moves from 6th (outside) to 4th (inside), the cut-off from 170 to 160.
        clock.SetUtcNow(Kyiv0(20, 23, 30));
        await ImportAsync(services, Offer(a, 5, [.. Scores.Skip(2)]));
        await AssertQueuedAsync(services, user, 0);
        await using (var db = Db(services))
        {
            Assert.Equal(Kyiv0(21, 8).UtcDateTime, (await db.TrackedOffers.SingleAsync(t => t.OfferId == a)).DueAt);
        }

        // 00:30, the next day: 180 leaves A too (4 left for 5 places: no cut-off, 3rd) and three 168.5s join B (6th → 9th).
        clock.SetUtcNow(Kyiv0(21, 0, 30));
        await ImportAsync(services, Offer(a, 5, [.. Scores.Skip(3)]), Offer(b, 5, [.. Scores, 168.5m, 168.5m, 168.5m]));
        clock.SetUtcNow(Kyiv0(21, 7, 59));
        Assert.Equal(0, (await RunPassAsync(services)).Queued);
        await AssertQueuedAsync(services, user, 0);

        clock.SetUtcNow(Kyiv0(21, 8));
        Assert.Equal(1, (await RunPassAsync(services)).Queued);
        await using (var db = Db(services))
        {
            var text = Plain(Assert.Single(await AlertsAsync(db, user)).Html!);
            // One message, both offers, each from what was told (before 23:30) to the newest standing.
            Assert.Contains("✅ Ви в межах бюджету: місце 3 з 5 бюджетних (без квот)", text);
            Assert.Contains("📍 Місце: 6 → 3 ⬆️", text);
            Assert.Contains("✂️ Прохідний: 170.000 → немає (заяв менше, ніж місць)", text);
            Assert.Contains("📍 Місце: 6 → 9 ⬇️", text);
            Assert.True(text.IndexOf("3300001", StringComparison.Ordinal) < text.IndexOf("3300002", StringComparison.Ordinal));
            Assert.Equal(new DateOnly(2026, 7, 21), (await db.NotificationLog.SingleAsync(l => l.TelegramUserId == user)).ForDate);
            Assert.False(await db.TrackedOffers.AnyAsync(t => t.TelegramUserId == user && t.DueAt != null));
        }

        Assert.Equal(0, (await RunPassAsync(services)).Queued);
    }

    [Fact]
    public async Task Beyond_three_messages_a_day_changes_wait_for_the_next_days_first_message()
    {
        var clock = new FakeTimeProvider(Kyiv0(20, 9));
        await using var services = await ServicesAsync(clock);
        const long user = 9302, c = 3300003;
        await ImportAsync(services, Offer(c, 5, Scores));
        await using (var db = Db(services))
        {
            await AddUserAsync(db, user);
        }

        await FollowAsync(services, user, c);
        for (var hour = 10; hour <= 14; hour++)
        {
            clock.SetUtcNow(Kyiv0(20, hour));
            await ImportAsync(services, Offer(c, hour - 4, Scores));   // 6, 7, 8, 9, 10 budget places
        }

        await AssertQueuedAsync(services, user, 3);
        await using (var db = Db(services))
        {
            Assert.Equal(Kyiv0(21, 8).UtcDateTime, (await db.TrackedOffers.SingleAsync(t => t.TelegramUserId == user)).DueAt);
        }

        // Still the same day at 21:00: due tomorrow. The next day's 08:00 pass sends what waited, merged.
        clock.SetUtcNow(Kyiv0(20, 21));
        Assert.Equal(0, (await RunPassAsync(services)).Queued);
        clock.SetUtcNow(Kyiv0(21, 8, 0));
        Assert.Equal(1, (await RunPassAsync(services)).Queued);
        await using (var db = Db(services))
        {
            var alerts = (await AlertsAsync(db, user)).Select(p => Plain(p.Html!)).ToList();
            Assert.Equal(["5 → 6", "6 → 7", "7 → 8", "8 → 10"], alerts.Select(t => t[(t.IndexOf("Бюджетних місць: ", StringComparison.Ordinal) + 17)..].Split('\n')[0]));
            var days = await db.NotificationLog.Where(l => l.TelegramUserId == user).GroupBy(l => l.ForDate).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
            Assert.Equal([(new DateOnly(2026, 7, 20), 3), (new DateOnly(2026, 7, 21), 1)], days.OrderBy(d => d.Key).Select(d => (d.Key, d.Count)));
        }
    }

    [Fact]
    public async Task The_job_polls_and_fires_at_08_00_Kyiv_time_whatever_the_season()
    {
        var services = new ServiceCollection();
        services.AddQuartz(q => q.UseInMemoryStore());
        await using var provider = services.BuildServiceProvider();
        var scheduler = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var settings = BotTestHost.DefaultSettings("http://127.0.0.1:1", "Host=unused");

        await TrackedAlertJob.EnsureTriggersAsync(scheduler, settings, TimeSpan.FromSeconds(30), CancellationToken.None);
        await TrackedAlertJob.EnsureTriggersAsync(scheduler, settings, TimeSpan.FromSeconds(10), CancellationToken.None);

        var morning = (ICronTrigger)(await scheduler.GetTrigger(TrackedAlertJob.MorningTriggerKey))!;
        // Summer (UTC+3) and winter (UTC+2), after the trigger's start; and from just before 08:00, the same morning.
        Assert.Equal(new DateTimeOffset(2030, 7, 21, 5, 0, 0, TimeSpan.Zero), morning.GetFireTimeAfter(new DateTimeOffset(2030, 7, 20, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2030, 12, 2, 6, 0, 0, TimeSpan.Zero), morning.GetFireTimeAfter(new DateTimeOffset(2030, 12, 1, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2030, 12, 2, 6, 0, 0, TimeSpan.Zero), morning.GetFireTimeAfter(new DateTimeOffset(2030, 12, 2, 5, 59, 0, TimeSpan.Zero)));
        var poll = (ISimpleTrigger)(await scheduler.GetTrigger(TrackedAlertJob.PollTriggerKey))!;
        Assert.Equal(TimeSpan.FromSeconds(10), poll.RepeatInterval);
        Assert.Equal(2, (await scheduler.GetTriggersOfJob(TrackedAlertJob.Key)).Count);
        await scheduler.Shutdown();
    }

    /// <summary>The bot's services on a fresh database with <paramref name="clock"/>; quiet hours and the limit as in production.</summary>
    private static async Task<ServiceProvider> ServicesAsync(FakeTimeProvider clock)
    {
        var settings = BotTestHost.DefaultSettings("http://127.0.0.1:1", await TestServices.CreateDatabaseAsync());
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddAbitlyServices(settings);
        services.AddSingleton<TimeProvider>(clock);
        return services.BuildServiceProvider();
    }

    private static Bot.Data.AbitlyDbContext Db(IServiceProvider services) =>
        TestServices.OpenDb(services.GetRequiredService<Bot.Configuration.AbitlySettings>().DatabaseConnectionString);

    private static async Task AssertQueuedAsync(IServiceProvider services, long user, int count)
    {
        await using var db = Db(services);
        Assert.Equal(count, (await AlertsAsync(db, user)).Count);
    }
}
