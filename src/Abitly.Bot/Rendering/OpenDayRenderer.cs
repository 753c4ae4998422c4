using System.Text;
using Abitly.Bot.Callbacks;
using Abitly.Bot.Services;
using Abitly.Domain.OpenDays;
using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Rendering;

/// <summary>Open days: the /opendays pages, the followed list, the reminder and the update fan-out, all from one card.</summary>
public static class OpenDayRenderer
{
    public const string None = "Найближчим часом днів відкритих дверей немає. Загляньте пізніше — /opendays.";

    public const string NoneFollowed = "Ви ще не стежите за жодним днем відкритих дверей. Натисніть 🔔 біля дня у списку /opendays.";

    public const string Followed = "🔔 Стежите — нагадаю за 3 дні та за день.";

    public const string Unfollowed = "Більше не стежите за цим днем.";

    public const string Gone = "Цей день відкритих дверей скасовано або видалено.";

    public const string PrevButton = "◀ Раніше";

    public const string NextButton = "Далі ▶";

    public const string MineButton = "⭐ Мої підписки";

    public const string AllButton = "📅 Усі дні";

    /// <summary>
    /// The one open-day card: title (✅ when followed), university · speciality, local start, then the place rule used
    /// everywhere — "📍 location" when there is one, "🔗 онлайн" (or "🔗 посилання" beside a location) when there is a URL.
    /// </summary>
    public static string Card(OpenDayCard day, bool zoneNote = false)
    {
        ArgumentNullException.ThrowIfNull(day);
        var text = new StringBuilder();
        text.Append("<b>").Append(Texts.Html(day.Title)).Append("</b>").Append(day.Followed == true ? " ✅" : "").Append('\n');
        text.Append(Texts.Html(day.University));
        if (day.SpecialityCode is { } code)
        {
            text.Append(" · ").Append(Texts.Html(Texts.Speciality(code, day.SpecialityName)));
        }

        text.Append("\n🗓 ").Append(Texts.LocalDateTime(day.StartsAtLocal)).Append(zoneNote ? " (за Києвом)" : "");
        var hasLocation = !string.IsNullOrWhiteSpace(day.Location);
        if (hasLocation)
        {
            text.Append("\n📍 ").Append(Texts.Html(day.Location));
        }

        if (!string.IsNullOrWhiteSpace(day.Url))
        {
            text.Append("\n🔗 ").Append(Texts.Link(day.Url, hasLocation ? "посилання" : "онлайн"));
        }

        return text.ToString();
    }

    /// <summary>A page of /opendays: numbered entries whose numbers match the follow buttons.</summary>
    public static RenderedMessage Page(OpenDayPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var rows = new List<InlineKeyboardButton[]>();
        var number = page.Page * OpenDayService.PageSize;
        var here = new OpenDaysView(page.Page);
        var text = new StringBuilder();
        if (page.Items.Count == 0)
        {
            text.Append(None);
        }
        else
        {
            text.Append("<b>Дні відкритих дверей</b> (сторінка ").Append(page.Page + 1).Append(" з ").Append(page.PageCount).Append(")\n");
            foreach (var item in page.Items)
            {
                number++;
                text.Append('\n').Append(number).Append(". ").Append(Card(item)).Append('\n');
                rows.Add([FollowButton(item, number, here)]);
            }

            text.Append("\n🔔 — стежити: нагадаю за 3 дні та за день.");
        }

        var navigation = new List<InlineKeyboardButton>();
        if (page.Page > 0)
        {
            navigation.Add(InlineKeyboardButton.WithCallbackData(PrevButton, CallbackData.Pack(new OpenDaysPage(page.Page - 1))));
        }

        if (page.Page < page.PageCount - 1)
        {
            navigation.Add(InlineKeyboardButton.WithCallbackData(NextButton, CallbackData.Pack(new OpenDaysPage(page.Page + 1))));
        }

        if (navigation.Count > 0)
        {
            rows.Add([.. navigation]);
        }

        rows.Add([InlineKeyboardButton.WithCallbackData(MineButton, CallbackData.Pack(new OpenDaysFollowed()))]);
        return new RenderedMessage(text.ToString(), new InlineKeyboardMarkup(rows));
    }

    /// <summary>The open days the user follows, each with its unfollow button.</summary>
    public static RenderedMessage FollowedList(IReadOnlyList<OpenDayCard> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var rows = new List<InlineKeyboardButton[]>();
        var text = new StringBuilder();
        if (items.Count == 0)
        {
            text.Append(NoneFollowed);
        }
        else
        {
            text.Append("<b>Мої підписки</b>\n");
            for (var i = 0; i < items.Count; i++)
            {
                text.Append('\n').Append(i + 1).Append(". ").Append(Card(items[i])).Append('\n');
                rows.Add([FollowButton(items[i], i + 1, OpenDaysView.Followed)]);
            }
        }

        rows.Add([InlineKeyboardButton.WithCallbackData(AllButton, CallbackData.Pack(new OpenDaysPage(0)))]);
        return new RenderedMessage(text.ToString().TrimEnd(), new InlineKeyboardMarkup(rows));
    }

    /// <summary>The 07:00 reminder, 3 days or 1 day before.</summary>
    public static RenderedMessage Reminder(OpenDayReminder reminder)
    {
        ArgumentNullException.ThrowIfNull(reminder);
        var when = reminder.Kind == ReminderKind.OneDay ? "Завтра" : "Через 3 дні";
        return new RenderedMessage($"🔔 {when} — {Card(reminder.Day, zoneNote: true)}");
    }

    /// <summary>The update fan-out's message about an edited open day.</summary>
    public static RenderedMessage Update(OpenDayCard day)
    {
        ArgumentNullException.ThrowIfNull(day);
        return new RenderedMessage("✏️ Оновлено день відкритих дверей\n" + Card(day, zoneNote: true)
            + (string.IsNullOrWhiteSpace(day.Description) ? "" : "\n\n" + Texts.Html(Texts.Shorten(day.Description, 1500)))
            + "\n\nЦе повідомлення — за вашими /filters. Стежити за днем і отримати нагадування: /opendays.");
    }

    private static InlineKeyboardButton FollowButton(OpenDayCard item, int number, OpenDaysView back) =>
        item.Followed == true
            ? InlineKeyboardButton.WithCallbackData($"✅ {number}. {Texts.Shorten(item.Title, 40)} — не стежити", CallbackData.Pack(new OpenDayUnfollow(item.Id, back)))
            : InlineKeyboardButton.WithCallbackData($"🔔 {number}. {Texts.Shorten(item.Title, 40)}", CallbackData.Pack(new OpenDayFollow(item.Id, back)));
}
