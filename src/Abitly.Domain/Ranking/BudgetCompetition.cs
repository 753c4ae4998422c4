namespace Abitly.Domain.Ranking;

/// <summary>
/// An offer's list reduced to what ranking needs: the general-competition budget scores, best first.
/// Built once per list, it answers any applicant's place with a binary search.
/// </summary>
public sealed class BudgetCompetition
{
    private readonly decimal[] _scores;

    private BudgetCompetition(decimal[] scoresDescending, int activeBudgetApplications, int quotaPlaces)
    {
        _scores = scoresDescending;
        ActiveBudgetApplications = activeBudgetApplications;
        QuotaPlaces = quotaPlaces;
    }

    /// <summary>Scores of the general competition, best first (quota applications beyond the quota places included).</summary>
    public IReadOnlyList<decimal> GeneralScoresDescending => _scores;

    /// <summary>Active applications with a budget priority (1–5) and a score, quota ones included.</summary>
    public int ActiveBudgetApplications { get; }

    /// <summary>Quota places (never negative) that quota applications fill first.</summary>
    public int QuotaPlaces { get; }

    /// <summary>Reduces a published list (see <see cref="RankEstimator"/> for the quota rule).</summary>
    public static BudgetCompetition From(IEnumerable<RankedApplication> applications, int quotaPlaces)
    {
        ArgumentNullException.ThrowIfNull(applications);
        var activeBudget = applications
            .Where(a => a.Score is not null && a.Priority is >= 1 and <= RankEstimator.MaxBudgetPriority && ApplicationStatuses.IsActive(a.Status))
            .ToList();
        var quotaHolders = Math.Max(0, quotaPlaces);
        var quotaUnseated = activeBudget.Where(a => a.Quota).Select(a => a.Score!.Value).OrderDescending().Skip(quotaHolders);
        var general = activeBudget.Where(a => !a.Quota).Select(a => a.Score!.Value).Concat(quotaUnseated).OrderDescending().ToArray();
        return new BudgetCompetition(general, activeBudget.Count, quotaHolders);
    }

    /// <summary>How many general-competition scores are strictly above <paramref name="score"/>.</summary>
    public int CountAbove(decimal score) => FirstIndex(s => s <= score);

    /// <summary>How many general-competition scores are at or above <paramref name="score"/>.</summary>
    public int CountAtLeast(decimal score) => FirstIndex(s => s < score);

    /// <summary>First index where <paramref name="predicate"/> holds; it is monotone over the descending scores.</summary>
    private int FirstIndex(Func<decimal, bool> predicate)
    {
        int low = 0, high = _scores.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (predicate(_scores[middle]))
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }
}
