using System.Text;
using System.Text.RegularExpressions;

namespace Abitly.BotApiEmulator;

/// <summary>
/// Turns message text into HTML that is safe to put into the web chat page with <c>innerHTML</c>:
/// a fixed set of tags without attributes, spoilers as a class, links only to http/https/tg URLs,
/// everything else as escaped text. Never throws: unparsable markup becomes text.
/// </summary>
internal static partial class ChatHtml
{
    private static readonly HashSet<string> PlainTags = new(StringComparer.Ordinal)
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "blockquote",
    };

    private static readonly string[] LinkSchemes = ["http://", "https://", "tg:"];

    /// <summary>Safe HTML for a stored message: Telegram HTML when sent with that parse mode, otherwise plain text.</summary>
    public static string ForMessage(string? text, string? parseMode) =>
        text is null ? string.Empty
        : string.Equals(parseMode, "HTML", StringComparison.OrdinalIgnoreCase) ? FromTelegramHtml(text)
        : FromPlainText(text);

    /// <summary>Plain text escaped, newlines as <c>&lt;br&gt;</c>.</summary>
    public static string FromPlainText(string text)
    {
        var output = new StringBuilder(text.Length + 16);
        AppendText(output, text);
        return output.ToString();
    }

    /// <summary>Telegram HTML reduced to the tags the page renders; open tags are closed at the end.</summary>
    public static string FromTelegramHtml(string html)
    {
        var output = new StringBuilder(html.Length + 32);

        // Each open element with the text that closes it in the output ("" for a tag that was dropped but must still match).
        var open = new Stack<(string Name, string Close)>();
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            if (c == '&' && TryReadEntity(html, i, out var decoded, out var afterEntity))
            {
                AppendText(output, decoded);
                i = afterEntity;
            }
            else if (c == '<' && TryReadTag(html, i, out var closing, out var name, out var attributes, out var afterTag))
            {
                if (closing)
                {
                    Close(output, open, name);
                }
                else
                {
                    Open(output, open, name, attributes);
                }

                i = afterTag;
            }
            else
            {
                AppendText(output, html.AsSpan(i, 1));
                i++;
            }
        }

        while (open.Count > 0)
        {
            output.Append(open.Pop().Close);
        }

        return output.ToString();
    }

    private static void Open(StringBuilder output, Stack<(string Name, string Close)> open, string name, string attributes)
    {
        if (PlainTags.Contains(name))
        {
            output.Append('<').Append(name).Append('>');
            open.Push((name, $"</{name}>"));
        }
        else if (name == "tg-spoiler" || (name == "span" && IsSpoilerClass(Attribute(attributes, "class"))))
        {
            output.Append("<span class=\"spoiler\">");
            open.Push((name, "</span>"));
        }
        else if (name is "span" or "a")
        {
            // A plain span, an unsafe link or a link nested in a link: drop the tag, keep its text.
            var href = name == "a" && !open.Any(t => t.Name == "a" && t.Close.Length > 0) ? SafeHref(Attribute(attributes, "href")) : null;
            if (href is null)
            {
                open.Push((name, string.Empty));
                return;
            }

            output.Append("<a href=\"");
            AppendEscaped(output, href);
            output.Append("\" target=\"_blank\" rel=\"noopener noreferrer\">");
            open.Push((name, "</a>"));
        }

        // Any other tag is dropped; its end tag then matches nothing and is dropped too.
    }

    private static void Close(StringBuilder output, Stack<(string Name, string Close)> open, string name)
    {
        if (!open.Any(t => t.Name == name))
        {
            return;
        }

        // Misnested input: close the inner elements too, so the output stays well-formed.
        (string Name, string Close) top;
        do
        {
            top = open.Pop();
            output.Append(top.Close);
        }
        while (top.Name != name);
    }

    private static bool IsSpoilerClass(string? value) =>
        value?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("tg-spoiler", StringComparer.Ordinal) == true;

    /// <summary>The link target if it is an absolute http, https or tg URL without control characters, else null.</summary>
    public static string? SafeHref(string? raw)
    {
        var href = raw?.Trim();
        if (string.IsNullOrEmpty(href)
            || href.Any(char.IsControl)
            || !LinkSchemes.Any(s => href.StartsWith(s, StringComparison.OrdinalIgnoreCase))
            || !Uri.TryCreate(href, UriKind.Absolute, out _))
        {
            return null;
        }

        return href;
    }

    [GeneratedRegex("""(?<name>[A-Za-z_:][-A-Za-z0-9_:.]*)\s*(?:=\s*(?:"(?<value>[^"]*)"|'(?<value>[^']*)'|(?<value>[^\s"'=<>`]+)))?""")]
    private static partial Regex AttributePattern();

    /// <summary>The entity-decoded value of the first attribute called <paramref name="name"/>, or null.</summary>
    private static string? Attribute(string attributes, string name)
    {
        foreach (Match match in AttributePattern().Matches(attributes))
        {
            if (string.Equals(match.Groups["name"].Value, name, StringComparison.OrdinalIgnoreCase))
            {
                return DecodeEntities(match.Groups["value"].Value);
            }
        }

        return null;
    }

    private static string DecodeEntities(string value)
    {
        var decoded = new StringBuilder(value.Length);
        var i = 0;
        while (i < value.Length)
        {
            if (value[i] == '&' && TryReadEntity(value, i, out var text, out var next))
            {
                decoded.Append(text);
                i = next;
            }
            else
            {
                decoded.Append(value[i++]);
            }
        }

        return decoded.ToString();
    }

    /// <summary>The entities Telegram accepts (lt, gt, amp, quot, numeric); anything else is a literal '&amp;'.</summary>
    private static bool TryReadEntity(string text, int start, out string decoded, out int next)
    {
        decoded = string.Empty;
        next = start;
        var end = text.IndexOf(';', start);
        if (end <= start + 1 || end - start - 1 > 10)
        {
            return false;
        }

        var body = text[(start + 1)..end];
        if (HtmlText.NamedEntities.TryGetValue(body, out var named))
        {
            decoded = named;
        }
        else if (body[0] == '#' && HtmlText.TryParseCodePoint(body[1..], out var codePoint))
        {
            decoded = char.ConvertFromUtf32(codePoint);
        }
        else
        {
            return false;
        }

        next = end + 1;
        return true;
    }

    private static bool TryReadTag(string text, int start, out bool closing, out string name, out string attributes, out int next)
    {
        closing = start + 1 < text.Length && text[start + 1] == '/';
        var nameStart = start + (closing ? 2 : 1);
        var nameEnd = nameStart;
        while (nameEnd < text.Length && (char.IsAsciiLetterOrDigit(text[nameEnd]) || text[nameEnd] == '-'))
        {
            nameEnd++;
        }

        var close = nameEnd > nameStart ? HtmlText.FindTagEnd(text, nameEnd) : -1;
        name = text[nameStart..nameEnd].ToLowerInvariant();
        attributes = close < 0 ? string.Empty : text[nameEnd..close];
        next = close + 1;
        return close >= 0;
    }

    private static void AppendText(StringBuilder output, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '\n':
                    output.Append("<br>");
                    break;
                case '\r':
                    break;
                default:
                    AppendEscaped(output, c);
                    break;
            }
        }
    }

    private static void AppendEscaped(StringBuilder output, string text)
    {
        foreach (var c in text)
        {
            AppendEscaped(output, c);
        }
    }

    private static void AppendEscaped(StringBuilder output, char c)
    {
        var entity = c switch
        {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            _ => null,
        };
        if (entity is null)
        {
            output.Append(c);
        }
        else
        {
            output.Append(entity);
        }
    }
}
