using Abitly.Campaign.Generation;
using Abitly.Domain.Allocation;

namespace Abitly.Campaign.Tests;

/// <summary>The measures of a match against the truth, on groupings and outcomes small enough to count by hand.</summary>
public class MatchingAgreementTests
{
    [Fact]
    public void Grouping_agreement_counts_pairs_and_exact_persons()
    {
        // Truth: {0,1} {2,3} {4}. Found: {0,1} {2} {3} {4}: person 0 and person 2 exact, person 1 split.
        // True pairs: (0,1), (2,3) = 2; found pairs: (0,1) = 1; correct: 1.
        var agreement = GroupingAgreement.Of([0, 0, 1, 1, 2], [5, 5, 7, 8, 9]);

        Assert.Equal((2L, 1L, 1L), (agreement.TruePairs, agreement.FoundPairs, agreement.CorrectPairs));
        Assert.Equal(1.0, agreement.PairPrecision);
        Assert.Equal(0.5, agreement.PairRecall);
        Assert.Equal((3, 2), (agreement.TruePersons, agreement.ExactPersons));
        Assert.Equal(3.0 / 5, agreement.ExactApplicationShare);
    }

    [Fact]
    public void A_wrong_merge_costs_precision_and_both_persons()
    {
        // Truth: {0,1} {2}. Found: {0,1,2}. Found pairs: 3, correct 1; nobody exact.
        var agreement = GroupingAgreement.Of([0, 0, 1], [4, 4, 4]);

        Assert.Equal(1.0 / 3, agreement.PairPrecision);
        Assert.Equal(1.0, agreement.PairRecall);
        Assert.Equal(0, agreement.ExactPersons);
    }

    [Fact]
    public void Cut_off_agreement_compares_offers_with_budget_places()
    {
        OfferOutcome Outcome(int budget, int? cutOff) => new(1, budget, 0, 0, budget, budget, null, null, cutOff, cutOff);
        OfferOutcome[] truth =
        [
            Outcome(0, null),                       // contract only: not compared
            Outcome(5, 150_000),                    // identical
            Outcome(5, null),                       // free in both: identical
            Outcome(5, null),                       // free in truth, cut in found
            Outcome(5, 160_000),                    // found 1 point stricter
            Outcome(5, 170_000),                    // found 3 points laxer
            Outcome(5, AdmissionOrder.Unscored),    // an unscored application on the last seat: as good as free
        ];
        OfferOutcome[] found =
        [
            Outcome(0, null),
            Outcome(5, 150_000),
            Outcome(5, null),
            Outcome(5, 140_000),
            Outcome(5, 161_000),
            Outcome(5, 167_000),
            Outcome(5, null),
        ];

        var agreement = CutOffAgreement.Of(truth, found);

        // Compared 6; identical 3; a cut in both: 3 (|Δ| 0, 1000, 3000); one free: 1.
        Assert.Equal((6, 3, 3, 1), (agreement.Offers, agreement.Identical, agreement.BothCut, agreement.OneFree));
        Assert.Equal(4_000.0 / 3, agreement.MeanDifference, 6);
        Assert.Equal(3_000, agreement.P95Difference);
        Assert.Equal(3_000, agreement.MaxDifference);
        Assert.Equal(-2_000.0 / 3, agreement.MeanSignedDifference, 6);
        Assert.Equal(0.5, agreement.IdenticalShare);
    }

    [Fact]
    public void Groupings_of_different_applications_are_refused()
    {
        Assert.Throws<ArgumentException>(() => GroupingAgreement.Of([0, 0], [0]));
    }
}
