namespace Abitly.Domain.Allocation;

/// <summary>
/// The one order in which an offer ranks applications, in every competition (quota 1, quota 2, general):
/// score descending, then the priority of the application at this offer ascending, then the person's tie rank ascending.
/// </summary>
/// <remarks>
/// Score then priority is how the published lists are ordered (DESIGN.md §7.3). The tie rank is our assumption: the
/// caller derives it from the stable person key, so the outcome never depends on the order of the input.
/// </remarks>
public static class AdmissionOrder
{
    /// <summary>The score of an application whose list shows none: it ranks after every scored one.</summary>
    public const int Unscored = int.MinValue;

    /// <summary>Negative when application A ranks before B, positive when after, 0 only for the same person at the same priority.</summary>
    public static int Compare(int scoreA, int priorityA, int tieRankA, int scoreB, int priorityB, int tieRankB)
    {
        if (scoreA != scoreB)
        {
            return scoreA > scoreB ? -1 : 1;
        }

        if (priorityA != priorityB)
        {
            return priorityA < priorityB ? -1 : 1;
        }

        return tieRankA.CompareTo(tieRankB);
    }

    /// <summary>The same order for two candidates.</summary>
    public static int Compare(in OfferCandidate a, in OfferCandidate b) =>
        Compare(a.Score, a.Priority, a.TieRank, b.Score, b.Priority, b.TieRank);

    /// <summary>Bits left for the dense tie rank in <see cref="Key"/>.</summary>
    internal const int TieRankBits = 29;

    /// <summary>Most persons <see cref="Key"/> can tell apart.</summary>
    internal const int MaxPersons = 1 << TieRankBits;

    /// <summary>
    /// <see cref="Compare(int, int, int, int, int, int)"/> packed into one number for sorting: a smaller key ranks first.
    /// The score's bits are flipped so a higher score gives a smaller key; <paramref name="denseTieRank"/> is the
    /// person's place among all tie ranks (0-based), which keeps the order of the tie ranks in 29 bits.
    /// </summary>
    internal static ulong Key(int score, int priority, int denseTieRank) =>
        ((ulong)~((uint)score ^ 0x8000_0000u) << 32) | ((ulong)(uint)priority << TieRankBits) | (uint)denseTieRank;
}
