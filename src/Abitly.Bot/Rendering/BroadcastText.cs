namespace Abitly.Bot.Rendering;

/// <summary>Cuts an admin's plain text into Telegram-sized messages, escaped for the sender's HTML mode.</summary>
public static class BroadcastText
{
    public const int MaxMessageLength = 4096;

    /// <summary>
    /// Escaping makes the admin's text render literally, so tags in it are shown, never parsed (no parse errors).
    /// Parts break at a line end, else at a space, else anywhere (never inside a surrogate pair); each escaped part fits
    /// in <paramref name="maxLength"/>, which also keeps the shown text within Telegram's limit.
    /// </summary>
    public static IReadOnlyList<string> SplitToHtml(string text, int maxLength = MaxMessageLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 16);
        var parts = new List<string>();
        var rest = text.Trim();
        while (rest.Length > 0)
        {
            var fit = 0;
            var escaped = 0;
            while (fit < rest.Length)
            {
                var width = rest[fit] switch { '&' => 5, '<' or '>' => 4, _ => 1 };
                if (escaped + width > maxLength)
                {
                    break;
                }

                escaped += width;
                fit++;
            }

            var cut = fit;
            if (fit < rest.Length)
            {
                var line = rest.LastIndexOf('\n', fit - 1, fit);
                var space = rest.LastIndexOf(' ', fit - 1, fit);
                // A break point in the last half only; otherwise a long unbroken run is cut hard.
                cut = line > fit / 2 ? line : space > fit / 2 ? space : fit;
                if (char.IsHighSurrogate(rest[cut - 1]))
                {
                    cut--;
                }
            }

            var part = rest[..cut].TrimEnd();
            if (part.Length > 0)
            {
                parts.Add(Texts.Html(part));
            }

            rest = rest[cut..].TrimStart();
        }

        return parts;
    }
}
