using System.Globalization;
using Abitly.Bot.Callbacks;
using Abitly.Bot.Services;
using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Rendering;

/// <summary>/broadcast: usage and the preview with Confirm and Cancel (progress and summary: <see cref="FanOutRenderer"/>).</summary>
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
}
