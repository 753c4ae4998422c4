using Abitly.Bot.Data;
using Abitly.Bot.Import;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.BotApiEmulator;
using Abitly.Domain.Tracking;
using Abitly.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Abitly.Bot.Tests.Tracked.TrackedTestKit;

namespace Abitly.Bot.Tests.Tracked;

/// <summary>The sandbox's configuration (SQLite, memory, no Redis): following, the demo revision action and the alert it brings.</summary>
public sealed class TrackedSandboxTests
{
    [Fact]
    public async Task Following_in_the_sandbox_and_the_demo_revision_bring_an_alert_on_sqlite()
    {
        await using var host = await BotTestHost.StartAsync(provider: DatabaseProvider.Sqlite,
            customize: b => b.Services.AddSingleton(new TrackedAlertOptions(AlertWindow.Always, TimeSpan.FromHours(1))));
        const long user = SandboxCommand.ApplicantId;
        host.Emulator.SendText(user, "/help");
        await host.Emulator.WaitForBotMessageAsync(user, timeout: Wait);
        await using (var db = host.OpenDb())
        {
            await db.TelegramUsers.Where(u => u.Id == user).ExecuteUpdateAsync(s => s.SetProperty(u => u.WebUserId, DemoData.Ids.DemoWebUser));
        }

        host.Emulator.SendText(user, $"https://vstup.edbo.gov.ua/offer/{DemoData.Ids.SociologyOffer}/");
        var view = await host.Emulator.WaitForBotMessageAsync(user, m => m.Text!.Contains("Пропозиція 1402003", StringComparison.Ordinal), Wait);
        var answer = await OpenDays.OpenDayTestKit.PressAsync(host, user, view, $"tr:f:{DemoData.Ids.SociologyOffer}");
        Assert.Equal(TrackedRenderer.Followed, answer.Text);

        var denied = await SandboxCommand.WebChat(() => host.Services).Actions.Single(a => a.Id == SandboxCommand.RevisionActionId)
            .RunAsync(new WebChatActionContext(user), CancellationToken.None);
        Assert.Contains("дія адміністратора", denied.Notice, StringComparison.Ordinal);

        var result = await DemoRevision.ImportAsync(host.Services, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(ImportOutcome.Completed, result.Report.Outcome);
        Assert.Contains(DemoData.Ids.SociologyOffer, result.Report.ChangedOffers);
        Assert.True(result.NewApplications >= 5 * result.Report.ChangedOffers.Count);
        Assert.Equal((1, 0), (result.Alerted, result.Held));
        Assert.Contains("Сповіщення: 1 у черзі", DemoRevision.Describe(result), StringComparison.Ordinal);
        await using (var db = host.OpenDb())
        {
            var alert = Plain(Assert.Single(await AlertsAsync(db, user)).Html!);
            Assert.StartsWith(TrackedRenderer.AlertTitle, alert);
            Assert.Contains("1. ЛНУ ім. Франка · C5 Соціологія", alert);
            // The wave lands around the line, above 167.829: the estimated place can only have gone down.
            Assert.Matches(@"📍 Місце: (\d+) → (\d+) ⬇️", alert);
            var follow = await db.TrackedOffers.SingleAsync(t => t.TelegramUserId == user);
            Assert.Equal(result.Report.RunId, follow.SeenRunId);
            Assert.True(follow.SeenPlace > follow.PreviousPlace);
        }

        // The outbox workers deliver it to the chat, with a row of buttons per offer; its ✖ stops following.
        var delivered = await host.Emulator.WaitForBotMessageAsync(user, m => m.PlainText!.StartsWith(TrackedRenderer.AlertTitle, StringComparison.Ordinal), Wait);
        Assert.Equal([[$"tr:o:{DemoData.Ids.SociologyOffer}", $"tr:u:{DemoData.Ids.SociologyOffer}:a"]],
            delivered.ReplyMarkup!.Select(r => r.Select(b => b.CallbackData).ToArray()).ToArray());

        // /tracked shows the change since that run.
        host.Emulator.SendText(user, "/tracked");
        var list = await host.Emulator.WaitForBotMessageAsync(user, m => m.Text!.Contains("Ви стежите", StringComparison.Ordinal), Wait);
        Assert.Matches(@"📍 Місце \d+ \(було \d+\)", list.PlainText);
    }
}
