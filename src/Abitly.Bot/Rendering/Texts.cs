using System.Net;

namespace Abitly.Bot.Rendering;

/// <summary>Every user-facing string of the bot, in Ukrainian, HTML-ready (values go through <see cref="Html"/>).</summary>
public static class Texts
{
    /// <summary>Escapes a value for Telegram's HTML parse mode.</summary>
    public static string Html(string? value) => WebUtility.HtmlEncode(value ?? "");

    public static string Welcome(string? firstName) =>
        $"""
        Вітаю{(string.IsNullOrWhiteSpace(firstName) ? "" : ", " + Html(firstName))}! Я <b>Abitly</b> — помічник абітурієнта.

        • Надішліть посилання на конкурсну пропозицію (vstup.edbo.gov.ua, vstup.osvita.ua або abit-poisk.org.ua) — покажу пропозицію, аналітику та список заяв.
        • Під'єднайте профіль з балами НМТ на сайті — і я порахую ваш конкурсний бал та місце в рейтингу.
        • /opendays — дні відкритих дверей: підпишіться, і я нагадаю за 3 дні та за день.
        • /filters — оберіть університети й спеціальності, про які хочете чути.

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
        """;

    public const string UnknownCommand = "Не знаю такої команди. Надішліть /help, щоб побачити, що я вмію.";

    public const string NonTextHint = "Я розумію лише текст. Надішліть посилання на конкурсну пропозицію або /help.";

    public const string StaleButton = "Ця кнопка вже не діє. Спробуйте ще раз з нового повідомлення.";

    public const string Apology = "Вибачте, щось пішло не так. Спробуйте ще раз трохи згодом.";

    public const string TemporarilyUnavailable = "Сервіс тимчасово недоступний. Спробуйте ще раз за хвилину.";

    /// <summary>The public commands shown in Telegram's menu.</summary>
    public static readonly IReadOnlyList<(string Command, string Description)> PublicCommands =
    [
        ("start", "Почати"),
        ("help", "Довідка"),
        ("profile", "Мій профіль і бали НМТ"),
        ("opendays", "Дні відкритих дверей"),
        ("filters", "Мої фільтри"),
    ];

    /// <summary>Commands shown only in admins' chats.</summary>
    public static readonly IReadOnlyList<(string Command, string Description)> AdminCommands =
    [
        ("broadcast", "Розсилка всім користувачам"),
        ("notifyopendaysupdate", "Повідомити про зміни днів відкритих дверей"),
        ("rundailynow", "Запустити щоденні нагадування зараз"),
    ];
}
