namespace Abitly.Campaign;

/// <summary>The fixed facts of the campaign-snapshot format (docs/import-format.md): its name, version and value ranges.</summary>
public static class SnapshotFormat
{
    /// <summary>The <c>format</c> value every header carries.</summary>
    public const string Name = "abitly-campaign";

    /// <summary>The one version this code reads and writes.</summary>
    public const int Version = 1;

    /// <summary>The earliest campaign year a header may name.</summary>
    public const int MinYear = 2000;

    /// <summary>The latest campaign year a header may name.</summary>
    public const int MaxYear = 2100;

    /// <summary>The lowest published competitive score.</summary>
    public const decimal MinScore = 100m;

    /// <summary>The highest published competitive score.</summary>
    public const decimal MaxScore = 200m;

    /// <summary>Decimals a published score may have.</summary>
    public const int ScoreDecimals = 3;

    /// <summary>The lowest budget priority.</summary>
    public const int MinPriority = 1;

    /// <summary>The highest budget priority.</summary>
    public const int MaxPriority = 5;

    /// <summary>The largest regional coefficient accepted (the real ones are 1.00–1.07).</summary>
    public const decimal MaxRegionalCoefficient = 2m;

    /// <summary>The longest <c>person_key</c>.</summary>
    public const int MaxPersonKeyLength = 64;

    /// <summary>The weights slot of Ukrainian (К1).</summary>
    public const int UkrainianSlot = 1;

    /// <summary>The weights slot of mathematics (К2).</summary>
    public const int MathematicsSlot = 2;

    /// <summary>The weights slot of history (К3).</summary>
    public const int HistorySlot = 3;

    /// <summary>The weights slot of the 4th-subject options (К4, one row each).</summary>
    public const int FourthSubjectSlot = 4;

    /// <summary>The weights slot of the creative competition (КТ).</summary>
    public const int CreativeSlot = 5;

    /// <summary>Whether a text is a valid <c>person_key</c>: 1–64 characters of A–Z, a–z, 0–9, '_' and '-'.</summary>
    public static bool IsValidPersonKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length is 0 or > MaxPersonKeyLength)
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
