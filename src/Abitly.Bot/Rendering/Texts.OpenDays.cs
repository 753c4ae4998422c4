using System.Globalization;
using System.Text;
using Abitly.Bot.Messaging;
using Abitly.Bot.Services;

namespace Abitly.Bot.Rendering;

// Texts of /opendays, /filters and the admin fan-outs (/broadcast, /notifyOpenDaysUpdate).
public static partial class Texts
{
    public const string OpenDaysNone = "Найближчим часом днів відкритих дверей немає. Загляньте пізніше — /opendays.";

    public const string OpenDaysNoneFollowed = "Ви ще не стежите за жодним днем відкритих дверей. Натисніть 🔔 біля дня у списку /opendays.";

    public const string OpenDayFollowed = "🔔 Стежите — нагадаю за 3 дні та за день.";

    public const string OpenDayUnfollowed = "Більше не стежите за цим днем.";

    public const string OpenDayGone = "Цей день відкритих дверей скасовано або видалено.";

    public const string OpenDaysPrevButton = "◀ Раніше";

    public const string OpenDaysNextButton = "Далі ▶";

    public const string OpenDaysMineButton = "⭐ Мої підписки";

    public const string OpenDaysAllButton = "📅 Усі дні";

    public static string OpenDayFollowButton(int number, string title) => $"🔔 {number}. {Shorten(title, 40)}";

    public static string OpenDayUnfollowButton(int number, string title) => $"✅ {number}. {Shorten(title, 40)} — не стежити";

    /// <summary>A page of /opendays: numbered entries (the numbers match the buttons), followed ones marked.</summary>
    public static string OpenDaysPageView(OpenDayPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (page.Items.Count == 0)
        {
            return OpenDaysNone;
        }

        var text = new StringBuilder($"<b>Дні відкритих дверей</b> (сторінка {page.Page + 1} з {page.PageCount})\n");
        var number = page.Page * OpenDayService.PageSize;
        foreach (var item in page.Items)
        {
            text.Append('\n').Append(OpenDayEntry(++number, item)).Append('\n');
        }

        text.Append("\n🔔 — стежити: нагадаю за 3 дні та за день.");
        return text.ToString();
    }

    public static string OpenDaysFollowedView(IReadOnlyList<OpenDayListItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return OpenDaysNoneFollowed;
        }

        var text = new StringBuilder("<b>Мої підписки</b>\n");
        for (var i = 0; i < items.Count; i++)
        {
            text.Append('\n').Append(OpenDayEntry(i + 1, items[i])).Append('\n');
        }

        return text.ToString().TrimEnd();
    }

    private static string OpenDayEntry(int number, OpenDayListItem item) =>
        $"{number}. <b>{Html(item.Title)}</b>{(item.Followed ? " ✅" : "")}\n"
        + $"{Html(item.University)}{(item.Speciality is null ? "" : " · " + Html(item.Speciality))}\n"
        + $"🗓 {LocalDateTime(item.StartsAtLocal)}"
        + OpenDayPlace(item.Location, item.Url);

    /// <summary>"\n📍 place" and/or "\n🔗 online" lines; empty when the open day has neither.</summary>
    private static string OpenDayPlace(string? location, string? url) =>
        (string.IsNullOrWhiteSpace(location) ? "" : "\n📍 " + Html(location))
        + (string.IsNullOrWhiteSpace(url) ? "" : $"\n🔗 <a href=\"{Html(url).Replace("\"", "&quot;", StringComparison.Ordinal)}\">{(string.IsNullOrWhiteSpace(location) ? "онлайн" : "посилання")}</a>");

    // ---- /filters ----

    public const string FilterAddUniversityButton = "➕ Університет";

    public const string FilterAddSpecialityButton = "➕ Спеціальність";

    public const string FilterClearButton = "🗑 Очистити все";

    public const string FilterCancelButton = "Скасувати";

    public const string FilterQueryTooShort = "Напишіть щонайменше 2 символи назви або коду.";

    public const string FilterDialogStale = "Ця кнопка з іншого або вже завершеного пошуку.";

    public const string FilterChoiceGone = "Цього варіанта вже немає.";

    public const string FilterSearchCancelled = "Пошук скасовано.";

    public const string FiltersCleared = "Фільтри очищено.";

    public static string FilterRemoveButton(string label) => "✖ " + Shorten(label, 48);

    public static string FilterAdded(string label) => $"Додано: <b>{Html(label)}</b>.";

    public static string FilterAsk(FilterDimension dimension) => dimension == FilterDimension.University
        ? "Напишіть назву або скорочення університету, наприклад «КПІ» або «Франка»."
        : "Напишіть код або назву спеціальності, наприклад «F3» або «право».";

    public static string FilterNothingFound(string query) =>
        $"За запитом «{Html(query)}» нічого не знайшов. Спробуйте інакше або натисніть «Скасувати».";

    public static string FilterResults(FilterDimension dimension, string query) =>
        $"{(dimension == FilterDimension.University ? "Університети" : "Спеціальності")} за запитом «{Html(query)}» — оберіть:";

    public static string FiltersView(FilterSet filters, string? notice = null)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var text = new StringBuilder();
        if (notice is not null)
        {
            text.Append(notice).Append("\n\n");
        }

        text.Append("<b>Мої фільтри</b>\nПро зміни днів відкритих дверей повідомлю, якщо вони відповідають усім обраним фільтрам.\n");
        if (filters.IsEmpty)
        {
            text.Append("\nФільтрів ще немає — додайте університет або спеціальність.");
            return text.ToString();
        }

        text.Append("\n<b>Університети:</b> ").Append(filters.Universities.Count == 0 ? "будь-які" : string.Join(", ", filters.Universities.Select(u => Html(u.Label))));
        text.Append("\n<b>Спеціальності:</b> ").Append(filters.Specialities.Count == 0 ? "будь-які" : string.Join(", ", filters.Specialities.Select(s => Html(s.Label))));
        return text.ToString();
    }

    // ---- /broadcast ----

    public const string BroadcastUsage = "Напишіть <code>/broadcast текст</code> або надішліть /broadcast у відповідь на повідомлення, яке треба розіслати.";

    public const string BroadcastConfirmButton = "✅ Надіслати";

    public const string BroadcastCancelButton = "✖ Скасувати";

    public const string BroadcastCancelled = "Розсилку скасовано.";

    public const string BroadcastAlreadyStarted = "Цю розсилку вже запущено, скасовано або її чернетка застаріла.";

    public const string BroadcastStarted = "Розсилку розпочато.";

    /// <summary>The admin's text is shown escaped and cut: the preview is about recipients and the start of the text.</summary>
    public static string BroadcastPreview(int recipients, string text, int parts)
    {
        ArgumentNullException.ThrowIfNull(text);
        var shown = text.Length > 1500 ? text[..1500] + "…" : text;
        return $"<b>Розсилка</b> для <b>{recipients.ToString(CultureInfo.InvariantCulture)}</b> користувачів"
            + (parts > 1 ? $" ({parts} повідомлення кожному: текст довший за 4096 символів)" : "")
            + $". Текст (буде надіслано як звичайний текст):\n\n{Html(shown)}";
    }

    public static string BroadcastProgress(int sent, int blocked, int failed, int total, bool finished) =>
        $"{(finished ? "✅ Розсилку завершено" : "⏳ Розсилка триває")}: надіслано <b>{sent}</b> з {total}, заблокували бота: {blocked}, помилок: {failed}.";

    public static string BroadcastSummary(SendBatchResult result, int recipients)
    {
        ArgumentNullException.ThrowIfNull(result);
        return $"<b>Підсумок розсилки</b>\nОтримувачів: {recipients}, повідомлень: {result.Total}\nНадіслано: {result.Sent}\nЗаблокували бота: {result.Blocked}\n"
            + $"Помилок: {result.Failed + result.DroppedAfterRetries}{(result.Unsent > 0 ? $"\nНе надіслано (зупинка бота): {result.Unsent}" : "")}\nЧас: {result.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} с";
    }

    // ---- /notifyOpenDaysUpdate ----

    public const string OpenDaysUpdateStarted = "Шукаю дні відкритих дверей, змінені сьогодні, і тих, кому про них повідомити…";

    public static string OpenDayUpdate(OpenDayUpdateItem day)
    {
        ArgumentNullException.ThrowIfNull(day);
        return $"✏️ Оновлено день відкритих дверей\n<b>{Html(day.Title)}</b>\n"
            + $"{Html(day.University)}{(day.Speciality is null ? "" : " · " + Html(day.Speciality))}\n"
            + $"🗓 {LocalDateTime(day.StartsAtLocal)} (за Києвом)"
            + OpenDayPlace(day.Location, day.Url)
            + (string.IsNullOrWhiteSpace(day.Description) ? "" : "\n\n" + Html(Shorten(day.Description, 1500)))
            + "\n\nЦе повідомлення — за вашими /filters. Стежити за днем і отримати нагадування: /opendays.";
    }

    public static string OpenDaysUpdateSummary(DateOnly today, int updatedDays, int matched, int alreadySent, SendBatchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return $"<b>Оновлення днів відкритих дверей</b> за {today.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)}\n"
            + $"Змінених сьогодні днів: {updatedDays}\nЗбігів з фільтрами: {matched}, уже надіслано раніше сьогодні: {alreadySent}\n"
            + $"Надіслано: {result.Sent}\nЗаблокували бота: {result.Blocked}\nПомилок: {result.Failed + result.DroppedAfterRetries}"
            + (result.Unsent > 0 ? $"\nНе надіслано (зупинка бота): {result.Unsent}" : "");
    }

    private static string Shorten(string value, int max) => value.Length <= max ? value : value[..(max - 1)].TrimEnd() + "…";
}
