using System.Globalization;
using System.Text;
using Abitly.Bot.Callbacks;
using Abitly.Bot.Services;
using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;
using Abitly.Domain.Scoring;
using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Rendering;

/// <summary>Renders an offer view in Ukrainian HTML, always under Telegram's 4,096-character limit.</summary>
public static class OfferViewRenderer
{
    public const string LinkHint =
        """
        Це не схоже на посилання на конкурсну пропозицію. Я розумію такі:
        <code>https://vstup.edbo.gov.ua/offer/1234567/</code>
        <code>https://vstup2025.edbo.gov.ua/offer/1234567/</code>
        <code>https://vstup.osvita.ua/y2026/r27/79/1234567/</code>
        <code>https://abit-poisk.org.ua/rate2026/direction/1234567</code>
        """;

    public const string SeveralLinks = "У повідомленні кілька посилань — показую перше.";

    public const string Unchanged = "Без змін";

    public const string Refreshed = "Оновлено";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The message for any status; <paramref name="severalLinks"/> prefixes the note that only the first link is shown.</summary>
    public static RenderedMessage Render(OfferView view, bool severalLinks = false)
    {
        ArgumentNullException.ThrowIfNull(view);
        var html = view.Status switch
        {
            OfferViewStatus.NotFound =>
                $"Не знайшов конкурсну пропозицію <b>{view.OfferId}</b> вступної кампанії {view.CampaignYear}. Перевірте посилання — можливо, пропозицію ще не завантажено.",
            OfferViewStatus.InvalidYear =>
                $"Це пропозиція вступної кампанії <b>{view.OtherYear}</b>. Зараз я показую пропозиції кампанії <b>{view.CampaignYear}</b> — надішліть посилання на пропозицію цього року.",
            _ => Body(view),
        };
        if (severalLinks && html.Length + SeveralLinks.Length + 2 <= RenderedMessage.MaxLength)
        {
            html = SeveralLinks + "\n\n" + html;
        }

        return new RenderedMessage(html, view.Details is { } details ? Keyboard(details, view.ProfileLinkUrl, view.Tracked) : null);
    }

    private static InlineKeyboardMarkup Keyboard(OfferDetails offer, string? profileLinkUrl, bool tracked)
    {
        var rows = new List<InlineKeyboardButton[]>();
        var first = new List<InlineKeyboardButton>();
        if (!string.IsNullOrEmpty(offer.SourceUrl))
        {
            first.Add(InlineKeyboardButton.WithUrl("Відкрити на сайті", offer.SourceUrl));
        }

        first.Add(InlineKeyboardButton.WithCallbackData("🔄 Оновити", CallbackData.Pack(new OfferRefresh(offer.Id))));
        rows.Add([.. first]);
        if (offer.ActiveApplications > 0 && offer.ListVersion is { } version)
        {
            rows.Add([InlineKeyboardButton.WithCallbackData(OfferChartRenderer.Button, CallbackData.Pack(new OfferChart(offer.Id, version)))]);
        }

        if (TrackedRenderer.OfferViewButton(offer.Id, tracked, offer.Withdrawn) is { } follow)
        {
            rows.Add([follow]);
        }

        if (!string.IsNullOrEmpty(profileLinkUrl))
        {
            rows.Add([InlineKeyboardButton.WithUrl(Texts.LinkProfileButton, profileLinkUrl)]);
        }

        return new InlineKeyboardMarkup(rows);
    }

    private static string Body(OfferView view)
    {
        var offer = view.Details!;
        var text = new StringBuilder(2048);
        text.Append("<b>").Append(Texts.Html(offer.UniversityShortName)).Append("</b>\n");
        text.Append(Texts.Html(offer.UniversityName)).Append('\n');
        text.Append("<b>").Append(Texts.Html(Texts.Speciality(offer.SpecialityCode, offer.SpecialityName))).Append("</b>\n");
        text.Append("Освітня програма: ").Append(Texts.Html(offer.ProgramName)).Append('\n');
        if (!string.IsNullOrWhiteSpace(offer.Faculty))
        {
            text.Append("Факультет: ").Append(Texts.Html(offer.Faculty)).Append('\n');
        }

        text.Append(Texts.Html(offer.EducationForm)).Append(" форма · ").Append(Texts.Html(offer.Degree)).Append(" · ").Append(offer.Year).Append('\n');
        text.Append("Пропозиція ").Append(offer.Id).Append('\n');
        if (offer.Withdrawn)
        {
            text.Append("⚠️ Цієї пропозиції немає в останньому знімку списків — її відкликано або закрито.\n");
        }

        if (offer.BudgetPlaces is { } budget)
        {
            text.Append("Бюджетних місць (макс. держзамовлення): <b>").Append(budget).Append("</b>");
            if (offer.Quota1Places + offer.Quota2Places > 0)
            {
                text.Append(" (квота 1: ").Append(offer.Quota1Places).Append(", квота 2: ").Append(offer.Quota2Places).Append(')');
            }

            text.Append('\n');
        }
        else
        {
            text.Append("Лише контракт\n");
        }

        if (offer.LicenseVolume is { } license)
        {
            text.Append("Ліцензійний обсяг: ").Append(license).Append('\n');
        }

        AppendWeights(text, offer);
        AppendAnalytics(text, offer);
        // Beside today's estimate: after the linked user's score and place, before the unlinked user's hint.
        if (view.Personal is null)
        {
            AppendSimulation(text, view.Simulation, offer, null);
            AppendPersonal(text, view.Personal, offer);
        }
        else
        {
            AppendPersonal(text, view.Personal, offer);
            AppendSimulation(text, view.Simulation, offer, view.Personal.Outcome?.Score);
        }

        return Fit(text.ToString());
    }

    private static string Weight(decimal value) => value.ToString("0.00#", Invariant);

    private static void AppendWeights(StringBuilder text, OfferDetails offer)
    {
        text.Append("\n<b>Вагові коефіцієнти</b>\n");
        if (offer.Weights.Count == 0)
        {
            text.Append("Коефіцієнти ще не опубліковано.\n");
            return;
        }

        var fixedSlots = offer.Weights.Where(s => s.Slot is 1 or 2 or 3 or 5).OrderBy(s => s.Slot)
            .Select(s => $"{Texts.SubjectName(s.Subject)} {Weight(s.Coefficient)}");
        text.Append(string.Join(" · ", fixedSlots)).Append('\n');
        var fourth = offer.Weights.Where(s => s.Slot == 4).OrderByDescending(s => s.Coefficient).ThenBy(s => s.Subject, StringComparer.Ordinal)
            .Select(s => $"{Texts.SubjectName(s.Subject)} {Weight(s.Coefficient)}").ToList();
        if (fourth.Count > 0)
        {
            text.Append("4-й предмет на вибір: ").Append(string.Join(", ", fourth)).Append('\n');
        }

        text.Append("РК ").Append(Weight(offer.RegionalCoefficient));
        if (offer.SectoralCoefficientApplies)
        {
            text.Append(" · ГК 1.02 для пріоритетів 1–2");
        }

        text.Append('\n');
    }

    private static void AppendAnalytics(StringBuilder text, OfferDetails offer)
    {
        text.Append("\n<b>Аналітика</b>\n");
        if (offer.Analytics is { } a)
        {
            text.Append("Заяв: ").Append(a.ApplicationsTotal).Append(", з них на бюджет: ").Append(a.ApplicationsBudget).Append('\n');
            if (a.MinBudgetScoreLastYear is { } min)
            {
                text.Append("Мінімальний бюджетний бал минулого року: ").Append(Texts.Score(min)).Append('\n');
            }

            if (a.AvgScore is { } avg)
            {
                text.Append("Середній бал заяв: ").Append(Texts.Score(avg)).Append('\n');
            }
        }
        else
        {
            text.Append("Аналітики ще немає.\n");
        }

        if (offer.ActiveApplications == 0)
        {
            text.Append("Заяв на цю пропозицію ще немає.\n");
            AppendFreshness(text, offer);
            return;
        }

        if (offer.CutOff is { } cutOff)
        {
            text.Append("Прохідний на бюджет зараз: <b>").Append(Texts.Score(cutOff)).Append("</b>");
            if (offer.Trend is { } trend)
            {
                text.Append(", ").Append(trend.Delta >= 0 ? "+" : "−").Append(Math.Abs(trend.Delta).ToString("0.0##", Invariant))
                    .Append(trend.OverADay ? " за добу" : " з " + trend.Since.ToOffset(offer.DataAsOfLocal?.Offset ?? TimeSpan.Zero).ToString("dd.MM HH:mm", Invariant));
            }

            text.Append('\n');
        }
        else if (offer.GeneralSeats is > 0)
        {
            text.Append("Бюджетних місць більше, ніж заяв у загальному конкурсі: прохідного бала поки немає.\n");
        }

        var buckets = offer.Distribution.Where(b => b.Count > 0);
        text.Append("Активні заяви за балами (").Append(offer.ActiveApplications).Append("): ");
        text.Append(string.Join(" · ", buckets.Select(b => b.From is { } from
            ? $"{from.ToString("0", Invariant)}–{b.To.ToString("0", Invariant)}: {b.Count}"
            : $"&lt;{b.To.ToString("0", Invariant)}: {b.Count}")));
        text.Append('\n');
        AppendFreshness(text, offer);
    }

    private static void AppendFreshness(StringBuilder text, OfferDetails offer)
    {
        if (offer.DataAsOfLocal is { } asOf)
        {
            text.Append("<i>Дані станом на ").Append(asOf.ToString("dd.MM, HH:mm", Invariant)).Append("</i>\n");
        }
    }

    private static void AppendPersonal(StringBuilder text, PersonalResult? personal, OfferDetails offer)
    {
        text.Append('\n');
        if (personal is null)
        {
            text.Append("Під'єднайте профіль з балами НМТ на сайті — і я покажу ваш конкурсний бал та місце в рейтингу.");
            return;
        }

        text.Append("<b>Ваш конкурсний бал</b>\n");
        if (personal.Outcome is not { } outcome)
        {
            text.Append("Порахую, щойно заклад опублікує вагові коефіцієнти.");
            return;
        }

        if (!outcome.HasScore)
        {
            var missing = outcome.MissingSubjects.Select(Texts.SubjectName).ToList();
            if (outcome.MissingFourthSubjectOptions.Count > 0)
            {
                missing.Add("один з предметів: " + string.Join(", ", outcome.MissingFourthSubjectOptions.Select(Texts.SubjectName)));
            }

            text.Append("Не можу порахувати: бракує результатів — ").Append(string.Join("; ", missing)).Append(".\nДодайте їх у профілі на сайті.");
            AppendInvalid(text, outcome);
            return;
        }

        var score = outcome.Score;
        if (score.PriorityBonusDiffers)
        {
            text.Append("<b>").Append(Texts.Score(score.WithPriorityBonus)).Append("</b> для пріоритетів 1–2 · <b>")
                .Append(Texts.Score(score.WithoutPriorityBonus)).Append("</b> для інших\n");
        }
        else
        {
            text.Append("<b>").Append(Texts.Score(score.WithPriorityBonus)).Append("</b>\n");
        }

        if (score.FourthSubject is { } fourth)
        {
            text.Append("4-й предмет у розрахунку: ").Append(Texts.SubjectName(fourth)).Append('\n');
        }

        if (!score.MeetsBudgetThreshold)
        {
            text.Append("⚠️ Бал нижчий за мінімальний для бюджету (").Append(Texts.Score(score.BudgetThreshold)).Append(").\n");
        }

        if (score.SubjectsBelowMinimum.Count > 0)
        {
            text.Append("⚠️ Нижче мінімального бала пропозиції: ")
                .Append(string.Join(", ", score.SubjectsBelowMinimum.Select(s => $"{Texts.SubjectName(s)} (мінімум {MinimumOf(offer, s)})")))
                .Append(".\n");
        }

        AppendInvalid(text, outcome);
        if (personal.Rank is { } rank)
        {
            AppendRank(text, rank, personal.RankOtherPriorities is null ? null : "для пріоритетів 1–2");
            if (personal.RankOtherPriorities is { } other)
            {
                AppendRank(text, other, "для інших пріоритетів");
            }

            text.Append("<i>Це оцінка: вона не враховує вступників, які пройдуть за вищим пріоритетом деінде.</i>");
        }
    }

    /// <summary>The simulation block: its time and disclaimer, the simulated cut-off, and the user's own outcome or their score against it.</summary>
    private static void AppendSimulation(StringBuilder text, SimulatedStanding? simulation, OfferDetails offer, CompetitiveScore? score)
    {
        if (simulation is not { } s || offer.BudgetPlaces is null || (s.Run.Shown && s.Offer is null && !s.Run.ListsNewer))
        {
            return;   // nothing simulated yet, a contract-only offer, or an offer the simulation did not see
        }

        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }

        text.Append('\n');
        if (!s.Run.Shown)
        {
            text.Append(Texts.Simulation.NotShown(s.Run.HiddenReason, s.Run.MatchedShare)).Append('\n');
            return;
        }

        text.Append(Texts.Simulation.Heading(s.Run.TakenAtLocal)).Append('\n');
        if (s.Run.ListsNewer)
        {
            text.Append(Texts.Simulation.ListsNewer).Append('\n');
        }

        if (s.Offer is not { } o)
        {
            return;
        }

        text.Append(o.GeneralPlaces <= 0 ? Texts.Simulation.NoGeneralSeats
            : o.CutOff is { } cutOff ? Texts.Simulation.CutOff(cutOff)
            : Texts.Simulation.FreeSeats(o.GeneralSeated, o.GeneralPlaces)).Append('\n');
        text.Append(Texts.Simulation.Recommended(o.Admitted, o.BudgetPlaces, o.Quota1Seated, o.Quota2Seated)).Append('\n');
        if (s.Own is { } own)
        {
            text.Append(own.Outcome switch
            {
                SimulatedOutcome.RecommendedHere => Texts.Simulation.RecommendedHere(own.Priority, own.Place),
                SimulatedOutcome.HigherPriorityElsewhere => Texts.Simulation.HigherPriorityElsewhere(own.Priority, own.HeldPriority, own.HeldOfferLabel, own.Place),
                SimulatedOutcome.LowerPriorityElsewhere => Texts.Simulation.LowerPriorityElsewhere(own.Priority, own.Place, o.GeneralPlaces, own.HeldPriority, own.HeldOfferLabel),
                _ => Texts.Simulation.NotRecommended(own.Priority, own.Place, o.GeneralPlaces),
            }).Append('\n');
        }
        else if (score is not null && s.ScoreForPriorities1To2 is { } first)
        {
            text.Append(Texts.Simulation.OwnNotFound).Append('\n');
            var other = s.ScoreForOtherPriorities;
            text.Append(Texts.Simulation.ScoreAgainst(other is null ? null : "для пріоритетів 1–2", score.WithPriorityBonus, o.CutOff, first)).Append('\n');
            if (other is { } second)
            {
                text.Append(Texts.Simulation.ScoreAgainst("для інших пріоритетів", score.WithoutPriorityBonus, o.CutOff, second)).Append('\n');
            }
        }

        text.Append(Texts.Simulation.Disclaimer);
    }

    private static string MinimumOf(OfferDetails offer, string subject) =>
        (offer.Weights.FirstOrDefault(s => s.Subject == subject && s.MinScore is not null)?.MinScore ?? 0m).ToString("0.###", Invariant);

    private static void AppendRank(StringBuilder text, RankEstimate rank, string? label)
    {
        text.Append("Місце (оцінка").Append(label is null ? "" : ", " + label).Append("): <b>")
            .Append(rank.IsRange ? $"{rank.BestPlace}–{rank.WorstPlace}" : rank.BestPlace.ToString(Invariant))
            .Append("</b> серед ").Append(rank.ActiveBudgetApplications).Append(" активних бюджетних заяв\n");
        text.Append(StandingText(rank.Standing));
        if (rank.BudgetPlacesForGeneralCompetition is { } places && rank.Standing != Standing.NoBudget)
        {
            text.Append(" (").Append(places).Append(" без квот)");
        }

        text.Append('\n');
        if (rank.GapToLastBudgetPlace is { } gap)
        {
            text.Append("Різниця з останнім бюджетним місцем: ").Append(gap >= 0 ? "+" : "").Append(Texts.Score(gap)).Append(" бала\n");
        }
    }

    /// <summary>Where an estimated place stands against the budget places, as the view and the chart's caption say it.</summary>
    internal static string StandingText(Standing standing) => standing switch
    {
        Standing.Inside => "✅ У межах бюджетних місць",
        Standing.Edge => "⚖️ На межі бюджетних місць",
        Standing.Outside => "❌ Поза бюджетними місцями",
        _ => "Бюджетних місць для загального конкурсу немає",
    };

    private static void AppendInvalid(StringBuilder text, ScoreOutcome outcome)
    {
        if (outcome.InvalidGrades.Count > 0)
        {
            text.Append("\nНе враховано результати поза шкалою 100–200: ").Append(string.Join(", ", outcome.InvalidGrades.Select(Texts.SubjectName))).Append('.');
        }
    }

    /// <summary>The limit counts visible characters; tags only add, so trimming the raw text at a line break is safe.</summary>
    private static string Fit(string html)
    {
        if (html.Length <= RenderedMessage.MaxLength)
        {
            return html;
        }

        var cut = html.LastIndexOf('\n', RenderedMessage.MaxLength - 2);
        return html[..cut] + "\n…";
    }
}
