namespace Abitly.Domain.Tracking;

/// <summary>
/// Splits a list of rendered entries into consecutive pages that each fit a message: every page holds at most
/// <c>maxPerPage</c> entries whose lengths (plus one separator each) stay within the budget. Greedy, so each page is as
/// full as it can be; an entry longer than the budget on its own gets a page of its own (callers keep entries shorter).
/// </summary>
public static class MessagePages
{
    /// <summary>The pages as [start, end) ranges over <paramref name="lengths"/>; one empty page when there are no entries.</summary>
    public static IReadOnlyList<Range> Split(IReadOnlyList<int> lengths, int budget, int maxPerPage, int separator = 1)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerPage);
        var pages = new List<Range>();
        var start = 0;
        var used = 0;
        for (var i = 0; i < lengths.Count; i++)
        {
            var cost = lengths[i] + separator;
            if (i > start && (used + cost > budget || i - start >= maxPerPage))
            {
                pages.Add(new Range(start, i));
                (start, used) = (i, 0);
            }

            used += cost;
        }

        pages.Add(new Range(start, lengths.Count));
        return pages;
    }
}
