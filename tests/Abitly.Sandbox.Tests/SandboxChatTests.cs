using Abitly.Bot.Callbacks;
using Abitly.Bot.Data;
using Abitly.Bot.Rendering;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using static Microsoft.Playwright.Assertions;

namespace Abitly.Sandbox.Tests;

/// <summary>A person in a browser talks to the sandbox bot: the flows the README's tour promises.</summary>
public sealed class SandboxChatTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private static readonly string SociologyLink = $"https://abit-poisk.org.ua/rate{Bot.Configuration.AbitlySettings.CampaignYearOf(DateTimeOffset.UtcNow)}/direction/{DemoData.Ids.SociologyOffer}";

    [Fact]
    public async Task Start_offer_view_refresh_link_token_and_score_in_one_chat()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.Sandbox.Url);
        await Expect(page.Locator("#persona")).ToHaveValueAsync(SandboxCommand.ApplicantId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        await SendAsync(page, "/start");
        await Expect(BotMessages(page).Last).ToContainTextAsync("Олена");

        // An example link goes into the input box; sending it gets the offer view with its keyboard.
        await page.Locator($".example[data-text*='{DemoData.Ids.SociologyOffer}']").First.ClickAsync();
        await Expect(page.Locator("#input")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(DemoData.Ids.SociologyOffer.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var before = await BotMessages(page).CountAsync();
        await page.Locator("#send").ClickAsync();
        await Expect(BotMessages(page)).ToHaveCountAsync(before + 1);
        var view = BotMessages(page).Last;
        await Expect(view).ToContainTextAsync("Соціологія");
        var id = await view.GetAttributeAsync("data-message-id");
        var refresh = view.Locator($"button.kb-button[data-callback^='{OfferRefresh.Prefix}:']");
        await Expect(refresh).ToHaveCountAsync(1);

        // Refresh with nothing changed: only a notice.
        await refresh.ClickAsync();
        await Expect(page.Locator("#toast")).ToContainTextAsync(OfferViewRenderer.Unchanged);

        // Refresh after the data changed: the same message is edited in place.
        await using (var db = new SqliteConnection(Database.SqliteFile(fixture.Sandbox.DatabasePath)))
        {
            await db.OpenAsync();
            await using var update = db.CreateCommand();
            update.CommandText = $"UPDATE offer_analytics SET applications_total = 4321 WHERE offer_id = {DemoData.Ids.SociologyOffer}";
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        var count = await BotMessages(page).CountAsync();
        await refresh.ClickAsync();
        var edited = page.Locator($".msg[data-message-id='{id}']");
        await Expect(edited).ToContainTextAsync("4321");
        await Expect(edited.Locator(".msg-edited")).ToBeVisibleAsync();
        await Expect(BotMessages(page)).ToHaveCountAsync(count);

        // The page mints a token like the web backend; its t.me link sends /start link_… as Telegram would.
        await page.Locator(".action[data-action-id='mint-link-token']").ClickAsync();
        var link = page.Locator("#action-result a");
        await Expect(link).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"^https://t\.me/" + SandboxCommand.BotUsername + @"\?start=link_[A-Za-z0-9_-]{22}$"));
        await link.ClickAsync();
        await Expect(page.Locator(".msg.from-user").Last).ToContainTextAsync("/start link_");
        await Expect(BotMessages(page).Last).ToContainTextAsync("Олена Демченко");
        Assert.Single(context.Pages);   // the deep link did not navigate anywhere

        await SendAsync(page, SociologyLink);
        // (0.45·186 + 0.40·167 + 0.40·168 + 0.50·152) / 1.75 = 293.7 / 1.75 = 167.829 (DESIGN.md worked example)
        await Expect(BotMessages(page).Last).ToContainTextAsync("167.829");
        await Expect(BotMessages(page).Last).ToContainTextAsync("Місце");

        // 📊: the chart comes as a photo the page shows, a 1000 × 600 picture, with its numbers in the caption.
        var chartButton = BotMessages(page).Last.Locator($"button.kb-button[data-callback^='{OfferChart.Prefix}:']");
        await Expect(chartButton).ToHaveTextAsync(OfferChartRenderer.Button);
        await chartButton.ClickAsync();
        var photo = BotMessages(page).Last.Locator("img.msg-photo");
        await Expect(photo).ToBeVisibleAsync();
        await Expect(BotMessages(page).Last).ToContainTextAsync("Ваш бал: 167.829");
        await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await photo.ElementHandleAsync());
        Assert.Equal(1000, await photo.EvaluateAsync<int>("img => img.naturalWidth"));
        Assert.Equal(600, await photo.EvaluateAsync<int>("img => img.naturalHeight"));
    }

    [Fact]
    public async Task Every_example_link_on_the_page_answers_with_its_demo_offer()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.Sandbox.Url);
        var campaign = Bot.Configuration.AbitlySettings.CampaignYearOf(DateTimeOffset.UtcNow);
        long[] thisYear = [DemoData.Ids.ComputerScienceOffer, DemoData.Ids.SoftwareEngineeringOffer, DemoData.Ids.SociologyOffer, DemoData.Ids.KharkivComputerScienceOffer];
        var links = SandboxCommand.WebChat(() => null).Examples.Where(e => e.Text.StartsWith("https://", StringComparison.Ordinal)).ToList();
        Assert.Equal(thisYear.Length + 1, links.Count);

        foreach (var example in links)
        {
            var before = await BotMessages(page).CountAsync();
            await page.Locator($".example[data-text='{example.Text}']").ClickAsync();
            await page.Locator("#send").ClickAsync();
            await Expect(BotMessages(page)).ToHaveCountAsync(before + 1);
            var answer = BotMessages(page).Last;
            if (thisYear.SingleOrDefault(id => example.Text.Contains(Id(id), StringComparison.Ordinal)) is var offer and not 0)
            {
                // The offer view of the imported offer, not the "not found" answer.
                await Expect(answer).ToContainTextAsync($"Пропозиція {Id(offer)}");
                await Expect(answer).ToContainTextAsync("Аналітика");
            }
            else
            {
                Assert.Contains(Id(DemoData.Ids.LastYearOffer), example.Text, StringComparison.Ordinal);
                await Expect(answer).ToContainTextAsync($"Це пропозиція вступної кампанії {campaign - 1}");
            }
        }

        static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Two_tabs_of_one_persona_share_the_chat_and_the_admin_persona_is_another_user()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var first = await context.NewPageAsync();
        var second = await context.NewPageAsync();
        await first.GotoAsync(fixture.Sandbox.Url);
        await second.GotoAsync(fixture.Sandbox.Url);

        var marker = "/help " + Guid.NewGuid().ToString("N")[..8];
        await SendAsync(first, marker);
        await Expect(second.Locator(".msg.from-user", new() { HasText = marker })).ToHaveCountAsync(1);
        await Expect(second.Locator(".msg.from-bot")).ToHaveCountAsync(await first.Locator(".msg.from-bot").CountAsync());

        // The second tab becomes the administrator: a separate chat, and admin commands work there.
        await second.Locator("#persona").SelectOptionAsync(SandboxCommand.AdminId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(second.Locator(".msg.from-user", new() { HasText = marker })).ToHaveCountAsync(0);
        await SendAsync(second, "/runDailyNow");
        // The run answers whether it queued reminders or found none due today.
        await Expect(second.Locator(".msg.from-bot").Last).ToContainTextAsync(new System.Text.RegularExpressions.Regex("^(Поставлено в чергу повідомлень|Надсилати нічого)"));
        await Expect(first.Locator(".msg.from-user", new() { HasText = "/runDailyNow" })).ToHaveCountAsync(0);

        // The applicant may not run it: the ordinary unknown-command answer.
        await SendAsync(first, "/runDailyNow");
        await Expect(first.Locator(".msg.from-bot").Last).ToContainTextAsync(Texts.UnknownCommand);

        // A reload keeps the tab's persona.
        await second.ReloadAsync();
        await Expect(second.Locator("#persona")).ToHaveValueAsync(SandboxCommand.AdminId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_photo_from_the_bot_is_shown_with_its_caption()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.Sandbox.Url);
        await SendAsync(page, "/help");
        await Expect(BotMessages(page).Last).Not.ToBeEmptyAsync();

        // The bot sends no photos yet; any Bot API client can, and the page must show them.
        var bot = new TelegramBotClient(new TelegramBotClientOptions(SandboxCommand.BotToken, fixture.Sandbox.Url.TrimEnd('/')));
        await using (var png = new MemoryStream(TinyPng))
        {
            await bot.SendPhoto(SandboxCommand.ApplicantId, InputFile.FromStream(png, "chart.png"), caption: "<b>Графік</b> заяв", parseMode: ParseMode.Html);
        }

        var photo = page.Locator(".msg.from-bot img.msg-photo").Last;
        await Expect(photo).ToBeVisibleAsync();
        Assert.Equal(2, await photo.EvaluateAsync<int>("img => img.naturalWidth"));
        Assert.Equal(1, await photo.EvaluateAsync<int>("img => img.naturalHeight"));
        await Expect(BotMessages(page).Last.Locator("b")).ToHaveTextAsync("Графік");
    }

    private static ILocator BotMessages(IPage page) => page.Locator(".msg.from-bot");

    private static async Task SendAsync(IPage page, string text)
    {
        await page.Locator("#input").FillAsync(text);
        await page.Locator("#input").PressAsync("Enter");
        await Expect(page.Locator(".msg.from-user").Last).ToContainTextAsync(text);
    }

    /// <summary>A 2×1 PNG (one red, one blue pixel).</summary>
    private static readonly byte[] TinyPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4zwAE/wEHAAH/4iOeWQAAAABJRU5ErkJggg==");
}
