namespace Abitly.Domain.Allocation;

/// <summary>
/// Tie ranks for the allocation from what identifies each person in a run (docs/allocation.md, "Tie ranks"): a stable
/// 64-bit hash of their person key, or of their stored name and the offer of their priority-1 application, so full
/// ties go the same way whatever the order of the input.
/// </summary>
public static class PersonTieRanks
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    /// <summary>FNV-1a over the UTF-16 code units: the same number in every process (string.GetHashCode is not).</summary>
    public static ulong Hash(ReadOnlySpan<char> text)
    {
        var hash = OffsetBasis;
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * Prime;
            hash = (hash ^ (byte)(c >> 8)) * Prime;
        }

        return hash;
    }

    /// <summary>
    /// Dense ranks 0…n−1 in the order of the hashes (lower wins a full tie); two equal hashes, which 64 bits make
    /// vanishingly rare, are told apart by the person's index.
    /// </summary>
    public static int[] Rank(ReadOnlySpan<ulong> hashes)
    {
        var order = new (ulong Hash, int Person)[hashes.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = (hashes[i], i);
        }

        Array.Sort(order);
        var ranks = new int[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            ranks[order[i].Person] = i;
        }

        return ranks;
    }
}
