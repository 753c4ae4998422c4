using System.Globalization;

namespace Abitly.Bot.Rendering;

/// <summary>
/// The bot's shared user-facing strings (Ukrainian, HTML-ready) and the helpers every renderer uses to put values into
/// HTML safely. Strings of one area live in that area's renderer in this folder; no user-facing text lives elsewhere.
/// </summary>
public static partial class Texts
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly CultureInfo Ukrainian = CultureInfo.GetCultureInfo("uk-UA");

    /// <summary>Escapes a value for Telegram's HTML text: only &amp;, &lt; and &gt; need it, so apostrophes stay readable.</summary>
    public static string Html(string? value) =>
        string.IsNullOrEmpty(value) ? "" : value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>A link whose address is escaped for an attribute (including '"'), so no URL can break out of it.</summary>
    public static string Link(string url, string label)
    {
        ArgumentNullException.ThrowIfNull(url);
        return $"<a href=\"{Html(url).Replace("\"", "&quot;", StringComparison.Ordinal)}\">{Html(label)}</a>";
    }

    /// <summary>"F3 Комп'ютерні науки": the one way a speciality is labelled.</summary>
    public static string Speciality(string code, string? name) => string.IsNullOrEmpty(name) ? code : code + " " + name;

    /// <summary>A competitive score as published: three decimals, invariant.</summary>
    public static string Score(decimal value) => value.ToString("0.000", Invariant);

    /// <summary>Kyiv-time date and time like «пт, 5 грудня, 11:00».</summary>
    public static string LocalDateTime(DateTimeOffset local) => local.ToString("ddd, d MMMM, HH:mm", Ukrainian);

    /// <summary>Cuts a value to <paramref name="max"/> characters with an ellipsis.</summary>
    public static string Shorten(string value, int max)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= max ? value : value[..(max - 1)].TrimEnd() + "…";
    }

    public static string Welcome(string? firstName) =>
        $"""
        Вітаю{(string.IsNullOrWhiteSpace(firstName) ? "" : ", " + Html(firstName))}! Я <b>Abitly</b> — помічник абітурієнта.

        • Надішліть посилання на конкурсну пропозицію (vstup.edbo.gov.ua, vstup.osvita.ua або abit-poisk.org.ua) — покажу пропозицію, аналітику та список заяв.
        • Під'єднайте профіль з балами НМТ на сайті — і я порахую ваш конкурсний бал та місце в рейтингу.
        • /opendays — дні відкритих дверей: підпишіться, і я нагадаю за 3 дні та за день.
        • /filters — оберіть університети й спеціальності, про які хочете чути.
        • /tracked — пропозиції, за якими ви стежите (⭐ під пропозицією): повідомлю, коли зміниться ваше місце чи межа бюджету.

        /help — довідка.
        """;

    public const string Help =
        """
        <b>Що я вмію</b>

        <b>Конкурсна пропозиція.</b> Надішліть посилання, наприклад:
        <code>https://vstup.edbo.gov.ua/offer/1234567/</code>
        <code>https://vstup.osvita.ua/y2026/r27/79/1234567/</code>
        <code>https://abit-poisk.org.ua/rate2026/direction/1234567</code>

        <b>Профіль.</b> /profile — стан під'єднання профілю та ваші бали НМТ.
        <b>Дні відкритих дверей.</b> /opendays — список і підписка; нагадування о 07:00 за 3 дні та за день.
        <b>Фільтри.</b> /filters — університети та спеціальності, про зміни днів відкритих дверей яких повідомляти.
        <b>Стежити за пропозиціями.</b> Натисніть ⭐ під пропозицією (до 20). /tracked — ваше місце, межа бюджету й прохідний бал по кожній; після кожного оновлення списків я надішлю одне повідомлення про те, що змінилося.
        """;

    public const string UnknownCommand = "Не знаю такої команди. Надішліть /help, щоб побачити, що я вмію.";

    public const string NonTextHint = "Я розумію лише текст. Надішліть посилання на конкурсну пропозицію або /help.";

    public const string StaleButton = "Ця кнопка вже не діє. Спробуйте ще раз з нового повідомлення.";

    public const string Apology = "Вибачте, щось пішло не так. Спробуйте ще раз трохи згодом.";

    public const string TemporarilyUnavailable = "Сервіс тимчасово недоступний. Спробуйте ще раз за хвилину.";

    public const string CancelButton = "Скасувати";

    public const string LinkProfileButton = "Під'єднати профіль на сайті";

    /// <summary>The public commands shown in Telegram's menu.</summary>
    public static readonly IReadOnlyList<(string Command, string Description)> PublicCommands =
    [
        ("start", "Почати"),
        ("help", "Довідка"),
        ("profile", "Мій профіль і бали НМТ"),
        ("opendays", "Дні відкритих дверей"),
        ("filters", "Мої фільтри"),
        ("tracked", "Пропозиції, за якими я стежу"),
    ];

    /// <summary>Commands shown only in admins' chats.</summary>
    public static readonly IReadOnlyList<(string Command, string Description)> AdminCommands =
    [
        ("broadcast", "Розсилка всім користувачам"),
        ("notifyopendaysupdate", "Повідомити про зміни днів відкритих дверей"),
        ("rundailynow", "Запустити щоденні нагадування зараз"),
        ("imports", "Останні імпорти даних кампанії"),
        ("syncnow", "Імпортувати дані кампанії зараз"),
    ];

    /// <summary>Ukrainian subject names by stable code.</summary>
    public static string SubjectName(string code) => code switch
    {
        "ukr" => "Українська мова",
        "math" => "Математика",
        "hist" => "Історія України",
        "eng" => "Англійська мова",
        "ger" => "Німецька мова",
        "fra" => "Французька мова",
        "spa" => "Іспанська мова",
        "bio" => "Біологія",
        "chem" => "Хімія",
        "phys" => "Фізика",
        "geo" => "Географія",
        "lit" => "Українська література",
        "creative" => "Творчий конкурс",
        "prep" => "Підготовчі курси",
        _ => Html(code),
    };
}
