using Abitly.Bot.Data;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.Domain.Tracking;
using Abitly.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Abitly.Bot.Tests.Tracked.TrackedTestKit;

namespace Abitly.Bot.Tests.Tracked;

/// <summary>
/// Alerts after import runs, against real PostgreSQL, with the bot running: what triggers, what the message says, who is
/// skipped, and exactly once (two passes at once, a crash before the commit, a run completed while the bot was down).
/// Quiet hours and the daily limit are off here (they depend on the clock): TrackedScheduleTests has them on a fake one.
/// </summary>
public sealed class TrackedAlertTests
{
    // Budget 5 and seven applications: the cut-off is the 5th score, 170; the demo user's 167.829 is 6th, outside.
    private static readonly decimal[] Scores = [190m, 185m, 180m, 175m, 170m, 165m, 160m];

    private static Task<BotTestHost> StartAsync(TimeSpan? poll = null) =>
        BotTestHost.StartAsync(customize: b => b.Services.AddSingleton(new TrackedAlertOptions(AlertWindow.Always, poll ?? TimeSpan.FromHours(1))));

    [Fact]
    public async Task A_run_that_crosses_the_budget_line_queues_one_message_and_an_identical_run_nothing()
    {
        await using var host = await StartAsync();
        const long user = 9201;
        const long a = 3200001, b = 3200002;
        await ImportAsync(host, Offer(a, 5, Scores), Offer(b, 5, Scores));
        await using (var db = host.OpenDb())
        {
            await AddUserAsync(db, user, DemoData.Ids.DemoWebUser);
        }

        await FollowAsync(host.Services, user, a, b);

        // The two best cancel: 180, 175, 170, 165, 160 stay, so the cut-off is 160 and 167.829 is 4th — inside.
        var revision = Offer(a, 5, Scores) with
        {
            Applications = [Application(1, 190m, "Скасовано вступником"), Application(2, 185m, "Скасовано вступником"), .. Offer(a, 5, Scores).Applications.Skip(2)],
        };
        var report = await ImportAsync(host, revision);

        await using (var db = host.OpenDb())
        {
            var alert = Assert.Single(await AlertsAsync(db, user));
            var text = Plain(alert.Html!);
            Assert.StartsWith(TrackedRenderer.AlertTitle, text);
            Assert.Contains("1. ЛНУ ім. Франка · C5 Соціологія та соціальні комунікації 3200001", text);
            Assert.Contains("✅ Ви в межах бюджету: місце 4 з 5 бюджетних (без квот)", text);
            Assert.Contains("✂️ Прохідний: 170.000 → 160.000 (−10.000)", text);
            Assert.DoesNotContain("📍 Місце:", text);      // 6 → 4 is under the threshold of 3
            Assert.DoesNotContain("3200002", text);        // unchanged
            Assert.Contains("Місце — оцінка", text);
            Assert.Equal([["tr:o:3200001", "tr:u:3200001:a"]], Buttons(alert));

            var told = await db.TrackedOffers.SingleAsync(t => t.TelegramUserId == user && t.OfferId == a);
            Assert.Equal((160m, 4, BudgetSide.Inside, (DateTime?)null), (told.ToldCutOff, told.ToldPlace, told.ToldSide, told.DueAt));
            // /tracked's "since the previous run": 6 before this run, 4 after it.
            Assert.Equal((report.RunId, 4, 6), (told.SeenRunId, told.SeenPlace, told.PreviousPlace));
            var pass = await db.TrackedAlertPasses.SingleAsync(p => p.ThroughRunId == report.RunId);
            Assert.Equal((1, 0), (pass.UsersAlerted, pass.UsersHeld));
            var claim = await db.NotificationLog.SingleAsync(l => l.TelegramUserId == user);
            Assert.Equal((TrackedAlertService.LogKind, pass.Id), (claim.Kind, claim.RefId));
            Assert.Equal(TrackedAlertService.LogKind, (await db.FanOutBatches.SingleAsync(f => f.Id == pass.FanOutBatchId)).Kind);
        }

        Assert.Contains("📍 Місце 4 (було 6) · ✅ у межах бюджету", await TrackedTextAsync(host, user));

        var again = await ImportAsync(host, revision);
        Assert.Equal((0, 1), (again.Changed, again.Unchanged));
        await using (var db = host.OpenDb())
        {
            Assert.Single(await AlertsAsync(db, user));
        }

        // A run that changes the list below the user (a 100 joins) leaves the place at 4 and the cut-off at 160: no alert,
        // and /tracked no longer shows a "before", since the place did not move in the newest run.
        await ImportAsync(host, revision with { Applications = [.. revision.Applications, Application(8, 100m)] });
        await using (var db = host.OpenDb())
        {
            Assert.Single(await AlertsAsync(db, user));
        }

        var list = await TrackedTextAsync(host, user);
        Assert.Contains("📍 Місце 4 · ✅ у межах бюджету", list);
        Assert.DoesNotContain("було", list);

        // The outbox workers deliver the one alert through the Bot API; its ✖ stops following and leaves the alert as it was.
        var delivered = await host.Emulator.WaitForBotMessageAsync(user, m => m.PlainText!.StartsWith(TrackedRenderer.AlertTitle, StringComparison.Ordinal), Wait);
        Assert.Contains("✅ Ви в межах бюджету: місце 4 з 5 бюджетних (без квот)", delivered.PlainText);
        var answer = await OpenDays.OpenDayTestKit.PressAsync(host, user, delivered, $"tr:u:{a}:a");
        Assert.Equal(TrackedRenderer.Unfollowed, answer.Text);
        Assert.Equal(delivered.Text, OpenDays.OpenDayTestKit.Current(host, delivered).Text);
        Assert.Single(host.Emulator.MessagesIn(user), m => m.PlainText!.StartsWith(TrackedRenderer.AlertTitle, StringComparison.Ordinal));
        await using (var db = host.OpenDb())
        {
            Assert.Equal([b], await db.TrackedOffers.Where(t => t.TelegramUserId == user).Select(t => t.OfferId).ToListAsync());
        }
    }

    [Fact]
    public async Task Unlinked_followers_hear_only_of_the_cut_off_and_a_user_who_unlinks_falls_back_to_it()
    {
        await using var host = await StartAsync();
        const long linked = 9202, unlinked = 9203;
        const long c = 3200003;
        await ImportAsync(host, Offer(c, 5, Scores));
        await using (var db = host.OpenDb())
        {
            await AddUserAsync(db, linked, DemoData.Ids.DemoWebUser);
            await AddUserAsync(db, unlinked);
        }

        await FollowAsync(host.Services, linked, c);
        await FollowAsync(host.Services, unlinked, c);

        // Three new 168.5s: the top five (cut-off 170) stay, the demo user drops from 6th to 9th.
        decimal[] rev1 = [.. Scores, 168.5m, 168.5m, 168.5m];
        await ImportAsync(host, Offer(c, 5, rev1));
        await using (var db = host.OpenDb())
        {
            var alert = Plain(Assert.Single(await AlertsAsync(db, linked)).Html!);
            Assert.Contains("📍 Місце: 6 → 9 ⬇️", alert);
            Assert.DoesNotContain("Прохідний", alert);
            Assert.Empty(await AlertsAsync(db, unlinked));
            await db.TelegramUsers.Where(u => u.Id == linked).ExecuteUpdateAsync(s => s.SetProperty(u => u.WebUserId, (long?)null));
        }

        // Ten new 168.6s would move a linked user by ten places; the cut-off stays. Then 190 cancels: the cut-off is the
        // fifth of 185, 180, 175, 170, 168.6… = 168.6, down 1.4.
        decimal[] rev2 = [.. rev1, .. Enumerable.Repeat(168.6m, 10)];
        await ImportAsync(host, Offer(c, 5, rev2));
        await using (var db = host.OpenDb())
        {
            Assert.Single(await AlertsAsync(db, linked));
            Assert.Empty(await AlertsAsync(db, unlinked));
        }

        await ImportAsync(host, Offer(c, 5, rev2) with { Applications = [Application(1, 190m, "Відмова"), .. Offer(c, 5, rev2).Applications.Skip(1)] });
        await using (var db = host.OpenDb())
        {
            foreach (var user in new[] { linked, unlinked })
            {
                var alerts = await AlertsAsync(db, user);
                var text = Plain(alerts[^1].Html!);
                Assert.Contains("✂️ Прохідний: 170.000 → 168.600 (−1.400)", text);
                Assert.DoesNotContain("📍", text);
                Assert.DoesNotContain("Місце — оцінка", text);
            }

            Assert.Equal(2, (await AlertsAsync(db, linked)).Count);
        }
    }

    [Fact]
    public async Task Seats_and_withdrawal_alert_in_important_mode_off_hears_nothing_and_turning_on_starts_from_now()
    {
        await using var host = await StartAsync();
        const long important = 9204, off = 9205;
        const long d = 3200004, e = 3200005;
        await ImportAsync(host, Offer(d, 5, Scores), Offer(e, 5, Scores));
        await using (var db = host.OpenDb())
        {
            await AddUserAsync(db, important);
            await AddUserAsync(db, off);
        }

        await FollowAsync(host.Services, important, d, e);
        await FollowAsync(host.Services, off, d, e);
        await SetModeAsync(host, important, AlertMode.Important);
        await SetModeAsync(host, off, AlertMode.Off);

        // 7 places: the cut-off is now the 7th score, 160 (important mode does not mention it).
        await ImportAsync(host, Offer(d, 7, Scores));
        // A full snapshot without E withdraws it (and the template's demo offers, hence the vanish guard's permission).
        await ImportAsync(host.Services, full: true, Offer(d, 7, Scores));
        await using (var db = host.OpenDb())
        {
            var alerts = (await AlertsAsync(db, important)).Select(p => Plain(p.Html!)).ToList();
            Assert.Equal(2, alerts.Count);
            Assert.Contains("🎓 Бюджетних місць: 5 → 7", alerts[0]);
            Assert.DoesNotContain("Прохідний", alerts[0]);
            Assert.Contains("3200005", alerts[1]);
            Assert.Contains("⚠️ Пропозицію відкликано", alerts[1]);
            Assert.DoesNotContain("3200004", alerts[1]);
            Assert.Empty(await AlertsAsync(db, off));
        }

        // Back on: only what changes from now on. A 161 makes the 7th score 161.
        await SetModeAsync(host, off, AlertMode.All);
        await ImportAsync(host, Offer(d, 7, [.. Scores, 161m]));
        await using (var db = host.OpenDb())
        {
            var text = Plain(Assert.Single(await AlertsAsync(db, off)).Html!);
            Assert.Contains("✂️ Прохідний: 160.000 → 161.000 (+1.000)", text);
            Assert.DoesNotContain("Бюджетних місць", text);
            Assert.DoesNotContain("відкликано", text);
        }
    }

    [Fact]
    public async Task An_offer_whose_list_empties_and_a_blocked_user_who_is_skipped()
    {
        await using var host = await StartAsync();
        const long user = 9206, blocked = 9207;
        const long f = 3200006;
        await ImportAsync(host, Offer(f, 5, Scores));
        await using (var db = host.OpenDb())
        {
            await AddUserAsync(db, user, DemoData.Ids.DemoWebUser);
            await AddUserAsync(db, blocked, DemoData.Ids.SecondWebUser);
        }

        await FollowAsync(host.Services, user, f);
        await FollowAsync(host.Services, blocked, f);
        await using (var db = host.OpenDb())
        {
            await db.TelegramUsers.Where(u => u.Id == blocked).ExecuteUpdateAsync(s => s.SetProperty(u => u.BlockedAt, DateTime.UtcNow));
        }

        await ImportAsync(host, Offer(f, 5));

        await using (var check = host.OpenDb())
        {
            // Nobody left: no cut-off, and 167.829 is first of five seats.
            var text = Plain(Assert.Single(await AlertsAsync(check, user)).Html!);
            Assert.Contains("✅ Ви в межах бюджету: місце 1 з 5 бюджетних (без квот)", text);
            Assert.Contains("📍 Місце: 6 → 1 ⬆️", text);
            Assert.Contains("✂️ Прохідний: 170.000 → немає (заяв менше, ніж місць)", text);
            Assert.Empty(await AlertsAsync(check, blocked));
            Assert.Equal(170m, (await check.TrackedOffers.SingleAsync(t => t.TelegramUserId == blocked)).ToldCutOff);
        }
    }

    [Fact]
    public async Task Exactly_once_a_crash_before_the_commit_leaves_nothing_and_two_passes_at_once_send_one_message()
    {
        await using var host = await StartAsync();
        const long user = 9208;
        const long h = 3200008;
        await ImportAsync(host, Offer(h, 5, Scores));
        await using (var db = host.OpenDb())
        {
            await AddUserAsync(db, user);
        }

        await FollowAsync(host.Services, user, h);
        // The pass fails at its very end (after the claims and outbox rows are written) the first time it runs.
        await ExecuteAsync(host,
            """
            CREATE SEQUENCE crash_once;
            CREATE FUNCTION crash_once() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF nextval('crash_once') = 1 THEN RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER crash_once BEFORE UPDATE ON tracked_alert_passes FOR EACH ROW EXECUTE FUNCTION crash_once();
            """);

        // The import command's wiring: no bot in the process, so nothing nudges a pass.
        await using (var command = CommandImporter(host.Settings))
        {
            await ImportAsync(command, Offer(h, 5, [.. Scores.Skip(1)]));   // 190 leaves: cut-off 165
        }

        var crash = await Assert.ThrowsAsync<DbUpdateException>(() => RunPassAsync(host.Services));
        Assert.Contains("simulated crash", crash.InnerException!.Message, StringComparison.Ordinal);
        await using (var db = host.OpenDb())
        {
            Assert.Empty(await AlertsAsync(db, user));
            Assert.False(await db.NotificationLog.AnyAsync(l => l.TelegramUserId == user));
            Assert.False(await db.TrackedAlertPasses.AnyAsync(p => p.ThroughRunId != null && p.UsersAlerted > 0));
            Assert.Equal(170m, (await db.TrackedOffers.SingleAsync(t => t.TelegramUserId == user)).ToldCutOff);
        }

        var results = await Task.WhenAll(RunPassAsync(host.Services), RunPassAsync(host.Services));
        Assert.Equal([0, 1], results.Select(r => r.Queued).Order());
        Assert.Equal(0, (await RunPassAsync(host.Services)).Queued);
        await using (var db = host.OpenDb())
        {
            Assert.Contains("170.000 → 165.000", Plain(Assert.Single(await AlertsAsync(db, user)).Html!), StringComparison.Ordinal);
            Assert.Equal(1, await db.NotificationLog.CountAsync(l => l.TelegramUserId == user));
        }
    }

    [Fact]
    public async Task A_run_completed_while_the_bot_was_down_is_alerted_once_after_it_starts()
    {
        await using var host = await StartAsync(poll: TimeSpan.FromSeconds(1));
        const long user = 9209;
        const long g = 3200009;
        await ImportAsync(host, Offer(g, 5, Scores));
        await using (var db = host.OpenDb())
        {
            await AddUserAsync(db, user);
        }

        await FollowAsync(host.Services, user, g);
        await host.StopBotAsync();
        await using (var command = CommandImporter(host.Settings))
        {
            await ImportAsync(command, Offer(g, 6, Scores));   // 6 places: cut-off 165
        }

        await host.StartBotAsync(b => b.Services.AddSingleton(new TrackedAlertOptions(AlertWindow.Always, TimeSpan.FromSeconds(1))));

        await FoundationTests.WaitUntilAsync(async () =>
        {
            await using var db = host.OpenDb();
            return (await AlertsAsync(db, user)).Count > 0;
        });
        Assert.Equal(0, (await RunPassAsync(host.Services)).Queued);
        await using (var check = host.OpenDb())
        {
            var text = Plain(Assert.Single(await AlertsAsync(check, user)).Html!);
            Assert.Contains("🎓 Бюджетних місць: 5 → 6", text);
            Assert.Contains("✂️ Прохідний: 170.000 → 165.000 (−5.000)", text);
        }
    }

    /// <summary>/tracked's first page as the user reads it.</summary>
    private static async Task<string> TrackedTextAsync(BotTestHost host, long user)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<AbitlyDbContext>().TelegramUsers.AsNoTracking().SingleAsync(u => u.Id == user);
        return Plain(TrackedRenderer.List(await scope.ServiceProvider.GetRequiredService<TrackingService>().GetListAsync(row, CancellationToken.None), 0).Html);
    }

    private static async Task SetModeAsync(BotTestHost host, long user, AlertMode mode)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<AbitlyDbContext>().TelegramUsers.AsNoTracking().SingleAsync(u => u.Id == user);
        await scope.ServiceProvider.GetRequiredService<TrackingService>().SetModeAsync(row, mode, CancellationToken.None);
    }

    private static async Task ExecuteAsync(BotTestHost host, string sql)
    {
        await using var connection = new NpgsqlConnection(host.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
