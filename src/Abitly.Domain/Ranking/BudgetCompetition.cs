namespace Abitly.Domain.Ranking;

/// <summary>
/// The one cut-off rule (DESIGN.md §9), used by the offer view, tracked-offer alerts, the chart and the simulation:
/// quota-1 and quota-2 applications are seated by score up to their quota places; unfilled quota seats pass to the
/// general competition; the general seats are the budget places minus the quota seats actually filled; the cut-off is the
/// score of the last general seat. Only active applications with a budget priority (1–5) and a score compete.
/// Built once per list, it answers any applicant's place with a binary search.
/// </summary>
/// <remarks>
/// Unfilled quota seats passing to the general competition follows the rules as restated for 2025; a year that changes it
/// changes this class and nothing else.
/// </remarks>
public sealed class BudgetCompetition
{
    private readonly decimal[] _scores;

    private BudgetCompetition(decimal[] generalDescending, int activeBudgetApplications, int quota1Seated, int quota2Seated, int? generalSeats)
    {
        _scores = generalDescending;
        ActiveBudgetApplications = activeBudgetApplications;
        Quota1Seated = quota1Seated;
        Quota2Seated = quota2Seated;
        GeneralSeats = generalSeats;
    }

    /// <summary>Scores of the general competition, best first (quota applications that missed a quota seat included).</summary>
    public IReadOnlyList<decimal> GeneralScoresDescending => _scores;

    /// <summary>Active applications with a budget priority (1–5) and a score, quota ones included.</summary>
    public int ActiveBudgetApplications { get; }

    /// <summary>Quota-1 seats filled (never more than the quota-1 places).</summary>
    public int Quota1Seated { get; }

    /// <summary>Quota-2 seats filled (never more than the quota-2 places).</summary>
    public int Quota2Seated { get; }

    /// <summary>Budget places minus the quota seats filled; null for a contract-only offer.</summary>
    public int? GeneralSeats { get; }

    /// <summary>The score on the last general seat; null when the general seats are not all taken (anyone eligible gets in) or there are none.</summary>
    public decimal? CutOff => GeneralSeats is { } seats && seats > 0 && _scores.Length >= seats ? _scores[seats - 1] : null;

    /// <summary>Applies the rule to a published list.</summary>
    public static BudgetCompetition From(IEnumerable<RankedApplication> applications, BudgetSeats seats)
    {
        ArgumentNullException.ThrowIfNull(applications);
        ArgumentNullException.ThrowIfNull(seats);
        // One pass that sorts each competing score into its competition; a list of thousands has a handful of statuses.
        var statuses = new ActiveStatusMemo();
        var general = applications.TryGetNonEnumeratedCount(out var count) ? new List<decimal>(count) : [];
        List<decimal> quota1 = [], quota2 = [];
        var activeBudget = 0;
        foreach (var application in applications)
        {
            if (application.Score is not { } score
                || application.Priority is not (>= 1 and <= RankEstimator.MaxBudgetPriority)
                || !statuses.IsActive(application.Status))
            {
                continue;
            }

            activeBudget++;
            switch (application.Quota)
            {
                case QuotaKind.None: general.Add(score); break;
                case QuotaKind.Quota1: quota1.Add(score); break;
                case QuotaKind.Quota2: quota2.Add(score); break;
                default: break;
            }
        }

        var (quota1Places, quota2Places) = seats.UsableQuotaPlaces;
        SortDescending(quota1);
        SortDescending(quota2);
        var quota1Seated = Math.Min(quota1Places, quota1.Count);
        var quota2Seated = Math.Min(quota2Places, quota2.Count);
        // Quota applications that missed a quota seat compete generally.
        SortDescending(general);
        var missed = quota1.Skip(quota1Seated).Concat(quota2.Skip(quota2Seated)).ToList();
        SortDescending(missed);
        var generalDescending = MergeDescending(general, missed);
        int? generalSeats = seats.BudgetPlaces is { } budget ? Math.Max(0, budget - quota1Seated - quota2Seated) : null;
        return new BudgetCompetition(generalDescending, activeBudget, quota1Seated, quota2Seated, generalSeats);
    }

    /// <summary>Whether an application takes part in the budget competition: active, with a budget priority (1–5) and a score.</summary>
    public static bool Competes(RankedApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        return application.Score is not null
            && application.Priority is >= 1 and <= RankEstimator.MaxBudgetPriority
            && ApplicationStatuses.IsActive(application.Status);
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

    private static decimal[] MergeDescending(List<decimal> first, List<decimal> second)
    {
        var merged = new decimal[first.Count + second.Count];
        int i = 0, j = 0, k = 0;
        while (i < first.Count && j < second.Count)
        {
            merged[k++] = first[i] >= second[j] ? first[i++] : second[j++];
        }

        while (i < first.Count)
        {
            merged[k++] = first[i++];
        }

        while (j < second.Count)
        {
            merged[k++] = second[j++];
        }

        return merged;
    }

    private static void SortDescending(List<decimal> scores) => SortDescending(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(scores));

    /// <summary>Best first; a list read in its published order is already so, and a check costs less than a sort.</summary>
    private static void SortDescending(Span<decimal> scores)
    {
        for (var i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[i - 1])
            {
                scores.Sort();
                scores.Reverse();
                return;
            }
        }
    }
}
