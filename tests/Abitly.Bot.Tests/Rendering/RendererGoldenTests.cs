using Abitly.Bot.Callbacks;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.State;
using Abitly.Domain.OpenDays;
using Abitly.Domain.Ranking;
using Abitly.Domain.Scoring;

namespace Abitly.Bot.Tests.Rendering;

/// <summary>Renderers against exact expected text, written from what a user must see (not copied from the renderer's output).</summary>
public sealed class RendererGoldenTests
{
    private static readonly DateTimeOffset SaturdayAt11Kyiv = new(2026, 12, 5, 11, 0, 0, TimeSpan.FromHours(2));

    private static OpenDayCard Day(string? location, string? url, bool? followed = null) =>
        new(1, "День відкритих дверей ФКНК", "Екскурсія & зустріч <з деканом>", "КНУ ім. Шевченка", "F3", "Комп'ютерні науки",
            SaturdayAt11Kyiv, location, url, followed);

    [Fact]
    public void An_open_day_card_follows_one_place_rule()
    {
        Assert.Equal(
            "<b>День відкритих дверей ФКНК</b> ✅\nКНУ ім. Шевченка · F3 Комп'ютерні науки\n🗓 сб, 5 грудня, 11:00\n📍 Київ, просп. Глушкова, 4д",
            OpenDayRenderer.Card(Day("Київ, просп. Глушкова, 4д", null, followed: true)));
        Assert.Equal(
            "<b>День відкритих дверей ФКНК</b>\nКНУ ім. Шевченка · F3 Комп'ютерні науки\n🗓 сб, 5 грудня, 11:00\n🔗 <a href=\"https://knu.ua/\">онлайн</a>",
            OpenDayRenderer.Card(Day(null, "https://knu.ua/")));
        Assert.Equal(
            "<b>День відкритих дверей ФКНК</b>\nКНУ ім. Шевченка · F3 Комп'ютерні науки\n🗓 сб, 5 грудня, 11:00\n📍 Київ\n🔗 <a href=\"https://knu.ua/\">посилання</a>",
            OpenDayRenderer.Card(Day("Київ", "https://knu.ua/")));
    }

    [Fact]
    public void A_link_can_never_break_out_of_its_attribute()
    {
        Assert.Equal(
            "<a href=\"https://x.example/?a=&quot;b&quot;&amp;c=&lt;d&gt;\">онлайн</a>",
            Texts.Link("https://x.example/?a=\"b\"&c=<d>", "онлайн"));
        // The reminder, the list and the update share the card, so the reminder is escaped too (it was not).
        var reminder = OpenDayRenderer.Reminder(new OpenDayReminder(1, Day(null, "https://x.example/\" onclick=\"x"), ReminderKind.OneDay));
        Assert.Contains("href=\"https://x.example/&quot; onclick=&quot;x\"", reminder.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Reminder_and_update_wrap_the_same_card()
    {
        Assert.Equal(
            "🔔 Через 3 дні — <b>День відкритих дверей ФКНК</b>\nКНУ ім. Шевченка · F3 Комп'ютерні науки\n🗓 сб, 5 грудня, 11:00 (за Києвом)\n📍 Київ",
            OpenDayRenderer.Reminder(new OpenDayReminder(1, Day("Київ", null), ReminderKind.ThreeDays)).Html);
        Assert.Equal(
            "✏️ Оновлено день відкритих дверей\n<b>День відкритих дверей ФКНК</b>\nКНУ ім. Шевченка · F3 Комп'ютерні науки\n🗓 сб, 5 грудня, 11:00 (за Києвом)\n📍 Київ"
            + "\n\nЕкскурсія &amp; зустріч &lt;з деканом&gt;"
            + "\n\nЦе повідомлення — за вашими /filters. Стежити за днем і отримати нагадування: /opendays.",
            OpenDayRenderer.Update(Day("Київ", null)).Html);
    }

    [Fact]
    public void An_open_days_page_numbers_its_entries_like_its_buttons()
    {
        var page = new OpenDayPage([Day("Київ", null, followed: false), Day("Львів", null, followed: true) with { Id = 2, Title = "Другий" }], Page: 1, PageCount: 3, Total: 12);

        var message = OpenDayRenderer.Page(page);

        Assert.Equal(
            "<b>Дні відкритих дверей</b> (сторінка 2 з 3)\n"
            + "\n6. <b>День відкритих дверей ФКНК</b>\nКНУ ім. Шевченка · F3 Комп'ютерні науки\n🗓 сб, 5 грудня, 11:00\n📍 Київ\n"
            + "\n7. <b>Другий</b> ✅\nКНУ ім. Шевченка · F3 Комп'ютерні науки\n🗓 сб, 5 грудня, 11:00\n📍 Львів\n"
            + "\n🔔 — стежити: нагадаю за 3 дні та за день.",
            message.Html);
        var buttons = message.Keyboard!.InlineKeyboard.Select(row => row.Select(b => (b.Text, b.CallbackData)).ToArray()).ToArray();
        Assert.Equal(
            [
                [("🔔 6. День відкритих дверей ФКНК", "od:f:1:1")],
                [("✅ 7. Другий — не стежити", "od:u:2:1")],
                [("◀ Раніше", "od:p:0"), ("Далі ▶", "od:p:2")],
                [("⭐ Мої підписки", "od:my")],
            ],
            buttons);
    }

    [Fact]
    public void The_offer_view_of_a_linked_applicant()
    {
        var details = new OfferDetails(
            1402003, 2026, "ЛНУ ім. Франка", "Львівський національний університет імені Івана Франка", "C5", "Соціологія", "Соціологія",
            "Філософський факультет", "Денна", "Бакалавр", 25, 2, 1, 75,
            [new(1, "ukr", 0.45m, null), new(2, "math", 0.40m, 150m), new(3, "hist", 0.40m, null), new(4, "eng", 0.50m, null), new(4, "lit", 0.40m, null)],
            1.00m, false, "https://vstup.edbo.gov.ua/offer/1402003/",
            new OfferAnalyticsView(600, 420, 163.5m, 155.123m), 550,
            [new(190m, 200m, 3), new(180m, 190m, 10), new(170m, 180m, 0), new(160m, 170m, 0), new(150m, 160m, 0), new(140m, 150m, 0), new(null, 140m, 5)]);
        var score = new CompetitiveScore(167.829m, 167.829m, 167.829m, "eng", 130m, true, []);
        var personal = new PersonalResult(new ScoreOutcome(score, [], [], []), new RankEstimate(12, 12, 420, 22, Standing.Inside, 4.2m), null);

        var message = OfferViewRenderer.Render(new OfferView(OfferViewStatus.Ok, 1402003, 2026, null, details, personal, Linked: true, ProfileLinkUrl: null));

        Assert.Equal(
            """
            <b>ЛНУ ім. Франка</b>
            Львівський національний університет імені Івана Франка
            <b>C5 Соціологія</b>
            Освітня програма: Соціологія
            Факультет: Філософський факультет
            Денна форма · Бакалавр · 2026
            Пропозиція 1402003
            Бюджетних місць (макс. держзамовлення): <b>25</b> (квота 1: 2, квота 2: 1)
            Ліцензійний обсяг: 75

            <b>Вагові коефіцієнти</b>
            Українська мова 0.45 · Математика 0.40 · Історія України 0.40
            4-й предмет на вибір: Англійська мова 0.50, Українська література 0.40
            РК 1.00

            <b>Аналітика</b>
            Заяв: 600, з них на бюджет: 420
            Мінімальний бюджетний бал минулого року: 163.500
            Середній бал заяв: 155.123
            Активні заяви за балами (550): 190–200: 3 · 180–190: 10 · &lt;140: 5

            <b>Ваш конкурсний бал</b>
            <b>167.829</b>
            4-й предмет у розрахунку: Англійська мова
            Місце (оцінка): <b>12</b> серед 420 активних бюджетних заяв
            ✅ У межах бюджетних місць (22 без квот)
            Різниця з останнім бюджетним місцем: +4.200 бала
            <i>Це оцінка: вона не враховує вступників, які пройдуть за вищим пріоритетом деінде.</i>
            """,
            message.Html);
        var buttons = message.Keyboard!.InlineKeyboard.Single().ToArray();
        Assert.Equal(("Відкрити на сайті", "https://vstup.edbo.gov.ua/offer/1402003/"), (buttons[0].Text, buttons[0].Url));
        Assert.Equal(("🔄 Оновити", "offer:r:1402003"), (buttons[1].Text, buttons[1].CallbackData));
    }

    [Fact]
    public void The_cut_off_its_trend_and_the_datas_age_are_shown_in_the_analytics()
    {
        var asOf = new DateTimeOffset(2026, 7, 20, 12, 40, 0, TimeSpan.FromHours(3));
        var details = new OfferDetails(
            1, 2026, "КНУ", "КНУ", "F3", "Комп'ютерні науки", "КН", null, "Денна", "Бакалавр", 100, 0, 0, null, [], 1.00m, false, null,
            null, 400, [new(170m, 180m, 400)], GeneralSeats: 100, CutOff: 171.204m,
            Trend: new Abitly.Domain.Ranking.CutOffTrend(0.8m, asOf.AddDays(-1), OverADay: true), DataAsOfLocal: asOf);

        var html = OfferViewRenderer.Render(new OfferView(OfferViewStatus.Ok, 1, 2026, null, details, null, false, null)).Html;

        Assert.Contains(
            "<b>Аналітика</b>\nАналітики ще немає.\nПрохідний на бюджет зараз: <b>171.204</b>, +0.8 за добу\nАктивні заяви за балами (400): 170–180: 400\n<i>Дані станом на 20.07, 12:40</i>\n",
            html, StringComparison.Ordinal);

        var falling = OfferViewRenderer.Render(new OfferView(OfferViewStatus.Ok, 1, 2026, null,
            details with { Trend = new Abitly.Domain.Ranking.CutOffTrend(-1.25m, asOf.AddHours(-3), OverADay: false), Withdrawn = true }, null, false, null)).Html;
        Assert.Contains("Прохідний на бюджет зараз: <b>171.204</b>, −1.25 з 20.07 09:40\n", falling, StringComparison.Ordinal);
        Assert.Contains("⚠️ Цієї пропозиції немає в останньому знімку списків", falling, StringComparison.Ordinal);
    }

    [Fact]
    public void Offers_not_found_or_of_another_year_say_so()
    {
        Assert.Equal(
            "Не знайшов конкурсну пропозицію <b>9999999</b> вступної кампанії 2026. Перевірте посилання — можливо, пропозицію ще не завантажено.",
            OfferViewRenderer.Render(OfferView.NotFound(9999999, 2026)).Html);
        Assert.Equal(
            "У повідомленні кілька посилань — показую перше.\n\nЦе пропозиція вступної кампанії <b>2025</b>. Зараз я показую пропозиції кампанії <b>2026</b> — надішліть посилання на пропозицію цього року.",
            OfferViewRenderer.Render(OfferView.InvalidYear(1, 2026, 2025), severalLinks: true).Html);
        Assert.Null(OfferViewRenderer.Render(OfferView.NotFound(1, 2026)).Keyboard);
    }

    [Fact]
    public void Filters_with_choices_and_their_buttons()
    {
        var message = FiltersRenderer.View(new FilterSet([new(2, "КПІ ім. Сікорського", null)], [new(1, "F3", "Комп'ютерні науки")]), "Додано.");

        Assert.Equal(
            "Додано.\n\n<b>Мої фільтри</b>\nПро зміни днів відкритих дверей повідомлю, якщо вони відповідають усім обраним фільтрам.\n"
            + "\n<b>Університети:</b> КПІ ім. Сікорського\n<b>Спеціальності:</b> F3 Комп'ютерні науки",
            message.Html);
        Assert.Equal(
            [["fl:r:u:2"], ["fl:r:s:1"], ["fl:a:u", "fl:a:s"], ["fl:clr"]],
            message.Keyboard!.InlineKeyboard.Select(r => r.Select(b => b.CallbackData!).ToArray()).ToArray());
        Assert.Equal("✖ F3 Комп'ютерні науки", message.Keyboard.InlineKeyboard.ElementAt(1).Single().Text);
    }

    [Fact]
    public void A_linked_profile_lists_the_results()
    {
        var message = ProfileRenderer.View(new ProfileView("Олена <Демченко>", [new("math", 167m, 2026), new("ukr", 186.5m, 2026)], null));

        Assert.Equal(
            "<b>Ваш профіль</b>\nПід'єднано: <b>Олена &lt;Демченко&gt;</b>\n\n<b>Результати НМТ</b>\n• Математика: <b>167</b> (2026)\n• Українська мова: <b>186.5</b> (2026)",
            message.Html);
        Assert.Equal("profile:unlink", message.Keyboard!.InlineKeyboard.Single().Single().CallbackData);
    }

    [Fact]
    public void A_broadcast_preview_shows_the_text_escaped_with_confirm_and_cancel()
    {
        var draft = new BroadcastDraft("AbC-_9", 900001, "Старт <b>кампанії</b> & не тег", DateTimeOffset.UnixEpoch);

        var message = BroadcastRenderer.Preview(new BroadcastPreview(draft, 1234));

        Assert.Equal(
            "<b>Розсилка</b> для <b>1234</b> користувачів. Текст (буде надіслано як звичайний текст):\n\nСтарт &lt;b&gt;кампанії&lt;/b&gt; &amp; не тег",
            message.Html);
        Assert.Equal(["bc:go:AbC-_9", "bc:no:AbC-_9"], message.Keyboard!.InlineKeyboard.Single().Select(b => b.CallbackData!));
        Assert.Equal(CallbackData.Pack(new BroadcastConfirm("AbC-_9")), message.Keyboard.InlineKeyboard.Single().First().CallbackData);
    }
}
