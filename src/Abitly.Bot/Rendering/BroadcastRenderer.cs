using System.Globalization;
using Abitly.Bot.Callbacks;
using Abitly.Bot.Messaging;
using Abitly.Bot.Services;
using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Rendering;

/// <summary>/broadcast: usage, the preview with Confirm and Cancel, progress, and the summary.</summary>
public static class BroadcastRenderer
{
    public const string Usage = "Напишіть <code>/broadcast текст</code> або надішліть /broadcast у відповідь на повідомлення, яке треба розіслати.";

    public const string ConfirmButton = "✅ Надіслати";

    public const string CancelButton = "✖ Скасувати";

    public const string Cancelled = "Розсилку скасовано.";

    public const string AlreadyStarted = "Цю розсилку вже запущено, скасовано або її чернетка застаріла.";

    public const string Started = "Розсилку розпочато.";

    /// <summary>The admin's text is shown escaped and cut: the preview is about recipients and the start of the text.</summary>
    public static RenderedMessage Preview(BroadcastPreview preview)
    {
        ArgumentNullException.ThrowIfNull(preview);
        var text = preview.Draft.Text;
        var parts = BroadcastText.SplitToHtml(text).Count;
        var shown = text.Length > 1500 ? text[..1500] + "…" : text;
        var html = $"<b>Розсилка</b> для <b>{preview.Recipients.ToString(CultureInfo.InvariantCulture)}</b> користувачів"
            + (parts > 1 ? $" ({parts} повідомлення кожному: текст довший за 4096 символів)" : "")
            + $". Текст (буде надіслано як звичайний текст):\n\n{Texts.Html(shown)}";
        return new RenderedMessage(html, new InlineKeyboardMarkup([[
            InlineKeyboardButton.WithCallbackData(ConfirmButton, CallbackData.Pack(new BroadcastConfirm(preview.Draft.Id))),
            InlineKeyboardButton.WithCallbackData(CancelButton, CallbackData.Pack(new BroadcastCancel(preview.Draft.Id))),
        ]]));
    }

    public static RenderedMessage Progress(int sent, int blocked, int failed, int total, bool finished) =>
        new($"{(finished ? "✅ Розсилку завершено" : "⏳ Розсилка триває")}: надіслано <b>{sent}</b> з {total}, заблокували бота: {blocked}, помилок: {failed}.");

    public static RenderedMessage Summary(SendBatchResult result, int recipients)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new($"<b>Підсумок розсилки</b>\nОтримувачів: {recipients}, повідомлень: {result.Total}\nНадіслано: {result.Sent}\nЗаблокували бота: {result.Blocked}\n"
            + $"Помилок: {result.Failed + result.DroppedAfterRetries}{(result.Unsent > 0 ? $"\nНе надіслано (зупинка бота): {result.Unsent}" : "")}\nЧас: {result.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} с");
    }
}
