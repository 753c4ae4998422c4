namespace Abitly.Campaign.Generation;

/// <summary>How a found grouping of applications into persons agrees with the true one.</summary>
/// <param name="TruePairs">Pairs of applications of one true person.</param>
/// <param name="FoundPairs">Pairs of applications the grouping puts in one person.</param>
/// <param name="CorrectPairs">Pairs in both.</param>
/// <param name="TruePersons">True persons.</param>
/// <param name="ExactPersons">True persons whose applications form exactly one found person, no more and no less.</param>
/// <param name="Applications">Applications.</param>
/// <param name="ApplicationsInExactPersons">Applications of the exactly found persons.</param>
public sealed record GroupingAgreement(long TruePairs, long FoundPairs, long CorrectPairs, int TruePersons, int ExactPersons, int Applications, int ApplicationsInExactPersons)
{
    /// <summary>Of the "same person" pairs found, the share that are true (1 when none were found).</summary>
    public double PairPrecision => FoundPairs == 0 ? 1.0 : (double)CorrectPairs / FoundPairs;

    /// <summary>Of the true "same person" pairs, the share found (1 when there are none).</summary>
    public double PairRecall => TruePairs == 0 ? 1.0 : (double)CorrectPairs / TruePairs;

    /// <summary>The share of true persons found exactly.</summary>
    public double ExactPersonShare => TruePersons == 0 ? 1.0 : (double)ExactPersons / TruePersons;

    /// <summary>The share of applications in an exactly found person (a group of the right size with the right members).</summary>
    public double ExactApplicationShare => Applications == 0 ? 1.0 : (double)ApplicationsInExactPersons / Applications;

    /// <summary>Compares two groupings of the same applications, given as a person number per application.</summary>
    public static GroupingAgreement Of(IReadOnlyList<int> truth, IReadOnlyList<int> found)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(found);
        if (truth.Count != found.Count)
        {
            throw new ArgumentException($"The groupings cover {truth.Count} and {found.Count} applications; they must cover the same ones.", nameof(found));
        }

        var trueSize = new Dictionary<int, int>();
        var foundSize = new Dictionary<int, int>();
        var both = new Dictionary<(int, int), int>();
        for (var a = 0; a < truth.Count; a++)
        {
            trueSize[truth[a]] = trueSize.GetValueOrDefault(truth[a]) + 1;
            foundSize[found[a]] = foundSize.GetValueOrDefault(found[a]) + 1;
            both[(truth[a], found[a])] = both.GetValueOrDefault((truth[a], found[a])) + 1;
        }

        static long Pairs(long n) => n * (n - 1) / 2;

        long truePairs = 0, foundPairs = 0, correctPairs = 0;
        foreach (var size in trueSize.Values)
        {
            truePairs += Pairs(size);
        }

        foreach (var size in foundSize.Values)
        {
            foundPairs += Pairs(size);
        }

        int exactPersons = 0, exactApplications = 0;
        foreach (var ((person, group), size) in both)
        {
            correctPairs += Pairs(size);
            if (size == trueSize[person] && size == foundSize[group])
            {
                exactPersons++;
                exactApplications += size;
            }
        }

        return new GroupingAgreement(truePairs, foundPairs, correctPairs, trueSize.Count, exactPersons, truth.Count, exactApplications);
    }
}
