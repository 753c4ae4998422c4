using System.Globalization;
using Abitly.Bot.Callbacks;
using Abitly.Bot.Services;
using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Rendering;

/// <summary>/profile and linking: the profile view, the unlink confirmation, and the link outcomes.</summary>
public static class ProfileRenderer
{
    public const string LinkInvalid = "Посилання для під'єднання недійсне або застаріле. Отримайте нове на сайті в профілі — воно діє 10 хвилин і лише один раз.";

    public const string UnlinkButton = "Від'єднати профіль";

    public const string UnlinkConfirmButton = "Так, від'єднати";

    public const string Unlinked = "Профіль від'єднано.";

    public static RenderedMessage View(ProfileView profile, string? notice = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var prefix = notice is null ? "" : notice + "\n\n";
        if (profile.LinkedName is { } name)
        {
            var lines = profile.Grades.Count == 0
                ? "Результатів НМТ у профілі ще немає — додайте їх на сайті."
                : string.Join("\n", profile.Grades.Select(g => $"• {Texts.SubjectName(g.Subject)}: <b>{g.Score.ToString("0.##", CultureInfo.InvariantCulture)}</b> ({g.Year})"));
            return new RenderedMessage($"{prefix}<b>Ваш профіль</b>\nПід'єднано: <b>{Texts.Html(name)}</b>\n\n<b>Результати НМТ</b>\n{lines}",
                new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData(UnlinkButton, CallbackData.Pack(new ProfileUnlink()))]]));
        }

        var text = prefix + "<b>Ваш профіль</b>\nПрофіль із сайту не під'єднано." + (profile.ProfileLinkUrl is not null
            ? " Натисніть кнопку нижче, увійдіть на сайті й оберіть «Під'єднати Telegram» — і я рахуватиму ваш конкурсний бал."
            : " Увійдіть на сайті й оберіть «Під'єднати Telegram» — і я рахуватиму ваш конкурсний бал.");
        return new RenderedMessage(text,
            profile.ProfileLinkUrl is { } url ? new InlineKeyboardMarkup([[InlineKeyboardButton.WithUrl(Texts.LinkProfileButton, url)]]) : null);
    }

    public static RenderedMessage UnlinkConfirm() => new(
        "Від'єднати профіль від цього акаунта Telegram? Бал і місце в пропозиціях більше не показуватимуться.",
        new InlineKeyboardMarkup([[
            InlineKeyboardButton.WithCallbackData(UnlinkConfirmButton, CallbackData.Pack(new ProfileUnlinkConfirmed())),
            InlineKeyboardButton.WithCallbackData(Texts.CancelButton, CallbackData.Pack(new ProfileShow())),
        ]]));

    /// <summary>The answer to /start link_&lt;token&gt;.</summary>
    public static RenderedMessage LinkOutcome(LinkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new RenderedMessage(result.Outcome switch
        {
            Services.LinkOutcome.Linked =>
                $"✅ Профіль <b>{Texts.Html(result.DisplayName)}</b> під'єднано. Тепер у кожній конкурсній пропозиції я покажу ваш конкурсний бал і місце в рейтингу — надішліть посилання.",
            Services.LinkOutcome.Moved =>
                $"✅ Профіль <b>{Texts.Html(result.DisplayName)}</b> під'єднано до цього акаунта. Від попереднього акаунта Telegram його від'єднано. Тепер у конкурсних пропозиціях я покажу ваш бал і місце.",
            _ => LinkInvalid,
        });
    }
}
