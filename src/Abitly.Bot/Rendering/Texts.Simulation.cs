using System.Globalization;
using Abitly.Bot.Data;
using Abitly.Domain.Allocation;

namespace Abitly.Bot.Rendering;

/// <summary>The allocation simulation's strings (the offer view's "Симуляція розподілу" block).</summary>
public static partial class Texts
{
    /// <summary>The strings of the simulation block; values go in already formatted or through <see cref="Texts.Html"/>.</summary>
    public static class Simulation
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        /// <summary>«Симуляція розподілу станом на 12:40, 20.07» — the time the simulated lists were taken.</summary>
        public static string Heading(DateTimeOffset? takenAtLocal) =>
            "<b>Симуляція розподілу</b>" + (takenAtLocal is { } t ? " станом на " + t.ToString("HH:mm, dd.MM", Invariant) : "");

        public const string Disclaimer =
            "<i>Модель опублікованих списків: хто пройде за вищим пріоритетом деінде, звільняє місце тут; місце за симуляцією рахує лише тих, хто залишається. Це не офіційний розподіл.</i>";

        public const string ListsNewer = "⚠️ Списки оновилися після цієї симуляції — нову ще рахую.";

        public static string NotShown(SimulationHiddenReason reason, double? matchedShare) => reason switch
        {
            SimulationHiddenReason.FormulasUnknown =>
                "Симуляцію розподілу не показую: для частини пропозицій невідомі вагові коефіцієнти, тож заяви одного вступника в різних списках надійно не зіставити.",
            _ => "Симуляцію розподілу не показую: у цих списках не вдалося надійно розрізнити вступників" +
                (matchedShare is { } share ? $" (зіставлено {Percent(share)} заяв, потрібно щонайменше {Percent(PersonMatching.MinMatchedShare)})" : "") + ".",
        };

        public static string CutOff(decimal cutOff) => $"Прохідний на бюджет за симуляцією: <b>{Score(cutOff)}</b>";

        public static string FreeSeats(int seated, int places) =>
            $"За симуляцією місць загального конкурсу вистачає всім ({seated} з {places}): прохідного бала немає.";

        public const string NoGeneralSeats = "За симуляцією місць для загального конкурсу немає.";

        public static string Recommended(int admitted, int? budgetPlaces, int quota1, int quota2) =>
            $"Рекомендовано: {admitted} з {budgetPlaces ?? 0} бюджетних місць" +
            (quota1 + quota2 > 0 ? $" (квота 1: {quota1}, квота 2: {quota2})" : "");

        public static string RecommendedHere(int priority, int place) =>
            $"✅ Ваша заява (пріоритет {priority}): рекомендовано тут, місце за симуляцією <b>{place}</b>.";

        public static string HigherPriorityElsewhere(int priority, int? heldPriority, string? heldOffer, int place) =>
            $"↗️ Ваша заява (пріоритет {priority}): вас рекомендовано за вищим пріоритетом{Number(heldPriority)}{Offer(heldOffer)}; " +
            $"цей список ви звільняєте (тут ваше місце за симуляцією було б {place}).";

        public static string LowerPriorityElsewhere(int priority, int place, int generalPlaces, int? heldPriority, string? heldOffer) =>
            $"↘️ Ваша заява (пріоритет {priority}): тут не проходите (місце за симуляцією {place} при {generalPlaces} місцях загального конкурсу); " +
            $"вас рекомендовано за пріоритетом{Number(heldPriority)}{Offer(heldOffer)}.";

        public static string NotRecommended(int priority, int place, int generalPlaces) =>
            $"❌ Ваша заява (пріоритет {priority}): не рекомендовано ні на одну пропозицію; тут місце за симуляцією {place} при {generalPlaces} місцях загального конкурсу.";

        public const string OwnNotFound = "Вашої заяви в цьому списку не знайшов (шукаю за прізвищем з ініціалом і балом).";

        /// <summary>Where a score falls against the simulated cut-off: «для пріоритетів 1–2: 167.829 — вище за прохідний на 2.171».</summary>
        public static string ScoreAgainst(string? label, decimal score, decimal? cutOff, ScoreAgainstCutOff position)
        {
            var prefix = (label is null ? "Ваш бал " : $"Ваш бал {label} ") + Score(score) + " — ";
            return prefix + position switch
            {
                ScoreAgainstCutOff.Above => $"вище за прохідний симуляції на {Score(score - cutOff!.Value)}.",
                ScoreAgainstCutOff.AtCutOff => "дорівнює прохідному симуляції: вирішать пріоритет і додаткові критерії.",
                ScoreAgainstCutOff.Below => $"нижче за прохідний симуляції на {Score(cutOff!.Value - score)}.",
                ScoreAgainstCutOff.FreeSeat => "місць за симуляцією вистачає всім, хто подав заяву.",
                _ => "бюджетних місць загального конкурсу тут немає.",
            };
        }

        private static string Number(int? value) => value is { } v ? " " + v.ToString(Invariant) : "";

        private static string Offer(string? label) => label is null ? "" : " — " + Html(label);

        // Floored, so a share just under the threshold never prints as the threshold itself.
        private static string Percent(double share) => Math.Floor(share * 100 + 1e-9).ToString("0", Invariant) + " %";
    }
}
