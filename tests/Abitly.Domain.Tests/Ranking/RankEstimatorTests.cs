using Abitly.Domain.Ranking;

namespace Abitly.Domain.Tests.Ranking;

public class RankEstimatorTests
{
    private const string Registered = "Зареєстровано";

    // Five active priority-1 applications: 190, 180, 180, 170, 160.
    private static readonly RankedApplication[] List =
    [
        Active(190m), Active(180m), Active(180m), Active(170m), Active(160m),
    ];

    [Fact]
    public void Ties_on_the_last_place_give_a_range_on_the_edge()
    {
        // Higher: 190 → best 2; equal: two 180s → worst 4. 3rd score 180 − 180 = 0 → edge.
        var estimate = RankEstimator.Estimate(List, 180m, new BudgetSeats(3, 0, 0));

        Assert.Equal(2, estimate.BestPlace);
        Assert.Equal(4, estimate.WorstPlace);
        Assert.True(estimate.IsRange);
        Assert.Equal(Standing.Edge, estimate.Standing);
        Assert.Equal(0m, estimate.GapToLastBudgetPlace);
        Assert.True(estimate.IsEstimate);
    }

    [Fact]
    public void Clearly_above_the_last_place_is_inside()
    {
        // Higher: 190 → place 2. 3rd score is 180: 185 − 180 = +5 → inside.
        var estimate = RankEstimator.Estimate(List, 185m, new BudgetSeats(3, 0, 0));

        Assert.Equal(2, estimate.BestPlace);
        Assert.Equal(2, estimate.WorstPlace);
        Assert.Equal(Standing.Inside, estimate.Standing);
        Assert.Equal(5m, estimate.GapToLastBudgetPlace);
    }

    [Fact]
    public void Clearly_below_the_last_place_is_outside()
    {
        // Higher: 190, 180, 180 → place 4. 175 − 180 = −5 → outside.
        var estimate = RankEstimator.Estimate(List, 175m, new BudgetSeats(3, 0, 0));

        Assert.Equal(4, estimate.BestPlace);
        Assert.Equal(Standing.Outside, estimate.Standing);
        Assert.Equal(-5m, estimate.GapToLastBudgetPlace);
    }

    [Theory]
    [InlineData("179.0", 4)] // 179 − 180 = −1.0: still the edge
    [InlineData("179.5", 4)]
    [InlineData("181.0", 2)] // +1.0: still the edge
    public void Within_one_point_of_the_last_place_is_the_edge(string score, int bestPlace)
    {
        var estimate = RankEstimator.Estimate(List, decimal.Parse(score, System.Globalization.CultureInfo.InvariantCulture), new BudgetSeats(3, 0, 0));

        Assert.Equal(bestPlace, estimate.BestPlace);
        Assert.Equal(Standing.Edge, estimate.Standing);
    }

    [Fact]
    public void Only_active_budget_applications_with_a_score_count()
    {
        RankedApplication[] applications =
        [
            .. List,
            new(200m, 1, "Скасовано вступником", QuotaKind.None),
            new(199m, 2, "ВІДМОВА у зарахуванні", QuotaKind.None),
            new(198m, 3, "Відхилено закладом освіти", QuotaKind.None),
            new(197m, 4, "  деактивовано (зараховано на вищий пріоритет)", QuotaKind.None),
            new(196m, null, Registered, QuotaKind.None), // contract
            new(195m, 6, Registered, QuotaKind.None), // not a budget priority
            new(null, 1, Registered, QuotaKind.None), // no score
        ];

        var estimate = RankEstimator.Estimate(applications, 185m, new BudgetSeats(3, 0, 0));

        Assert.Equal(2, estimate.BestPlace);
        Assert.Equal(5, estimate.ActiveBudgetApplications);
    }

    [Fact]
    public void Quota_applications_fill_quota_places_first_and_the_rest_compete_generally()
    {
        // Budget 4, quota 1 → 3 general places. Quota 195 takes the quota place; quota 150 competes generally.
        // General scores: 190, 180, 170, 150. Higher than 175: 190, 180 → place 3. 3rd score 170: +5 → inside.
        RankedApplication[] applications =
        [
            new(195m, 1, Registered, QuotaKind.Quota1), new(150m, 1, Registered, QuotaKind.Quota1),
            Active(190m), Active(180m), Active(170m),
        ];

        var estimate = RankEstimator.Estimate(applications, 175m, new BudgetSeats(4, 1, 0));

        Assert.Equal(3, estimate.BestPlace);
        Assert.Equal(3, estimate.BudgetPlacesForGeneralCompetition);
        Assert.Equal(5, estimate.ActiveBudgetApplications);
        Assert.Equal(Standing.Inside, estimate.Standing);
        Assert.Equal(5m, estimate.GapToLastBudgetPlace);
    }

    [Fact]
    public void Fewer_applications_than_places_is_inside_without_a_gap()
    {
        var estimate = RankEstimator.Estimate([Active(190m), Active(150m)], 140m, new BudgetSeats(5, 0, 0));

        Assert.Equal(3, estimate.BestPlace);
        Assert.Equal(Standing.Inside, estimate.Standing);
        Assert.Null(estimate.GapToLastBudgetPlace);
    }

    [Fact]
    public void A_contract_only_offer_has_no_budget()
    {
        var estimate = RankEstimator.Estimate(List, 185m, new BudgetSeats(null, 0, 0));

        Assert.Equal(Standing.NoBudget, estimate.Standing);
        Assert.Null(estimate.BudgetPlacesForGeneralCompetition);
        Assert.Null(estimate.GapToLastBudgetPlace);
        Assert.Equal(2, estimate.BestPlace);
    }

    [Fact]
    public void Quota_seats_filled_up_to_every_budget_place_leave_no_general_budget()
    {
        // Budget 2 with 3 quota-1 places: only 2 can be used, and three quota-1 applicants fill both.
        RankedApplication[] applications = [.. List, new(160m, 1, Registered, QuotaKind.Quota1), new(161m, 2, Registered, QuotaKind.Quota1), new(162m, 1, Registered, QuotaKind.Quota1)];

        var estimate = RankEstimator.Estimate(applications, 185m, new BudgetSeats(2, 3, 0));

        Assert.Equal(0, estimate.BudgetPlacesForGeneralCompetition);
        Assert.Equal(Standing.NoBudget, estimate.Standing);
    }

    [Fact]
    public void An_empty_list_puts_the_applicant_first()
    {
        // Nobody fills the quota place, so it passes to the general competition: 10 general seats.
        var estimate = RankEstimator.Estimate([], 150m, new BudgetSeats(10, 1, 0));

        Assert.Equal(1, estimate.BestPlace);
        Assert.Equal(1, estimate.WorstPlace);
        Assert.Equal(10, estimate.BudgetPlacesForGeneralCompetition);
        Assert.Equal(Standing.Inside, estimate.Standing);
    }

    [Theory]
    [InlineData("Скасовано", false)]
    [InlineData("скасовано (втрата пріоритету)", false)]
    [InlineData("Відмова", false)]
    [InlineData("Відмовлено", false)]
    [InlineData("ВІДХИЛЕНО", false)]
    [InlineData("Деактивовано", false)]
    [InlineData("Зареєстровано", true)]
    [InlineData("Допущено", true)]
    [InlineData("Рекомендовано (бюджет)", true)]
    [InlineData("", true)]
    [InlineData(null, true)]
    public void Statuses_that_start_with_a_cancellation_word_are_inactive(string? status, bool active)
    {
        Assert.Equal(active, ApplicationStatuses.IsActive(status));
    }

    private static RankedApplication Active(decimal score) => new(score, 1, Registered, QuotaKind.None);
}
