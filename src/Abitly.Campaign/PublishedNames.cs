using System.Text;
using System.Text.RegularExpressions;

namespace Abitly.Campaign;

/// <summary>Names as the lists publish them, and the short form the database stores («Шевченко Андрій Богданович» → «Шевченко А. Б.»).</summary>
public static partial class PublishedNames
{
    /// <summary>
    /// The stored form of a published name: the surname as published, then one initial per given name and patronymic.
    /// Spaces are trimmed and collapsed; a one-word name is kept; initials already present are kept («А.Б.» is spaced as
    /// «А. Б.»); apostrophes and hyphenated surnames are kept, a hyphenated given name gives «А.-М.»; a word that starts
    /// in lower case (a particle such as «огли») is kept as it is.
    /// </summary>
    public static string ToInitials(string publishedName)
    {
        ArgumentNullException.ThrowIfNull(publishedName);
        var words = publishedName.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length <= 1)
        {
            return words.Length == 0 ? "" : words[0];
        }

        var stored = new StringBuilder(words[0], publishedName.Length);
        for (var i = 1; i < words.Length; i++)
        {
            foreach (var initial in Initials(words[i]))
            {
                stored.Append(' ').Append(initial);
            }
        }

        return stored.ToString();
    }

    private static IEnumerable<string> Initials(string word)
    {
        if (!char.IsLetter(word[0]) || char.IsLower(word[0]))
        {
            yield return word;
            yield break;
        }

        if (IsInitials(word))
        {
            // «А.Б.» → «А.», «Б.»; «А.-М.» stays one initial of a double name.
            var start = 0;
            for (var i = 0; i < word.Length; i++)
            {
                if (word[i] == '.' && (i + 1 == word.Length || word[i + 1] != '-'))
                {
                    yield return word[start..(i + 1)];
                    start = i + 1;
                }
            }

            yield break;
        }

        // «Анна-Марія» → «А.-М.»; «Мар'яна» → «М.».
        var parts = word.Split('-', StringSplitOptions.RemoveEmptyEntries);
        yield return string.Join("-", parts.Select(part => char.ToUpperInvariant(part[0]) + "."));
    }

    // One or more letters each followed by a dot, optionally joined by hyphens: «А.», «А.Б.», «А.-М.».
    private static bool IsInitials(string word) => InitialsPattern().IsMatch(word);

    [GeneratedRegex(@"^\p{L}\.(-?\p{L}\.)*$", RegexOptions.CultureInvariant)]
    private static partial Regex InitialsPattern();
}
