using Abitly.Domain.Tracking;
using FsCheck.Xunit;

namespace Abitly.Domain.Tests.Tracking;

public class MessagePagesTests
{
    public static TheoryData<int[], int, int, string> Cases => new()
    {
        // lengths, budget, max per page, expected pages as "start-end" (each entry costs its length + 1)
        { [], 100, 5, "0-0" },
        { [10, 10, 10], 100, 5, "0-3" },
        { [10, 10, 10], 100, 2, "0-2 2-3" },
        { [49, 49, 49], 100, 5, "0-2 2-3" },
        { [50, 49], 100, 5, "0-1 1-2" },
        { [99], 100, 5, "0-1" },
        { [150, 10, 10], 100, 5, "0-1 1-3" },
        { [10, 150, 10], 100, 5, "0-1 1-2 2-3" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Splits_greedily_within_budget_and_count(int[] lengths, int budget, int max, string expected)
    {
        var pages = MessagePages.Split(lengths, budget, max);
        Assert.Equal(expected, string.Join(' ', pages.Select(p => $"{p.Start.Value}-{p.End.Value}")));
    }

    [Property]
    public bool Pages_cover_every_entry_in_order_fit_and_are_full(int[] raw, byte maxRaw)
    {
        const int budget = 500;
        var lengths = raw.Select(r => 1 + (Math.Abs(r % 300))).ToArray();   // every entry fits on its own
        var max = 1 + (maxRaw % 8);
        var pages = MessagePages.Split(lengths, budget, max);

        var covered = pages.SelectMany(p => Enumerable.Range(p.Start.Value, p.End.Value - p.Start.Value)).ToList();
        var inOrder = covered.SequenceEqual(Enumerable.Range(0, lengths.Length));
        var fit = pages.All(p => Cost(lengths, p) <= budget && p.End.Value - p.Start.Value <= max);
        var nonEmpty = lengths.Length == 0 ? pages.Count == 1 : pages.All(p => p.End.Value > p.Start.Value);
        // Greedy: the next page's first entry would not have fitted on the page before it.
        var full = pages.Zip(pages.Skip(1)).All(pair =>
            pair.First.End.Value - pair.First.Start.Value == max || Cost(lengths, pair.First) + lengths[pair.Second.Start.Value] + 1 > budget);
        return inOrder && fit && nonEmpty && full;
    }

    private static int Cost(int[] lengths, Range page) => lengths[page].Sum(l => l + 1);
}
