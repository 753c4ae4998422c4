using System.Globalization;
using System.Text;
using Abitly.Bot.Callbacks;
using Abitly.Bot.Services;
using Abitly.Domain.Tracking;
using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Rendering;

/// <summary>Tracked offers: the ⭐ button of the offer view, /tracked and its settings, and the alert message.</summary>
public static class TrackedRenderer
{
    public const string FollowButton = "⭐ Стежити";

    public const string UnfollowButton = "Не стежити";

    public const string AlertTitle = "📈 Зміни у ваших пропозиціях";

    public const string Followed = "⭐ Стежите. Повідомлю, коли зміниться ваше місце, прохідний бал чи кількість бюджетних місць.";

    public const string AlreadyFollowing = "Ви вже стежите за цією пропозицією.";

    public const string Unfollowed = "Більше не стежите за цією пропозицією.";

    public const string NotFollowing = "Ви вже не стежите за цією пропозицією.";

    public const string Withdrawn = "Цю пропозицію відкликано — стежити за нею вже не можна.";

    public const string NotFound = "Такої пропозиції вже немає.";

    public const string Saved = "Збережено";

    public const string None =
        "Ви ще не стежите за жодною пропозицією.\n\nНадішліть посилання на конкурсну пропозицію й натисніть «⭐ Стежити» під нею — я повідомлю, коли зміниться ваше місце, межа бюджету чи кількість бюджетних місць.";

    public const string EstimateNote = "<i>Місце — оцінка за опублікованим списком: вона не враховує тих, хто пройде за вищим пріоритетом деінде.</i>";

    public const string QuietNote = "Не частіше 3 повідомлень на день; з 22:00 до 08:00 (за Києвом) тиша — зміни прийдуть о 08:00 одним повідомленням.";

    private const int PageEntries = 10;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly (AlertMode Mode, string Label)[] Modes = [(AlertMode.All, "Усі зміни"), (AlertMode.Important, "Лише важливі"), (AlertMode.Off, "Вимкнено")];

    public static string LimitReached => $"Ви вже стежите за {TrackingService.MaxFollows} пропозиціями — це максимум. Приберіть одну в /tracked, щоб додати нову.";

    public static string OtherYear(int campaignYear) =>
        $"Ця пропозиція — іншої вступної кампанії. Стежити можна лише за пропозиціями кампанії {campaignYear}.";

    /// <summary>The answer to a follow press that did not follow.</summary>
    public static string Refusal(TrackOutcome outcome, int campaignYear) => outcome switch
    {
        TrackOutcome.LimitReached => LimitReached,
        TrackOutcome.OtherYear => OtherYear(campaignYear),
        TrackOutcome.Withdrawn => Withdrawn,
        TrackOutcome.NotFound => NotFound,
        _ => AlreadyFollowing,
    };

    /// <summary>The offer view's button: follow, or stop following; none for a withdrawn offer nobody follows.</summary>
    public static InlineKeyboardButton? OfferViewButton(long offerId, bool tracked, bool withdrawn) =>
        tracked ? InlineKeyboardButton.WithCallbackData(UnfollowButton, CallbackData.Pack(new TrackUnfollow(offerId, TrackedOrigin.OfferView)))
        : withdrawn ? null
        : InlineKeyboardButton.WithCallbackData(FollowButton, CallbackData.Pack(new TrackFollow(offerId)));

    /// <summary>A page of /tracked: numbered entries whose numbers match the buttons, pages cut to fit one message.</summary>
    public static RenderedMessage List(TrackedList list, int page)
    {
        ArgumentNullException.ThrowIfNull(list);
        var notes = new StringBuilder();
        if (list.DroppedOtherYears > 0)
        {
            notes.Append("ℹ️ Пропозиції попередньої кампанії (").Append(list.DroppedOtherYears)
                .Append(") прибрано зі списку: кампанія ").Append(list.CampaignYear).Append(" вже інша, сповіщень про них не буде.\n\n");
        }

        if (list.Entries.Count == 0)
        {
            return new RenderedMessage(notes + None);
        }

        var entries = list.Entries.Select((e, i) => Entry(e, i + 1)).ToList();
        var footer = new StringBuilder("\n");
        if (!list.Linked)
        {
            footer.Append("\nПід'єднайте профіль з балами НМТ на сайті — і тут з'явиться ваше місце в рейтингу.");
        }
        else if (list.Entries.Any(e => e.Now.Personal is not null))
        {
            footer.Append('\n').Append(EstimateNote);
        }

        // The header's page numbers are the only part that varies; budget for the longest.
        var budget = RenderedMessage.MaxLength - Header(list, 99, 99).Length - notes.Length - footer.Length;
        var pages = MessagePages.Split([.. entries.Select(e => e.Length)], budget, PageEntries);
        page = Math.Clamp(page, 0, pages.Count - 1);
        var range = pages[page];
        var text = new StringBuilder(notes.ToString()).Append(Header(list, page, pages.Count));
        var rows = new List<InlineKeyboardButton[]>();
        for (var i = range.Start.Value; i < range.End.Value; i++)
        {
            text.Append('\n').Append(entries[i]);
            var offerId = list.Entries[i].Offer.OfferId;
            rows.Add(
            [
                InlineKeyboardButton.WithCallbackData($"🔎 {i + 1}. Відкрити", CallbackData.Pack(new TrackedOpen(offerId))),
                InlineKeyboardButton.WithCallbackData($"✖ {i + 1}. Не стежити", CallbackData.Pack(new TrackUnfollow(offerId, TrackedOrigin.List(page)))),
            ]);
        }

        text.Append(footer);
        var navigation = new List<InlineKeyboardButton>();
        if (page > 0)
        {
            navigation.Add(InlineKeyboardButton.WithCallbackData(OpenDayRenderer.PrevButton, CallbackData.Pack(new TrackedPage(page - 1))));
        }

        if (page < pages.Count - 1)
        {
            navigation.Add(InlineKeyboardButton.WithCallbackData(OpenDayRenderer.NextButton, CallbackData.Pack(new TrackedPage(page + 1))));
        }

        if (navigation.Count > 0)
        {
            rows.Add([.. navigation]);
        }

        rows.Add([InlineKeyboardButton.WithCallbackData("⚙️ Сповіщення", CallbackData.Pack(new TrackedSettings()))]);
        return new RenderedMessage(text.ToString().TrimEnd(), new InlineKeyboardMarkup(rows));
    }

    /// <summary>The alert settings: the three modes, the place thresholds, and how often alerts come.</summary>
    public static RenderedMessage Settings(AlertPreference preference)
    {
        ArgumentNullException.ThrowIfNull(preference);
        var text = new StringBuilder("<b>⚙️ Сповіщення про пропозиції, за якими ви стежите</b>\n\n");
        text.Append("Зараз: <b>").Append(ModeName(preference)).Append("</b>\n\n");
        text.Append("• <b>Усі зміни</b> — ви перетнули межу бюджету (в будь-який бік), ваше місце змінилося на ")
            .Append(preference.PlaceThreshold).Append("+, прохідний бал — на 0.5+, змінилася кількість бюджетних місць, пропозицію відкликано.\n");
        text.Append("• <b>Лише важливі</b> — межа бюджету, кількість місць, відкликання та місце на ")
            .Append(Math.Max(AlertPreference.ImportantPlaceMove, preference.PlaceThreshold)).Append("+.\n");
        text.Append("• <b>Вимкнено</b> — без сповіщень.\n\n");
        text.Append("Без під'єднаного профілю — лише прохідний бал, кількість місць і відкликання.\n");
        text.Append(QuietNote);
        InlineKeyboardButton[][] rows =
        [
            [.. Modes.Select(m => InlineKeyboardButton.WithCallbackData((preference.Mode == m.Mode ? "✅ " : "") + m.Label, CallbackData.Pack(new TrackedSetMode(m.Mode))))],
            [.. AlertPreference.Thresholds.Select(t => InlineKeyboardButton.WithCallbackData(
                (preference.PlaceThreshold == t ? "✅ " : "") + "±" + t.ToString(Invariant), CallbackData.Pack(new TrackedSetThreshold(t))))],
            [InlineKeyboardButton.WithCallbackData("◀ До списку", CallbackData.Pack(new TrackedPage(0)))],
        ];
        return new RenderedMessage(text.ToString(), new InlineKeyboardMarkup(rows));
    }

    /// <summary>
    /// The alert: one block per offer with what changed, each with a button to its view and one to stop following. Always
    /// one message: offers beyond what fits are counted at the end and shown in /tracked.
    /// </summary>
    public static RenderedMessage Alert(TrackedAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var blocks = alert.Changes.Select((c, i) => Block(c, i + 1)).ToList();
        var personal = alert.Changes.Any(c => (c.Triggers & (AlertTriggers.PlaceMoved | AlertTriggers.BudgetLineCrossed)) != 0);
        var footer = "\n" + (personal ? EstimateNote + "\n" : "") + "Налаштувати сповіщення: /tracked";
        const string more = "\n…і ще 00 — дивіться /tracked";
        var header = "<b>" + AlertTitle + "</b>\n";
        var budget = RenderedMessage.MaxLength - header.Length - footer.Length - more.Length;
        var shown = MessagePages.Split([.. blocks.Select(b => b.Length)], budget, TrackingService.MaxFollows)[0];
        var text = new StringBuilder(header);
        var rows = new List<InlineKeyboardButton[]>();
        for (var i = shown.Start.Value; i < shown.End.Value; i++)
        {
            text.Append('\n').Append(blocks[i]);
            var offerId = alert.Changes[i].Offer.OfferId;
            rows.Add(
            [
                InlineKeyboardButton.WithCallbackData($"🔎 {i + 1}. Відкрити", CallbackData.Pack(new TrackedOpen(offerId))),
                InlineKeyboardButton.WithCallbackData($"✖ {i + 1}. Не стежити", CallbackData.Pack(new TrackUnfollow(offerId, TrackedOrigin.Alert))),
            ]);
        }

        if (shown.End.Value < blocks.Count)
        {
            text.Append("\n…і ще ").Append(blocks.Count - shown.End.Value).Append(" — дивіться /tracked");
        }

        text.Append(footer);
        return new RenderedMessage(text.ToString(), new InlineKeyboardMarkup(rows));
    }

    private static string Header(TrackedList list, int page, int pages)
    {
        var text = new StringBuilder("<b>⭐ Ви стежите за ").Append(list.Entries.Count).Append(" з ").Append(TrackingService.MaxFollows).Append(" пропозицій</b>");
        if (pages > 1)
        {
            text.Append(" · сторінка ").Append(page + 1).Append(" з ").Append(pages);
        }

        return text.Append("\nСповіщення: ").Append(ModeName(list.Preference)).Append('\n').ToString();
    }

    private static string ModeName(AlertPreference preference) => preference.Mode switch
    {
        AlertMode.All => $"усі зміни (місце на {preference.PlaceThreshold}+)",
        AlertMode.Important => $"лише важливі (місце на {Math.Max(AlertPreference.ImportantPlaceMove, preference.PlaceThreshold)}+)",
        _ => "вимкнено",
    };

    private static string Title(TrackedOfferCard offer, int number) =>
        $"<b>{number}. {Texts.Html(Texts.Shorten(offer.University, 40))} · {Texts.Html(offer.SpecialityCode)}</b> {Texts.Html(Texts.Shorten(offer.ProgramName, 48))}\n";

    /// <summary>One /tracked entry, two lines: the title; the user's place, side of the line and gap, the cut-off and seats.</summary>
    private static string Entry(TrackedEntry entry, int number)
    {
        var now = entry.Now;
        var text = new StringBuilder(Title(entry.Offer, number));
        if (now.Withdrawn)
        {
            return text.Append("⚠️ Пропозицію відкликано: її немає в останньому знімку списків.\n").ToString();
        }

        if (now.Personal is { } personal)
        {
            text.Append("📍 Місце ").Append(Place(personal));
            if (entry.PreviousPlace is { } before && before != personal.Place)
            {
                text.Append(" (було ").Append(before).Append(')');
            }

            text.Append(" · ").Append(Side(personal.Side));
            if (personal.Gap is { } gap)
            {
                text.Append(" · до останнього бюджетного ").Append(Signed(gap));
            }

            // The cut-off and the seats go on the same line: an entry is its title and one line.
            text.Append(" · ");
        }

        if (now.CutOff is { } cutOff)
        {
            text.Append("✂️ Прохідний ").Append(Texts.Score(cutOff));
            text.Append(entry.CutOffChange is { } change && change != 0 ? " (" + Signed(change) + ")" : entry.ChangedInLatestRun ? "" : " (без змін)");
        }
        else
        {
            text.Append(now.GeneralSeats is > 0 ? "✂️ Прохідного поки немає: заяв менше, ніж місць" : "✂️ Прохідного немає");
        }

        text.Append(" · 🎓 ").Append(now.BudgetPlaces is { } places ? places.ToString(Invariant) + " бюджетних" : "лише контракт").Append('\n');
        return text.ToString();
    }

    /// <summary>One alert block: the title and a line per trigger, each "was → now".</summary>
    private static string Block(TrackedChange change, int number)
    {
        var (told, now, triggers) = (change.Told, change.Now, change.Triggers);
        var text = new StringBuilder(Title(change.Offer, number));
        if (triggers.HasFlag(AlertTriggers.Withdrawn))
        {
            text.Append("⚠️ Пропозицію відкликано: її немає в останньому знімку списків.\n");
        }

        if (triggers.HasFlag(AlertTriggers.Reinstated))
        {
            text.Append("↩️ Пропозиція знову в списках.\n");
        }

        if (triggers.HasFlag(AlertTriggers.BudgetLineCrossed) && now.Personal is { } crossed)
        {
            text.Append(crossed.Side == BudgetSide.Inside
                ? $"✅ Ви в межах бюджету: місце {Place(crossed)} з {now.GeneralSeats} бюджетних (без квот)\n"
                : $"❌ Ви за межею бюджету: місце {Place(crossed)} при {now.GeneralSeats} бюджетних (без квот)\n");
        }

        if (triggers.HasFlag(AlertTriggers.PlaceMoved) && told.Personal is { } placeBefore && now.Personal is { } placeNow)
        {
            text.Append("📍 Місце: ").Append(placeBefore.Place).Append(" → ").Append(Place(placeNow))
                .Append(placeNow.Place < placeBefore.Place ? " ⬆️" : " ⬇️").Append('\n');
        }

        if (triggers.HasFlag(AlertTriggers.CutOffMoved))
        {
            text.Append("✂️ Прохідний: ").Append(told.CutOff is { } a ? Texts.Score(a) : "немає").Append(" → ")
                .Append(now.CutOff is { } b ? Texts.Score(b) : "немає (заяв менше, ніж місць)");
            if (told.CutOff is { } from && now.CutOff is { } to)
            {
                text.Append(" (").Append(Signed(to - from)).Append(')');
            }

            text.Append('\n');
        }

        if (triggers.HasFlag(AlertTriggers.SeatsChanged))
        {
            text.Append("🎓 Бюджетних місць: ").Append(Seats(told.BudgetPlaces)).Append(" → ").Append(Seats(now.BudgetPlaces)).Append('\n');
        }

        return text.ToString();
    }

    private static string Place(PersonalStanding standing) =>
        standing.PlaceWorst != standing.Place ? $"{standing.Place}–{standing.PlaceWorst}" : standing.Place.ToString(Invariant);

    private static string Side(BudgetSide side) => side switch
    {
        BudgetSide.Inside => "✅ у межах бюджету",
        BudgetSide.Outside => "❌ поза бюджетом",
        _ => "бюджетних місць для загального конкурсу немає",
    };

    private static string Seats(int? places) => places is { } p ? p.ToString(Invariant) : "лише контракт";

    private static string Signed(decimal value) => (value > 0 ? "+" : value < 0 ? "−" : "") + Texts.Score(Math.Abs(value));
}
