using System.Globalization;
using System.Text;
using Abitly.Bot.Data;
using Abitly.Bot.Services;
using Abitly.Domain.Ranking;
using Abitly.Domain.Scoring;
using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Rendering;

/// <summary>Renders an offer view in Ukrainian HTML, always under Telegram's 4,096-character limit.</summary>
public static class OfferViewRenderer
{
    public const int MaxLength = 4096;
    public const string RefreshPrefix = "offer:r:";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Score(decimal value) => value.ToString("0.000", Invariant);

    private static string Weight(decimal value) => value.ToString("0.00#", Invariant);

    private static string MinimumOf(Offer offer, string subject) =>
        (offer.Subjects.FirstOrDefault(s => s.Subject == subject && s.MinScore is not null)?.MinScore ?? 0m).ToString("0.###", Invariant);

    public static string NotFound(long offerId, int campaignYear) =>
        $"Не знайшов конкурсну пропозицію <b>{offerId}</b> вступної кампанії {campaignYear}. Перевірте посилання — можливо, пропозицію ще не завантажено.";

    public static string InvalidYear(int linkYear, int campaignYear) =>
        $"Це пропозиція вступної кампанії <b>{linkYear}</b>. Зараз я показую пропозиції кампанії <b>{campaignYear}</b> — надішліть посилання на пропозицію цього року.";

    public static InlineKeyboardMarkup Keyboard(Offer offer, bool linked, string? linkWebUrl)
    {
        var rows = new List<InlineKeyboardButton[]>();
        var first = new List<InlineKeyboardButton>();
        if (!string.IsNullOrEmpty(offer.SourceUrl))
        {
            first.Add(InlineKeyboardButton.WithUrl("Відкрити на сайті", offer.SourceUrl));
        }

        first.Add(InlineKeyboardButton.WithCallbackData("🔄 Оновити", RefreshPrefix + offer.Id.ToString(Invariant)));
        rows.Add([.. first]);
        if (!linked && !string.IsNullOrEmpty(linkWebUrl))
        {
            rows.Add([InlineKeyboardButton.WithUrl(Texts.LinkProfileButton, linkWebUrl)]);
        }

        return new InlineKeyboardMarkup(rows);
    }

    public static string Render(OfferSnapshot snapshot, PersonalResult? personal)
    {
        var offer = snapshot.Offer;
        var text = new StringBuilder(2048);
        text.Append("<b>").Append(Texts.Html(offer.University.ShortName)).Append("</b>\n");
        text.Append(Texts.Html(offer.University.Name)).Append('\n');
        text.Append("<b>").Append(Texts.Html(offer.Speciality.Code)).Append(' ').Append(Texts.Html(offer.Speciality.Name)).Append("</b>\n");
        text.Append("Освітня програма: ").Append(Texts.Html(offer.ProgramName)).Append('\n');
        if (!string.IsNullOrWhiteSpace(offer.Faculty))
        {
            text.Append("Факультет: ").Append(Texts.Html(offer.Faculty)).Append('\n');
        }

        text.Append(Texts.Html(offer.EducationForm)).Append(" форма · ").Append(Texts.Html(offer.Degree)).Append(" · ").Append(offer.Year).Append('\n');
        text.Append("Пропозиція ").Append(offer.Id).Append('\n');
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
        AppendAnalytics(text, snapshot);
        AppendPersonal(text, personal, offer);
        return Fit(text.ToString());
    }

    private static void AppendWeights(StringBuilder text, Offer offer)
    {
        text.Append("\n<b>Вагові коефіцієнти</b>\n");
        if (offer.Subjects.Count == 0)
        {
            text.Append("Коефіцієнти ще не опубліковано.\n");
            return;
        }

        var fixedSlots = offer.Subjects.Where(s => s.Slot is 1 or 2 or 3 or 5).OrderBy(s => s.Slot)
            .Select(s => $"{Texts.SubjectName(s.Subject)} {Weight(s.Coefficient)}");
        text.Append(string.Join(" · ", fixedSlots)).Append('\n');
        var fourth = offer.Subjects.Where(s => s.Slot == 4).OrderByDescending(s => s.Coefficient).ThenBy(s => s.Subject, StringComparer.Ordinal)
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

    private static void AppendAnalytics(StringBuilder text, OfferSnapshot snapshot)
    {
        text.Append("\n<b>Аналітика</b>\n");
        if (snapshot.Analytics is { } a)
        {
            text.Append("Заяв: ").Append(a.ApplicationsTotal).Append(", з них на бюджет: ").Append(a.ApplicationsBudget).Append('\n');
            if (a.MinBudgetScoreLastYear is { } min)
            {
                text.Append("Мінімальний бюджетний бал минулого року: ").Append(Score(min)).Append('\n');
            }

            if (a.AvgScore is { } avg)
            {
                text.Append("Середній бал заяв: ").Append(Score(avg)).Append('\n');
            }
        }
        else
        {
            text.Append("Аналітики ще немає.\n");
        }

        var applications = snapshot.Applications;
        if (applications.ActiveCount == 0)
        {
            text.Append("Заяв на цю пропозицію ще немає.\n");
            return;
        }

        var buckets = applications.Distribution.Where(b => b.Count > 0);
        text.Append("Активні заяви за балами (").Append(applications.ActiveCount).Append("): ");
        text.Append(string.Join(" · ", buckets.Select(b => b.From is { } from
            ? $"{from.ToString("0", Invariant)}–{b.To.ToString("0", Invariant)}: {b.Count}"
            : $"&lt;{b.To.ToString("0", Invariant)}: {b.Count}")));
        text.Append('\n');
    }

    private static void AppendPersonal(StringBuilder text, PersonalResult? personal, Offer offer)
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
            text.Append("<b>").Append(Score(score.WithPriorityBonus)).Append("</b> для пріоритетів 1–2 · <b>")
                .Append(Score(score.WithoutPriorityBonus)).Append("</b> для інших\n");
        }
        else
        {
            text.Append("<b>").Append(Score(score.WithPriorityBonus)).Append("</b>\n");
        }

        if (score.FourthSubject is { } fourth)
        {
            text.Append("4-й предмет у розрахунку: ").Append(Texts.SubjectName(fourth)).Append('\n');
        }

        if (!score.MeetsBudgetThreshold)
        {
            text.Append("⚠️ Бал нижчий за мінімальний для бюджету (").Append(Score(score.BudgetThreshold)).Append(").\n");
        }

        if (score.SubjectsBelowMinimum.Count > 0)
        {
            text.Append("⚠️ Нижче мінімального бала пропозиції: ").Append(string.Join(", ", score.SubjectsBelowMinimum.Select(s => $"{Texts.SubjectName(s)} (мінімум {MinimumOf(offer, s)})"))).Append(".\n");
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

    private static void AppendRank(StringBuilder text, RankEstimate rank, string? label)
    {
        text.Append("Місце (оцінка").Append(label is null ? "" : ", " + label).Append("): <b>")
            .Append(rank.IsRange ? $"{rank.BestPlace}–{rank.WorstPlace}" : rank.BestPlace.ToString(Invariant))
            .Append("</b> серед ").Append(rank.ActiveBudgetApplications).Append(" активних бюджетних заяв\n");
        text.Append(rank.Standing switch
        {
            Standing.Inside => "✅ У межах бюджетних місць",
            Standing.Edge => "⚖️ На межі бюджетних місць",
            Standing.Outside => "❌ Поза бюджетними місцями",
            _ => "Бюджетних місць для загального конкурсу немає",
        });
        if (rank.BudgetPlacesForGeneralCompetition is { } places && rank.Standing != Standing.NoBudget)
        {
            text.Append(" (").Append(places).Append(" без квот)");
        }

        text.Append('\n');
        if (rank.GapToLastBudgetPlace is { } gap)
        {
            text.Append("Різниця з останнім бюджетним місцем: ").Append(gap >= 0 ? "+" : "").Append(Score(gap)).Append(" бала\n");
        }
    }

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
        if (html.Length <= MaxLength)
        {
            return html;
        }

        var cut = html.LastIndexOf('\n', MaxLength - 2);
        return html[..cut] + "\n…";
    }
}
