using System.Globalization;
using Abitly.Bot.Callbacks;
using Abitly.Bot.Data;
using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Rendering;

/// <summary>The closing edit of a fan-out's progress message and the summary for its admin.</summary>
public sealed record FanOutEnd(RenderedMessage Progress, RenderedMessage Summary);

/// <summary>A running fan-out's progress message (with its stop button) and its end, for the admin who started it.</summary>
public static class FanOutRenderer
{
    public const string StopButton = "✖ Зупинити";

    public const string AlreadyEnded = "Цю розсилку вже завершено або зупинено.";

    public const string Stopped = "Зупинено.";

    public static RenderedMessage Progress(FanOutBatch batch, FanOutTally tally, bool stoppable)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(tally);
        var html = $"⏳ Триває — {Title(batch)}: надіслано <b>{tally.Sent}</b> з {Count(tally.Total)}, заблокували бота: {tally.Blocked}, помилок: {tally.Failed}.";
        return new RenderedMessage(html, stoppable
            ? new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData(StopButton, CallbackData.Pack(new FanOutStop(batch.Id)))]])
            : null);
    }

    /// <summary>The progress message's last text and the summary; <paramref name="cancelled"/> when an admin stopped it.</summary>
    public static FanOutEnd Ended(FanOutBatch batch, FanOutTally tally, TimeSpan elapsed, bool cancelled)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(tally);
        var progress = new RenderedMessage(
            $"{(cancelled ? "⏹ Зупинено" : "✅ Завершено")} — {Title(batch)}: надіслано <b>{tally.Sent}</b> з {Count(tally.Total)}, заблокували бота: {tally.Blocked}, помилок: {tally.Failed}.");
        var heading = batch.Kind == FanOutKinds.Broadcast
            ? $"<b>Підсумок розсилки</b>\nОтримувачів: {Count(batch.Recipients)}, повідомлень: {Count(batch.Messages)}"
            : batch.Heading ?? Title(batch);
        var summary = $"{heading}\nНадіслано: {tally.Sent}\nЗаблокували бота: {tally.Blocked}\nПомилок: {tally.Failed}"
            + (tally.Cancelled > 0 ? $"\nНе надіслано (зупинено): {tally.Cancelled}" : "")
            + $"\nЧас: {elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} с";
        return new FanOutEnd(progress, new RenderedMessage(summary));
    }

    private static string Title(FanOutBatch batch) => batch.Kind switch
    {
        FanOutKinds.Broadcast => "Розсилка",
        FanOutKinds.OpenDayReminder => "Нагадування про дні відкритих дверей",
        FanOutKinds.OpenDayUpdate => "Оновлення днів відкритих дверей",
        _ => "Розсилка",
    };

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
