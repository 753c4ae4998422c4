using Abitly.Bot.Callbacks;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Domain.Tracking;
using FsCheck.Xunit;

namespace Abitly.Bot.Tests.Tracked;

/// <summary>The tracked-offer messages as text: their exact form, Telegram's limits, escaping, and the buttons' data.</summary>
public sealed class TrackedRendererTests
{
    private static readonly OfferStanding Told = new(170m, 5, 5, false, new PersonalStanding(167.829m, 6, 6, BudgetSide.Outside, -2.171m));
    private static readonly OfferStanding Now = new(160m, 5, 5, false, new PersonalStanding(167.829m, 4, 4, BudgetSide.Inside, 7.829m));

    private static TrackedOfferCard Card(long id, string program = "Соціологія") => new(id, "ЛНУ ім. Франка", "C5", program);

    [Fact]
    public void An_alert_reads_was_and_now_for_each_trigger_with_a_button_row_per_offer()
    {
        var alert = new TrackedAlert(9, [
            new TrackedChange(Card(3200001), Told, Now, AlertTriggers.BudgetLineCrossed | AlertTriggers.CutOffMoved),
            new TrackedChange(Card(3200002), Told with { BudgetPlaces = 5 }, Told with { BudgetPlaces = 7, Withdrawn = false }, AlertTriggers.SeatsChanged),
        ]);

        var message = TrackedRenderer.Alert(alert);

        Assert.Equal(
            """
            <b>📈 Зміни у ваших пропозиціях</b>

            <b>1. ЛНУ ім. Франка · C5</b> Соціологія
            ✅ Ви в межах бюджету: місце 4 з 5 бюджетних (без квот)
            ✂️ Прохідний: 170.000 → 160.000 (−10.000)

            <b>2. ЛНУ ім. Франка · C5</b> Соціологія
            🎓 Бюджетних місць: 5 → 7

            <i>Місце — оцінка за опублікованим списком: вона не враховує тих, хто пройде за вищим пріоритетом деінде.</i>
            Налаштувати сповіщення: /tracked
            """,
            message.Html);
        Assert.Equal(
            [["🔎 1. Відкрити|tr:o:3200001", "✖ 1. Не стежити|tr:u:3200001:a"], ["🔎 2. Відкрити|tr:o:3200002", "✖ 2. Не стежити|tr:u:3200002:a"]],
            message.Keyboard!.InlineKeyboard.Select(r => r.Select(b => b.Text + "|" + b.CallbackData).ToArray()).ToArray());
    }

    [Fact]
    public void Twenty_long_changes_stay_one_message_under_4096_characters_and_count_what_did_not_fit()
    {
        var program = new string('Ж', 300) + " <script>&";
        var everything = AlertTriggers.BudgetLineCrossed | AlertTriggers.PlaceMoved | AlertTriggers.CutOffMoved | AlertTriggers.SeatsChanged;
        var alert = new TrackedAlert(9, [.. Enumerable.Range(0, 20).Select(i => new TrackedChange(
            new TrackedOfferCard(9_000_000 + i, new string('У', 200), "F3", program), Told with { BudgetPlaces = 4 }, Now with { Personal = Now.Personal! with { PlaceWorst = 9999 } }, everything))]);

        var message = TrackedRenderer.Alert(alert);

        Assert.True(message.Html.Length <= RenderedMessage.MaxLength, message.Html.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var shown = message.Keyboard!.InlineKeyboard.Count();
        Assert.InRange(shown, 10, 19);
        Assert.Contains($"…і ще {20 - shown} — дивіться /tracked", message.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", message.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('Ж', 60), message.Html, StringComparison.Ordinal);   // names are shortened
    }

    [Fact]
    public void Twenty_long_entries_page_under_4096_characters_each_and_a_page_past_the_end_shows_the_last()
    {
        var entries = Enumerable.Range(0, 20).Select(i => new TrackedEntry(
            new TrackedOfferCard(9_000_000 + i, "& <b> " + new string('У', 200), "F3", new string('Ж', 300)),
            Now with { Personal = Now.Personal! with { PlaceWorst = 12345, Gap = -12.345m } }, 3, 0.5m, true)).ToList();
        var list = new TrackedList(entries, AlertPreference.Default, true, 2026, 3);

        var first = TrackedRenderer.List(list, 0);
        var pages = int.Parse(System.Text.RegularExpressions.Regex.Match(first.Html, "сторінка 1 з (\\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var all = Enumerable.Range(0, pages).Select(p => TrackedRenderer.List(list, p)).ToList();

        Assert.All(all, p => Assert.True(p.Html.Length <= RenderedMessage.MaxLength));
        Assert.Equal(Enumerable.Range(9_000_000, 20).Select(id => $"tr:o:{id}"),
            all.SelectMany(p => p.Keyboard!.InlineKeyboard.SelectMany(r => r).Select(b => b.CallbackData!).Where(d => d.StartsWith("tr:o:", StringComparison.Ordinal))));
        Assert.All(all, p => Assert.StartsWith("ℹ️ Пропозиції попередньої кампанії (3)", p.Html, StringComparison.Ordinal));
        Assert.DoesNotContain("<b>\"", string.Concat(all.Select(p => p.Html)), StringComparison.Ordinal);
        Assert.Contains("&amp; &lt;b&gt;", all[0].Html, StringComparison.Ordinal);
        Assert.Equal(all[^1].Html, TrackedRenderer.List(list, 99).Html);
        // Each entry is two lines: the title, then the place, side, gap, cut-off (with its change) and seats.
        Assert.Contains("</b> " + new string('Ж', 47) + "…\n📍 Місце 4–12345 (було 3) · ✅ у межах бюджету · до останнього бюджетного −12.345 · ✂️ Прохідний 160.000 (+0.500) · 🎓 5 бюджетних\n",
            all[0].Html, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unchanged_cut_off_says_so_and_a_withdrawn_offer_says_only_that()
    {
        var list = new TrackedList([
            new TrackedEntry(Card(1), Now with { Personal = null }, null, null, ChangedInLatestRun: false),
            new TrackedEntry(Card(2), Now with { Withdrawn = true }, null, null, ChangedInLatestRun: true),
            new TrackedEntry(Card(3), new OfferStanding(null, null, null, false, null), null, null, ChangedInLatestRun: true),
        ], AlertPreference.Default, false, 2026, 0);

        var html = TrackedRenderer.List(list, 0).Html;

        Assert.Contains("<b>1. ЛНУ ім. Франка · C5</b> Соціологія\n✂️ Прохідний 160.000 (без змін) · 🎓 5 бюджетних\n", html, StringComparison.Ordinal);
        Assert.Contains("<b>2. ЛНУ ім. Франка · C5</b> Соціологія\n⚠️ Пропозицію відкликано: її немає в останньому знімку списків.\n", html, StringComparison.Ordinal);
        Assert.Contains("<b>3. ЛНУ ім. Франка · C5</b> Соціологія\n✂️ Прохідного немає · 🎓 лише контракт\n", html, StringComparison.Ordinal);
        Assert.EndsWith("Під'єднайте профіль з балами НМТ на сайті — і тут з'явиться ваше місце в рейтингу.", html, StringComparison.Ordinal);
    }

    [Property]
    public bool Every_button_packs_within_64_bytes_and_reads_back(long offer, int page, byte kind)
    {
        var id = offer == long.MinValue ? long.MaxValue : Math.Abs(offer);
        var origin = (kind % 3) switch { 0 => TrackedOrigin.OfferView, 1 => TrackedOrigin.Alert, _ => TrackedOrigin.List(page == int.MinValue ? int.MaxValue : Math.Abs(page)) };
        var unfollow = new TrackUnfollow(id, origin);
        var mode = new TrackedSetMode((AlertMode)(kind % 3));
        return CallbackData.Unpack<TrackUnfollow>(CallbackData.Pack(unfollow)) == unfollow
            && CallbackData.Unpack<TrackFollow>(CallbackData.Pack(new TrackFollow(id))) == new TrackFollow(id)
            && CallbackData.Unpack<TrackedOpen>(CallbackData.Pack(new TrackedOpen(id))) == new TrackedOpen(id)
            && CallbackData.Unpack<TrackedSetMode>(CallbackData.Pack(mode)) == mode
            // Prefixes never swallow each other's data.
            && CallbackData.Unpack<TrackFollow>(CallbackData.Pack(unfollow)) is null;
    }
}
