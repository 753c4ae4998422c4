namespace Abitly.Bot.Rendering;

/// <summary>Every user-facing string of the bot, in Ukrainian, HTML-ready (values go through <see cref="Html"/>).</summary>
public static partial class Texts
{
    /// <summary>Escapes a value for Telegram's HTML parse mode: only &amp;, &lt; and &gt; need it, so apostrophes stay readable.</summary>
    public static string Html(string? value) =>
        string.IsNullOrEmpty(value) ? "" : value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

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

    public const string OfferLinkHint =
        """
        Це не схоже на посилання на конкурсну пропозицію. Я розумію такі:
        <code>https://vstup.edbo.gov.ua/offer/1234567/</code>
        <code>https://vstup2025.edbo.gov.ua/offer/1234567/</code>
        <code>https://vstup.osvita.ua/y2026/r27/79/1234567/</code>
        <code>https://abit-poisk.org.ua/rate2026/direction/1234567</code>
        """;

    public const string SeveralOfferLinks = "У повідомленні кілька посилань — показую перше.";

    public const string OfferUnchanged = "Без змін";

    public const string OfferRefreshed = "Оновлено";

    public static string ProfileLinked(string? displayName) =>
        $"✅ Профіль <b>{Html(displayName)}</b> під'єднано. Тепер у кожній конкурсній пропозиції я покажу ваш конкурсний бал і місце в рейтингу — надішліть посилання.";

    public static string ProfileLinkMoved(string? displayName) =>
        $"✅ Профіль <b>{Html(displayName)}</b> під'єднано до цього акаунта. Від попереднього акаунта Telegram його від'єднано. Тепер у конкурсних пропозиціях я покажу ваш бал і місце.";

    public const string LinkInvalid = "Посилання для під'єднання недійсне або застаріле. Отримайте нове на сайті в профілі — воно діє 10 хвилин і лише один раз.";

    public const string UnlinkConfirm = "Від'єднати профіль від цього акаунта Telegram? Бал і місце в пропозиціях більше не показуватимуться.";

    public const string Unlinked = "Профіль від'єднано.";

    public static string ProfileLinkedView(string displayName, IReadOnlyList<(string Subject, decimal Score, int Year)> grades)
    {
        var lines = grades.Count == 0
            ? "Результатів НМТ у профілі ще немає — додайте їх на сайті."
            : string.Join("\n", grades.Select(g => $"• {g.Subject}: <b>{g.Score.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}</b> ({g.Year})"));
        return $"<b>Ваш профіль</b>\nПід'єднано: <b>{Html(displayName)}</b>\n\n<b>Результати НМТ</b>\n{lines}";
    }

    public static string ProfileUnlinkedView(bool hasWebLink) =>
        "<b>Ваш профіль</b>\nПрофіль із сайту не під'єднано." + (hasWebLink
            ? " Натисніть кнопку нижче, увійдіть на сайті й оберіть «Під'єднати Telegram» — і я рахуватиму ваш конкурсний бал."
            : " Увійдіть на сайті й оберіть «Під'єднати Telegram» — і я рахуватиму ваш конкурсний бал.");

    private static readonly System.Globalization.CultureInfo Ukrainian = System.Globalization.CultureInfo.GetCultureInfo("uk-UA");

    /// <summary>Kyiv-time date and time like «пт, 5 грудня, 11:00».</summary>
    public static string LocalDateTime(DateTimeOffset local) => local.ToString("ddd, d MMMM, HH:mm", Ukrainian);

    public static string OpenDayReminder(Services.MonitoredOpenDay day, Domain.OpenDays.ReminderKind kind, DateTimeOffset localStart)
    {
        var when = kind == Domain.OpenDays.ReminderKind.OneDay ? "Завтра" : "Через 3 дні";
        var place = !string.IsNullOrWhiteSpace(day.Location)
            ? "📍 " + Html(day.Location)
            : !string.IsNullOrWhiteSpace(day.Url) ? $"🔗 <a href=\"{Html(day.Url)}\">онлайн</a>" : "";
        return $"🔔 {when} — <b>{Html(day.Title)}</b>\n{Html(day.University)}{(day.Speciality is null ? "" : " · " + Html(day.Speciality))}\n🗓 {LocalDateTime(localStart)} (за Києвом)\n{place}".TrimEnd();
    }

    public const string DailyRunStarted = "Запускаю щоденні нагадування про дні відкритих дверей…";

    public static string DailyRunSummary(Services.DailyRunResult result) =>
        $"Щоденні нагадування: до відправки {result.Send.Total} (ще {result.AlreadySent} надіслано раніше сьогодні).\n" +
        $"Надіслано: {result.Send.Sent}, заблокували бота: {result.Send.Blocked}, помилки: {result.Send.Failed + result.Send.DroppedAfterRetries}, не надіслано: {result.Send.Unsent}.";

    public const string LinkProfileButton = "Під'єднати профіль на сайті";

    public const string UnlinkButton = "Від'єднати профіль";

    public const string UnlinkConfirmButton = "Так, від'єднати";

    public const string CancelButton = "Скасувати";
}
