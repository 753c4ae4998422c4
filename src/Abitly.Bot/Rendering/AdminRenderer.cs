using System.Globalization;
using Abitly.Bot.Messaging;

namespace Abitly.Bot.Rendering;

/// <summary>What admins see of the background runs they start: /runDailyNow and /notifyOpenDaysUpdate.</summary>
public static class AdminRenderer
{
    public const string DailyRunStarted = "Запускаю щоденні нагадування про дні відкритих дверей…";

    public const string OpenDaysUpdateStarted = "Шукаю дні відкритих дверей, змінені сьогодні, і тих, кому про них повідомити…";

    public static RenderedMessage DailyRunSummary(int alreadySent, SendBatchResult send)
    {
        ArgumentNullException.ThrowIfNull(send);
        return new($"Щоденні нагадування: до відправки {send.Total} (ще {alreadySent} надіслано раніше сьогодні).\n" +
            $"Надіслано: {send.Sent}, заблокували бота: {send.Blocked}, помилки: {send.Failed + send.DroppedAfterRetries}, не надіслано: {send.Unsent}.");
    }

    public static RenderedMessage OpenDaysUpdateSummary(DateOnly today, int updatedDays, int matched, int alreadySent, SendBatchResult send)
    {
        ArgumentNullException.ThrowIfNull(send);
        return new($"<b>Оновлення днів відкритих дверей</b> за {today.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)}\n"
            + $"Змінених сьогодні днів: {updatedDays}\nЗбігів з фільтрами: {matched}, уже надіслано раніше сьогодні: {alreadySent}\n"
            + $"Надіслано: {send.Sent}\nЗаблокували бота: {send.Blocked}\nПомилок: {send.Failed + send.DroppedAfterRetries}"
            + (send.Unsent > 0 ? $"\nНе надіслано (зупинка бота): {send.Unsent}" : ""));
    }
}
