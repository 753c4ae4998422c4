using System.Text;

namespace Abitly.Domain.Offers;

/// <summary>Finds offer links (EDBO, EDBO archive, osvita.ua, abit-poisk) in free text.</summary>
/// <remarks>
/// A hand-written scanner instead of a regex: every character is visited a bounded number of times,
/// so a long message full of links stays linear and there is nothing to backtrack.
/// Hosts are compared as ASCII only, so look-alike letters (Cyrillic «е», dotless «ı», punycode) never match.
/// </remarks>
public static class OfferLinkParser
{
    private const string EdboHost = "vstup.edbo.gov.ua";
    private const string EdboArchivePrefix = "vstup";
    private const string EdboArchiveSuffix = ".edbo.gov.ua";
    private const string OsvitaHost = "vstup.osvita.ua";
    private const string AbitPoiskHost = "abit-poisk.org.ua";
    private const int MaxIdDigits = 9;
    private const int MinYear = 2000;
    private const int MaxYear = 2099;

    // Room for the longest expected path (4 segments) plus one to notice extra segments.
    private const int MaxSegments = 5;

    /// <summary>Scans a message; the links come in order of appearance, the first one for each offer id.</summary>
    public static OfferLinkScan Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return OfferLinkScan.Empty;
        }

        var links = new List<OfferLink>();
        var seenIds = new HashSet<long>();
        var containsUrl = false;
        var position = 0;
        while (position < text.Length)
        {
            while (position < text.Length && IsSeparator(text[position]))
            {
                position++;
            }

            var start = position;
            while (position < text.Length && !IsSeparator(text[position]))
            {
                position++;
            }

            if (position == start)
            {
                continue;
            }

            var token = TrimTrailingPunctuation(text.AsSpan(start, position - start));
            var link = ReadToken(token, out var looksLikeUrl);
            containsUrl |= looksLikeUrl;
            if (link is not null && seenIds.Add(link.OfferId))
            {
                links.Add(link);
            }
        }

        return new OfferLinkScan(links, containsUrl);
    }

    // Characters that never occur inside an offer URL but often wrap one in chat text.
    private static bool IsSeparator(char c) =>
        char.IsWhiteSpace(c) || c is '"' or '\'' or '<' or '>' or '(' or ')' or '[' or ']' or '{' or '}'
            or '«' or '»' or '“' or '”' or '„' or '‘' or '’' or '`' or '|' or '\\' or ',' or '—' or '–';

    // Sentence punctuation right after a URL belongs to the sentence, not to the URL.
    private static ReadOnlySpan<char> TrimTrailingPunctuation(ReadOnlySpan<char> token) =>
        token.TrimEnd(".,;:!?…");

    private static OfferLink? ReadToken(ReadOnlySpan<char> token, out bool looksLikeUrl)
    {
        looksLikeUrl = false;
        ReadOnlySpan<char> url;
        var schemeEnd = token.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            looksLikeUrl = true;

            // The scheme is the run of scheme characters right before "://", so "link:https://…" still works
            // while "xhttps://" or "ftp://" do not.
            var schemeStart = schemeEnd;
            while (schemeStart > 0 && IsSchemeChar(token[schemeStart - 1]))
            {
                schemeStart--;
            }

            var scheme = token[schemeStart..schemeEnd];
            if (!Ascii.EqualsIgnoreCase(scheme, "http") && !Ascii.EqualsIgnoreCase(scheme, "https"))
            {
                return null;
            }

            url = token[schemeStart..];
            token = token[(schemeEnd + 3)..];
        }
        else
        {
            url = token;
            looksLikeUrl = token.StartsWith("www.", StringComparison.OrdinalIgnoreCase);
        }

        var hostEnd = token.IndexOfAny('/', '?', '#');
        var host = hostEnd < 0 ? token : token[..hostEnd];
        var rest = hostEnd < 0 ? [] : token[hostEnd..];
        var pathEnd = rest.IndexOfAny('?', '#');
        var path = pathEnd < 0 ? rest : rest[..pathEnd];

        if (!Ascii.IsValid(host))
        {
            return null;
        }

        if (host.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            host = host[4..];
        }

        Span<Range> segments = stackalloc Range[MaxSegments];
        var count = path.Split(segments, '/', StringSplitOptions.RemoveEmptyEntries);

        if (Ascii.EqualsIgnoreCase(host, EdboHost))
        {
            looksLikeUrl = true;
            return ReadEdboPath(path, segments[..count], null, OfferSite.Edbo, url);
        }

        if (TryReadArchiveYear(host, out var archiveYear))
        {
            looksLikeUrl = true;
            return ReadEdboPath(path, segments[..count], archiveYear, OfferSite.EdboArchive, url);
        }

        if (Ascii.EqualsIgnoreCase(host, OsvitaHost))
        {
            looksLikeUrl = true;
            return count == 4
                && TryReadYear(path[segments[0]], "y", out var year)
                && IsRegion(path[segments[1]])
                && IsUniversity(path[segments[2]])
                && TryReadId(path[segments[3]], out var id)
                    ? new OfferLink(id, year, OfferSite.OsvitaUa, url.ToString())
                    : null;
        }

        if (Ascii.EqualsIgnoreCase(host, AbitPoiskHost))
        {
            looksLikeUrl = true;
            return count == 3
                && TryReadYear(path[segments[0]], "rate", out var year)
                && Ascii.EqualsIgnoreCase(path[segments[1]], "direction")
                && TryReadId(path[segments[2]], out var id)
                    ? new OfferLink(id, year, OfferSite.AbitPoisk, url.ToString())
                    : null;
        }

        looksLikeUrl |= hostEnd >= 0 && token[hostEnd] == '/' && LooksLikeDomain(host);
        return null;
    }

    private static OfferLink? ReadEdboPath(ReadOnlySpan<char> path, ReadOnlySpan<Range> segments, int? year, OfferSite site, ReadOnlySpan<char> url) =>
        segments.Length == 2
        && Ascii.EqualsIgnoreCase(path[segments[0]], "offer")
        && TryReadId(path[segments[1]], out var id)
            ? new OfferLink(id, year, site, url.ToString())
            : null;

    // vstup<YYYY>.edbo.gov.ua — exactly four digits between the prefix and the suffix.
    private static bool TryReadArchiveYear(ReadOnlySpan<char> host, out int year)
    {
        year = 0;
        return host.Length == EdboArchivePrefix.Length + 4 + EdboArchiveSuffix.Length
            && host.StartsWith(EdboArchivePrefix, StringComparison.OrdinalIgnoreCase)
            && host.EndsWith(EdboArchiveSuffix, StringComparison.OrdinalIgnoreCase)
            && TryReadYearDigits(host.Slice(EdboArchivePrefix.Length, 4), out year);
    }

    private static bool TryReadYear(ReadOnlySpan<char> segment, string prefix, out int year)
    {
        year = 0;
        return segment.Length == prefix.Length + 4
            && Ascii.EqualsIgnoreCase(segment[..prefix.Length], prefix)
            && TryReadYearDigits(segment[prefix.Length..], out year);
    }

    private static bool TryReadYearDigits(ReadOnlySpan<char> digits, out int year)
    {
        year = 0;
        if (digits.Length != 4 || !AllAsciiDigits(digits))
        {
            return false;
        }

        year = int.Parse(digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        return year is >= MinYear and <= MaxYear;
    }

    // Ids are 6–7 digits today; 1–9 digits leaves room and can never overflow a long.
    private static bool TryReadId(ReadOnlySpan<char> segment, out long id)
    {
        id = 0;
        if (segment.Length is 0 or > MaxIdDigits || !AllAsciiDigits(segment))
        {
            return false;
        }

        id = long.Parse(segment, provider: System.Globalization.CultureInfo.InvariantCulture);
        return id > 0;
    }

    private static bool IsRegion(ReadOnlySpan<char> segment) =>
        segment.Length is >= 2 and <= 4 && (segment[0] is 'r' or 'R') && AllAsciiDigits(segment[1..]);

    private static bool IsUniversity(ReadOnlySpan<char> segment) =>
        segment.Length is > 0 and <= 16 && !segment.ContainsAnyExcept(UniversityChars);

    private static readonly System.Buffers.SearchValues<char> UniversityChars =
        System.Buffers.SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_");

    private static bool AllAsciiDigits(ReadOnlySpan<char> span) =>
        !span.IsEmpty && !span.ContainsAnyExceptInRange('0', '9');

    private static bool IsSchemeChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.';

    // "example.com/…" without a scheme still reads as a URL to a person, so it earns the hint.
    private static bool LooksLikeDomain(ReadOnlySpan<char> host)
    {
        var lastDot = host.LastIndexOf('.');
        if (lastDot <= 0 || host.Length - lastDot - 1 < 2)
        {
            return false;
        }

        foreach (var c in host)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '.' and not '-')
            {
                return false;
            }
        }

        foreach (var c in host[(lastDot + 1)..])
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return true;
    }
}
