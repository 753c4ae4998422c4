using System.Globalization;
using System.Text;

namespace Abitly.BotApiEmulator;

/// <summary>
/// Telegram's HTML parse mode, reduced to what matters for a bot test: which tags are allowed,
/// whether tags nest and close properly, and the plain text left after parsing (for length limits).
/// </summary>
internal static class HtmlText
{
    private static readonly HashSet<string> AllowedTags = new(StringComparer.Ordinal)
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler", "blockquote", "span",
    };

    internal static readonly Dictionary<string, string> NamedEntities = new(StringComparer.Ordinal)
    {
        ["lt"] = "<",
        ["gt"] = ">",
        ["amp"] = "&",
        ["quot"] = "\"",
    };

    /// <summary>Plain text of <paramref name="text"/> under <paramref name="parseMode"/>; throws the Bot API's 400 on bad HTML.</summary>
    public static string ToPlainText(string text, string? parseMode) =>
        string.Equals(parseMode, "HTML", StringComparison.OrdinalIgnoreCase) ? ParseHtml(text) : text;

    private static string ParseHtml(string text)
    {
        var plain = new StringBuilder(text.Length);
        var open = new Stack<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '&')
            {
                i = ReadEntity(text, i, plain);
            }
            else if (c == '<')
            {
                i = ReadTag(text, i, open);
            }
            else
            {
                plain.Append(c);
                i++;
            }
        }

        if (open.Count > 0)
        {
            throw Error($"Can't find end tag corresponding to start tag \"{open.Peek()}\"");
        }

        return plain.ToString();
    }

    private static int ReadEntity(string text, int start, StringBuilder plain)
    {
        var end = text.IndexOf(';', start);
        var body = end > start ? text[(start + 1)..end] : string.Empty;
        if (end > start && body.Length is > 0 and <= 10)
        {
            if (NamedEntities.TryGetValue(body, out var named))
            {
                plain.Append(named);
                return end + 1;
            }

            if (body[0] == '#' && TryParseCodePoint(body[1..], out var codePoint))
            {
                plain.Append(char.ConvertFromUtf32(codePoint));
                return end + 1;
            }
        }

        throw Error($"Character entity expected at byte offset {ByteOffset(text, start)}: unescaped '&'");
    }

    internal static bool TryParseCodePoint(string digits, out int codePoint)
    {
        var ok = digits.StartsWith('x') || digits.StartsWith('X')
            ? int.TryParse(digits.AsSpan(1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out codePoint)
            : int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out codePoint);
        return ok && codePoint is > 0 and <= 0x10FFFF and (< 0xD800 or > 0xDFFF);
    }

    private static int ReadTag(string text, int start, Stack<string> open)
    {
        var offset = ByteOffset(text, start);
        var closing = start + 1 < text.Length && text[start + 1] == '/';
        var nameStart = start + (closing ? 2 : 1);
        var nameEnd = nameStart;
        while (nameEnd < text.Length && (char.IsAsciiLetterOrDigit(text[nameEnd]) || text[nameEnd] == '-'))
        {
            nameEnd++;
        }

        if (nameEnd == nameStart)
        {
            throw Error($"Unsupported start tag \"\" at byte offset {offset}: unescaped '<'");
        }

        var name = text[nameStart..nameEnd].ToLowerInvariant();
        var close = FindTagEnd(text, nameEnd);
        if (close < 0)
        {
            throw Error($"Unclosed start tag at byte offset {offset}");
        }

        if (closing)
        {
            if (open.Count == 0)
            {
                throw Error($"Unexpected end tag at byte offset {offset}");
            }

            if (open.Peek() != name)
            {
                throw Error($"Unmatched end tag at byte offset {offset}, expected \"</{open.Peek()}>\", found \"</{name}>\"");
            }

            open.Pop();
            return close + 1;
        }

        if (!AllowedTags.Contains(name))
        {
            throw Error($"Unsupported start tag \"{name}\" at byte offset {offset}");
        }

        var attributes = text[nameEnd..close];
        if (name == "span" && !attributes.Contains("tg-spoiler", StringComparison.Ordinal))
        {
            throw Error($"Tag \"span\" must have class \"tg-spoiler\" at byte offset {offset}");
        }

        open.Push(name);
        return close + 1;
    }

    /// <summary>Index of the '&gt;' ending a tag, skipping quoted attribute values.</summary>
    internal static int FindTagEnd(string text, int from)
    {
        char? quote = null;
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return i;
            }
            else if (c == '<')
            {
                return -1;
            }
        }

        return -1;
    }

    private static int ByteOffset(string text, int charIndex) => Encoding.UTF8.GetByteCount(text.AsSpan(0, charIndex));

    private static ApiException Error(string detail) => ApiException.BadRequest("can't parse entities: " + detail);
}
