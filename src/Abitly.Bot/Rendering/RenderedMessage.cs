using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Rendering;

/// <summary>What a renderer produces: Telegram HTML (every value escaped) and an optional inline keyboard.</summary>
public sealed record RenderedMessage(string Html, InlineKeyboardMarkup? Keyboard = null)
{
    /// <summary>Telegram's limit on a message's text.</summary>
    public const int MaxLength = 4096;

    /// <summary>Telegram's limit on a photo's caption.</summary>
    public const int MaxCaptionLength = 1024;
}
