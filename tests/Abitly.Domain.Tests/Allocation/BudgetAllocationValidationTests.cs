using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;

namespace Abitly.Domain.Tests.Allocation;

public class BudgetAllocationValidationTests
{
    private static readonly AllocationOffer[] TwoOffers = [new(11, 1, 0, 0), new(12, 1, 0, 0)];

    private static string Refusal(AllocationOffer[] offers, AllocationApplication[] applications, int[] tieRanks) =>
        Assert.Throws<ArgumentException>(() => BudgetAllocation.Allocate(offers, applications, tieRanks)).Message;

    [Fact]
    public void A_person_out_of_range_is_named()
    {
        var message = Refusal(TwoOffers, [new(0, 0, 1, 150_000, QuotaKind.None), new(2, 0, 2, 150_000, QuotaKind.None)], [0, 1]);

        Assert.Contains("Application 1: person 2", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_offer_out_of_range_is_named()
    {
        Assert.Contains("Application 0: offer -1", Refusal(TwoOffers, [new(0, -1, 1, 150_000, QuotaKind.None)], [0]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void A_priority_outside_1_to_5_is_named(int priority)
    {
        Assert.Contains($"priority {priority}", Refusal(TwoOffers, [new(0, 0, priority, 150_000, QuotaKind.None)], [0]), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_applications_of_one_person_with_the_same_priority_are_named()
    {
        var message = Refusal(TwoOffers, [new(0, 0, 2, 150_000, QuotaKind.None), new(0, 1, 2, 150_000, QuotaKind.None)], [0]);

        Assert.Contains("Person 0 has two applications with priority 2: 0 and 1", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_applications_of_one_person_to_the_same_offer_are_named()
    {
        var message = Refusal(TwoOffers, [new(0, 1, 1, 150_000, QuotaKind.None), new(0, 1, 3, 150_000, QuotaKind.None)], [0]);

        Assert.Contains("Person 0 has two applications to offer 1: 0 and 1", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_persons_with_one_tie_rank_are_named()
    {
        Assert.Contains("Persons 0 and 2 share tie rank 7", Refusal(TwoOffers, [], [7, 3, 7]), StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_places_are_named()
    {
        Assert.Contains("Offer 1 (id 12)", Refusal([new(11, 1, 0, 0), new(12, 3, -1, 0)], [], []), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_quota_kind_is_named()
    {
        Assert.Contains("Application 0: quota kind 3", Refusal(TwoOffers, [new(0, 0, 1, 150_000, (QuotaKind)3)], [0]), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_campaign_allocates_nothing()
    {
        var result = BudgetAllocation.Allocate([], [], []);

        Assert.Equal((0, 0), (result.Rounds, result.PlacedPersons));
    }
}
