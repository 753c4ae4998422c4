using Abitly.Domain.Ranking;
using FsCheck.Xunit;

namespace Abitly.Domain.Tests.Ranking;

public class RankEstimatorProperties
{
    // Scores in a narrow band (150–160 in steps of 0.5) so ties are common.
    private static decimal ScoreFrom(int raw) => 150m + (Mod(raw, 21) / 2m);

    private static RankedApplication ApplicationFrom(int raw)
    {
        var priority = Mod(raw / 21, 8); // 0 = contract (null), 6–7 = beyond budget priorities
        var status = Mod(raw / 168, 4) == 0 ? "Скасовано вступником" : "Зареєстровано";
        var quota = Mod(raw / 672, 5) == 0;
        return new RankedApplication(ScoreFrom(raw), priority == 0 ? null : priority, status, quota ? QuotaKind.Quota1 : QuotaKind.None);
    }

    private static int Mod(int value, int modulus) => ((value % modulus) + modulus) % modulus;

    [Property]
    public bool Adding_a_higher_score_never_improves_the_place(int[] raw, int mine, int higher, int priority, bool quota, byte budget, byte quotaPlaces)
    {
        var applications = raw.Select(ApplicationFrom).ToList();
        var myScore = ScoreFrom(mine);
        var before = RankEstimator.Estimate(applications, myScore, new BudgetSeats(budget, quotaPlaces % 5, 0));

        var newcomer = new RankedApplication(myScore + 0.5m + (Mod(higher, 10) / 2m), 1 + Mod(priority, 5), "Зареєстровано", quota ? QuotaKind.Quota1 : QuotaKind.None);
        var after = RankEstimator.Estimate([.. applications, newcomer], myScore, new BudgetSeats(budget, quotaPlaces % 5, 0));

        // A general-competition newcomer always pushes one place down; a quota one may take a quota place instead.
        return quota ? after.BestPlace >= before.BestPlace : after.BestPlace == before.BestPlace + 1;
    }

    [Property]
    public bool Ties_widen_the_place_into_a_range_of_their_count(int[] raw, int mine)
    {
        var applications = raw.Select(ApplicationFrom).ToList();
        var myScore = raw.Length > 0 ? ScoreFrom(raw[Mod(mine, raw.Length)]) : ScoreFrom(mine);

        var estimate = RankEstimator.Estimate(applications, myScore, new BudgetSeats(10, 0, 0));

        var ties = applications.Count(a =>
            a.Score == myScore && a.Priority is >= 1 and <= 5 && ApplicationStatuses.IsActive(a.Status));
        return estimate.WorstPlace - estimate.BestPlace == ties && estimate.IsRange == (ties > 0);
    }

    [Property]
    public bool A_cancelled_application_never_counts(int[] raw, int mine, int cancelled, int priority, bool quota, byte budget, byte quotaPlaces)
    {
        var applications = raw.Select(ApplicationFrom).ToList();
        var myScore = ScoreFrom(mine);
        var before = RankEstimator.Estimate(applications, myScore, new BudgetSeats(budget, quotaPlaces % 5, 0));

        var statuses = new[] { "Скасовано вступником", "Відмова", "Відхилено", "Деактивовано" };
        var newcomer = new RankedApplication(ScoreFrom(cancelled), 1 + Mod(priority, 5), statuses[Mod(cancelled, statuses.Length)], quota ? QuotaKind.Quota1 : QuotaKind.None);
        var after = RankEstimator.Estimate([.. applications, newcomer], myScore, new BudgetSeats(budget, quotaPlaces % 5, 0));

        return after == before;
    }

    [Property]
    public bool The_best_place_never_exceeds_the_worst(int[] raw, int mine, byte budget, byte quotaPlaces)
    {
        var estimate = RankEstimator.Estimate(raw.Select(ApplicationFrom), ScoreFrom(mine), new BudgetSeats(budget, quotaPlaces % 5, 0));

        return estimate.BestPlace >= 1 && estimate.BestPlace <= estimate.WorstPlace;
    }
}
