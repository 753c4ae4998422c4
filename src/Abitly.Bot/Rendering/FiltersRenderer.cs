using System.Text;
using Abitly.Bot.Callbacks;
using Abitly.Bot.Services;
using Abitly.Bot.State;
using Abitly.Domain.Filters;
using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Rendering;

/// <summary>/filters: the view with its buttons, and the search dialog's prompts and results.</summary>
public static class FiltersRenderer
{
    public const string AddUniversityButton = "➕ Університет";

    public const string AddSpecialityButton = "➕ Спеціальність";

    public const string ClearButton = "🗑 Очистити все";

    public const string QueryTooShort = "Напишіть щонайменше 2 символи назви або коду.";

    public const string DialogStale = "Ця кнопка з іншого або вже завершеного пошуку.";

    public const string ChoiceGone = "Цього варіанта вже немає.";

    public const string SearchCancelled = "Пошук скасовано.";

    public const string Cleared = "Фільтри очищено.";

    /// <summary>The user's filters, each with a remove button, and the add and clear buttons.</summary>
    public static RenderedMessage View(FilterSet filters, string? notice = null)
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
        }
        else
        {
            text.Append("\n<b>Університети:</b> ").Append(filters.Universities.Count == 0 ? "будь-які" : string.Join(", ", filters.Universities.Select(u => Texts.Html(Label(u)))));
            text.Append("\n<b>Спеціальності:</b> ").Append(filters.Specialities.Count == 0 ? "будь-які" : string.Join(", ", filters.Specialities.Select(s => Texts.Html(Label(s)))));
        }

        var rows = new List<InlineKeyboardButton[]>();
        rows.AddRange(filters.Universities.Select(u => new[] { RemoveButton(u, FilterDimension.University) }));
        rows.AddRange(filters.Specialities.Select(s => new[] { RemoveButton(s, FilterDimension.Speciality) }));
        rows.Add([
            InlineKeyboardButton.WithCallbackData(AddUniversityButton, CallbackData.Pack(new FilterSearchStart(FilterDimension.University))),
            InlineKeyboardButton.WithCallbackData(AddSpecialityButton, CallbackData.Pack(new FilterSearchStart(FilterDimension.Speciality))),
        ]);
        if (!filters.IsEmpty)
        {
            rows.Add([InlineKeyboardButton.WithCallbackData(ClearButton, CallbackData.Pack(new FiltersClear()))]);
        }

        return new RenderedMessage(text.ToString(), new InlineKeyboardMarkup(rows));
    }

    public static string Added(FilterChoice choice)
    {
        ArgumentNullException.ThrowIfNull(choice);
        return $"Додано: <b>{Texts.Html(Label(choice))}</b>.";
    }

    /// <summary>The search prompt of a new dialog, with its cancel button.</summary>
    public static RenderedMessage Ask(FilterDialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        return WithCancel(dialog, dialog.Dimension == FilterDimension.University
            ? "Напишіть назву або скорочення університету, наприклад «КПІ» або «Франка»."
            : "Напишіть код або назву спеціальності, наприклад «F3» або «право».");
    }

    public static RenderedMessage TooShort(FilterDialog dialog) => WithCancel(dialog, QueryTooShort);

    public static RenderedMessage NothingFound(FilterDialog dialog, string query) =>
        WithCancel(dialog, $"За запитом «{Texts.Html(query)}» нічого не знайшов. Спробуйте інакше або натисніть «Скасувати».");

    /// <summary>Search results as buttons that pick one for this dialog.</summary>
    public static RenderedMessage Results(FilterDialog dialog, string query, IReadOnlyList<FilterChoice> found)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        ArgumentNullException.ThrowIfNull(found);
        var rows = found.Select(c => new[]
        {
            InlineKeyboardButton.WithCallbackData(Texts.Shorten(Label(c), 60), CallbackData.Pack(new FilterPick(dialog.Nonce, dialog.Dimension, c.Id))),
        }).ToList();
        rows.Add([CancelButton(dialog)]);
        return new RenderedMessage(
            $"{(dialog.Dimension == FilterDimension.University ? "Університети" : "Спеціальності")} за запитом «{Texts.Html(query)}» — оберіть:",
            new InlineKeyboardMarkup(rows));
    }

    /// <summary>A university by its short name; a speciality as "code name".</summary>
    public static string Label(FilterChoice choice)
    {
        ArgumentNullException.ThrowIfNull(choice);
        return choice.Name is null ? choice.Code : Texts.Speciality(choice.Code, choice.Name);
    }

    private static InlineKeyboardButton RemoveButton(FilterChoice choice, FilterDimension dimension) =>
        InlineKeyboardButton.WithCallbackData("✖ " + Texts.Shorten(Label(choice), 48), CallbackData.Pack(new FilterRemove(dimension, choice.Id)));

    private static InlineKeyboardButton CancelButton(FilterDialog dialog) =>
        InlineKeyboardButton.WithCallbackData(Texts.CancelButton, CallbackData.Pack(new FilterSearchCancel(dialog.Nonce)));

    private static RenderedMessage WithCancel(FilterDialog dialog, string html) => new(html, new InlineKeyboardMarkup([[CancelButton(dialog)]]));
}
