using System.Globalization;
using System.Text;
using Abitly.Bot.Services;
using Abitly.Charts;
using Abitly.Domain.Ranking;

namespace Abitly.Bot.Rendering;

/// <summary>
/// The offer's score chart in words: the texts drawn into the picture, the caption that repeats its numbers in text (screen
/// readers and notifications show only the caption), the key of what the picture shows, and the answers without a picture.
/// </summary>
public static class OfferChartRenderer
{
    public const string Button = "📊 Розподіл балів";

    public const string StaleNotice = "Списки оновилися — надсилаю актуальний розподіл.";

    public const string NotFound = "Цієї пропозиції вже немає серед завантажених.";

    public const string Busy = "Зараз малюю забагато графіків. Натисніть ще раз за кілька секунд.";

    /// <summary>
    /// Part of every picture's key: bump it when the drawing or its texts change, so pictures uploaded in the old look are
    /// drawn afresh instead of being sent again by their file ids.
    /// </summary>
    public const int ImageStyle = 1;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// What the picture shows, as a cache key: the offer, its list version and the user's marker (score and place), which
    /// is everything that varies in it. Two users with the same score and place share a picture; the caption is not in it.
    /// </summary>
    public static string ImageKey(OfferChartFacts facts, long offerId)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var place = !facts.ContractOnly && facts.Personal?.Rank is { } rank ? $"{rank.BestPlace}-{rank.WorstPlace}" : "-";
        var marker = facts.UserScore is { } score ? $"{Texts.Score(score)}:{place}" : "-";
        return string.Create(Invariant, $"chart{ImageStyle}:{offerId}:{facts.ListVersion}:{marker}");
    }

    /// <summary>The picture's input: the applications to draw, the budget line by the one rule, the user's marker and every label.</summary>
    public static ScoreChartInput Input(OfferChartFacts facts, IReadOnlyList<ChartApplication> applications)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(applications);
        var cutOff = facts.CutOff is { } value ? Math.Clamp(value, ScoreHistogram.AxisMinimum, ScoreHistogram.AxisMaximum) : (decimal?)null;
        return new ScoreChartInput(applications, cutOff, facts.ContractOnly ? null : facts.GeneralSeats, Marker(facts), new ScoreChartTexts
        {
            Title = "Розподіл конкурсних балів",
            Subtitle = $"{Texts.Speciality(facts.SpecialityCode, facts.SpecialityName)} · {facts.UniversityShortName} · {ApplicationsLabel(facts)}: {facts.Applications}",
            ScoreAxis = "Конкурсний бал",
            CountAxis = "Кількість заяв",
            GeneralLegend = "Загальний конкурс",
            Quota1Legend = "Квота 1",
            Quota2Legend = "Квота 2",
            CutOffLabel = "Прохідний на бюджет: {0}",
            BudgetSeatsLabel = "Місць у загальному конкурсі: {0}",
            MarkerLabel = "Ваш бал: {0}",
        });
    }

    /// <summary>The caption: the picture's key numbers in text, under Telegram's 1,024-character limit.</summary>
    public static RenderedMessage Caption(OfferChartView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var facts = view.Facts ?? throw new ArgumentException("A chart caption needs the chart's facts.", nameof(view));
        var text = new StringBuilder(1024);
        if (view.Stale)
        {
            text.Append("🔄 Списки оновилися після того, як з'явилася ця кнопка, — ось актуальний розподіл.\n\n");
        }

        text.Append("📊 <b>Розподіл конкурсних балів</b>\n");
        text.Append(Texts.Html(facts.UniversityShortName)).Append(" · ").Append(Texts.Html(Texts.Speciality(facts.SpecialityCode, facts.SpecialityName))).Append('\n');
        text.Append(Texts.Html(Texts.Shorten(facts.ProgramName, 90))).Append(" · пропозиція ").Append(view.OfferId).Append('\n');
        text.Append(ApplicationsLabel(facts)).Append(": ").Append(facts.Applications).Append('\n');
        AppendBudget(text, facts);
        AppendUser(text, facts);
        if (facts.DataAsOfLocal is { } asOf)
        {
            text.Append("<i>Дані станом на ").Append(asOf.ToString("dd.MM, HH:mm", Invariant)).Append("</i>");
        }

        var html = text.ToString().TrimEnd('\n');
        return new RenderedMessage(html.Length <= RenderedMessage.MaxCaptionLength ? html : html[..html.LastIndexOf('\n', RenderedMessage.MaxCaptionLength - 2)] + "\n…");
    }

    /// <summary>The answer in text when there is nothing to draw.</summary>
    public static RenderedMessage NoApplications(OfferChartView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var text = new StringBuilder();
        if (view.Facts is { } facts)
        {
            text.Append("📊 <b>").Append(Texts.Html(facts.UniversityShortName)).Append(" · ")
                .Append(Texts.Html(Texts.Speciality(facts.SpecialityCode, facts.SpecialityName))).Append("</b>\n");
            text.Append(facts.ContractOnly ? "Активних заяв" : "Активних заяв на бюджет");
        }
        else
        {
            text.Append("Активних заяв");
        }

        text.Append(" з балами ще немає, тож розподілу балів поки не показати. Натисніть кнопку знову, коли з'являться заяви.");
        return new RenderedMessage(text.ToString());
    }

    private static string ApplicationsLabel(OfferChartFacts facts) => facts.ContractOnly ? "Активних заяв" : "Активних заяв на бюджет";

    private static void AppendBudget(StringBuilder text, OfferChartFacts facts)
    {
        if (facts.BudgetPlaces is not { } budget)
        {
            text.Append("Лише контракт: бюджетних місць немає.\n");
            return;
        }

        text.Append("Бюджетних місць: ").Append(budget);
        if (facts.Quota1Places + facts.Quota2Places > 0)
        {
            text.Append(" (квота 1: зайнято ").Append(facts.Quota1Seated).Append(" з ").Append(facts.Quota1Places)
                .Append("; квота 2: ").Append(facts.Quota2Seated).Append(" з ").Append(facts.Quota2Places).Append(')');
        }

        text.Append('\n');
        if (facts.GeneralSeats is { } general)
        {
            text.Append("Місць у загальному конкурсі: ").Append(general).Append('\n');
        }

        text.Append(facts.CutOff is { } cutOff
            ? $"Прохідний на бюджет зараз: <b>{Texts.Score(cutOff)}</b>\n"
            : "Прохідного бала поки немає: заяв менше, ніж місць.\n");
    }

    private static void AppendUser(StringBuilder text, OfferChartFacts facts)
    {
        if (!facts.Linked)
        {
            text.Append("Під'єднайте профіль з балами НМТ — і я позначу на графіку ваш бал.\n");
            return;
        }

        if (facts.Personal?.Outcome is not { } outcome)
        {
            text.Append("Ваш бал порахую, щойно заклад опублікує вагові коефіцієнти.\n");
            return;
        }

        if (!outcome.HasScore)
        {
            text.Append("Ваш бал не порахувати: бракує результатів НМТ (деталі — в описі пропозиції).\n");
            return;
        }

        text.Append("Ваш бал");
        if (outcome.Score.PriorityBonusDiffers)
        {
            text.Append(" (пріоритети 1–2)");
        }

        text.Append(": <b>").Append(Texts.Score(outcome.Score.WithPriorityBonus)).Append("</b>");
        if (!facts.ContractOnly && facts.Personal.Rank is { } rank)
        {
            text.Append(" · місце ≈ ").Append(Place(rank)).Append(" з ").Append(rank.ActiveBudgetApplications).Append('\n');
            text.Append(OfferViewRenderer.StandingText(rank.Standing)).Append('\n');
            text.Append("<i>Місце — оцінка: вона не враховує вступників, які пройдуть за вищим пріоритетом деінде.</i>\n");
        }
        else
        {
            text.Append('\n');
        }
    }

    /// <summary>The user's marker on the picture: the score for priorities 1–2 and, where there is a budget competition, the place.</summary>
    private static UserScoreMarker? Marker(OfferChartFacts facts)
    {
        if (facts.UserScore is not { } score)
        {
            return null;
        }

        // No "≈" here: the chart's font has no glyph for it (the caption, in Telegram's fonts, says it is an estimate).
        var placeText = !facts.ContractOnly && facts.Personal?.Rank is { } rank ? $"місце {Place(rank)} з {rank.ActiveBudgetApplications}" : null;
        return new UserScoreMarker(Math.Clamp(score, ScoreHistogram.AxisMinimum, ScoreHistogram.AxisMaximum), placeText);
    }

    private static string Place(RankEstimate rank) =>
        rank.IsRange ? string.Create(Invariant, $"{rank.BestPlace}–{rank.WorstPlace}") : rank.BestPlace.ToString(Invariant);
}
