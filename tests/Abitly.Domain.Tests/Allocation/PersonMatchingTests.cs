using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;
using Abitly.Domain.Scoring;

namespace Abitly.Domain.Tests.Allocation;

/// <summary>Hand-built lists whose persons are worked out in the comments; scores in thousandths.</summary>
public class PersonMatchingTests
{
    private const string Name = "Шевченко А. Б.";

    // Offers 0–2 share formula A (РК 1.00; РК 1.07; РК 1.00 with ГК), 3–4 formula B (РК 1.00; РК 1.04), 5 has none known.
    private static readonly MatchingOffer[] Offers =
    [
        new("A"),
        new("A", 1.07m),
        new("A", 1.00m, SectoralCoefficient: true),
        new("B"),
        new("B", 1.04m),
        new(null),
    ];

    private static MatchingApplication App(int offer, int priority, int score, QuotaKind quota = QuotaKind.None, string name = Name, string? key = null) =>
        new(offer, name, score, priority, quota, key);

    private static PersonMatchResult Match(params MatchingApplication[] applications) => PersonMatching.Match(Offers, applications);

    /// <summary>The groups as sets of application indices, for comparing partitions whatever the numbering.</summary>
    private static HashSet<string> Groups(PersonMatchResult result) =>
        [.. Enumerable.Range(0, result.ApplicationCount)
            .GroupBy(a => result.Person[a])
            .Select(g => string.Join(",", g.Order()))];

    private static PersonMatchConfidence ConfidenceOf(PersonMatchResult result, int application) => result.Confidence[result.Person[application]];

    [Fact]
    public void Applications_with_a_person_key_are_grouped_by_it_alone()
    {
        // The key wins over everything else: different names join, the same name with another key stays apart.
        var result = Match(
            App(0, 1, 150_000, name: "Шевченко А. Б.", key: "k1"),
            App(3, 2, 140_000, name: "Шевченко А.", key: "k1"),
            App(1, 1, 160_500, name: "Шевченко А. Б.", key: "k2"));

        Assert.Equal(["0,1", "2"], Groups(result));
        Assert.All(result.Confidence, c => Assert.Equal(PersonMatchConfidence.Key, c));
        Assert.Equal(1.0, result.MatchedShare);
    }

    [Fact]
    public void Persons_are_numbered_in_the_order_of_their_first_application()
    {
        var result = Match(App(0, 1, 150_000, key: "b"), App(3, 1, 150_000, key: "a"), App(1, 2, 150_000, key: "b"));

        Assert.Equal([0, 1, 0], result.Person);
        Assert.Equal(2, result.PersonCount);
    }

    [Fact]
    public void A_name_whose_applications_fit_one_person_is_one_person()
    {
        // Priorities 1–3 at three offers, one formula known for two of them with КБ 150.000 on both
        // (150.000 at РК 1.00; 150 × 1.07 = 160.500), the third offer's formula unknown.
        var result = Match(App(0, 1, 150_000), App(1, 2, 160_500), App(5, 3, 120_000));

        Assert.Equal(["0,1,2"], Groups(result));
        Assert.Equal(PersonMatchConfidence.Unique, result.Confidence.Single());
        Assert.Equal(1.0, result.MatchedShare);
    }

    [Fact]
    public void Equal_КБ_on_one_formula_tells_two_persons_of_one_name_apart_through_РК_and_ГК()
    {
        // P has КБ 150: 150.000 at offer 0, 150 × 1.07 = 160.500 at offer 1 (priority 2).
        // Q has КБ 160: 160 × 1.07 = 171.200 at offer 1 (priority 1), 160 × 1.02 = 163.200 at offer 2 (priority 2, ГК).
        // Their priorities alone allow either pairing; only КБ equality picks the right one.
        var result = Match(App(0, 1, 150_000), App(1, 2, 160_500), App(1, 1, 171_200), App(2, 2, 163_200));

        Assert.Equal(["0,1", "2,3"], Groups(result));
        Assert.All(result.Confidence, c => Assert.Equal(PersonMatchConfidence.Linked, c));
        Assert.Equal(1.0, result.MatchedShare);
    }

    [Fact]
    public void ГК_counts_only_for_priorities_1_and_2()
    {
        // КБ 150 at offer 2 (ГК applies there): 153.000 at priority 1, 150.000 at priority 3. With offer 0's 150.000 at
        // priority 2, all three are one КБ, so one person.
        var result = Match(App(2, 1, 153_000), App(0, 2, 150_000), App(2, 3, 150_000, name: "Інший І. І."));

        Assert.Contains("0,1", Groups(result));
        Assert.Equal(PersonMatchConfidence.Unique, ConfidenceOf(result, 0));
    }

    [Fact]
    public void A_score_capped_at_200_matches_any_КБ_that_reaches_the_cap()
    {
        // КБ 195 at РК 1.07 is 208.65, published as 200.000; at РК 1.00 it is 195.000. A stranger with КБ 180 would show
        // 192.600 at РК 1.07, not 200, so the capped score cannot be theirs.
        var result = Match(App(1, 1, 200_000), App(0, 2, 195_000));

        Assert.Equal(["0,1"], Groups(result));

        var apart = Match(App(1, 1, 200_000), App(0, 2, 180_000));
        Assert.Equal(["0", "1"], Groups(apart));
    }

    [Fact]
    public void A_fragment_that_fits_one_person_only_joins_them()
    {
        // X: priorities 1–3 on formula A with КБ 150. Y: priority 1 on formula B (140.000). The last application
        // (priority 2, unknown formula) cannot be X's, who has a priority 2, so it is Y's.
        var result = Match(
            App(0, 1, 150_000), App(1, 2, 160_500), App(2, 3, 150_000),
            App(3, 1, 140_000),
            App(5, 2, 145_000));

        Assert.Equal(["0,1,2", "3,4"], Groups(result));
        Assert.All(result.Confidence, c => Assert.Equal(PersonMatchConfidence.Linked, c));
    }

    [Fact]
    public void A_fragment_that_fits_two_persons_equally_stays_apart_and_leaves_both_open()
    {
        // X and Y both have only priority 1 and КБ 150 on different formulas; a priority-2 application with 150.000 on an
        // unknown formula fits both equally: a split, not a guess. Nothing here is matched for sure.
        var result = Match(App(0, 1, 150_000), App(3, 1, 150_000), App(5, 2, 150_000));

        Assert.Equal(["0", "1", "2"], Groups(result));
        Assert.Equal(PersonMatchConfidence.Open, ConfidenceOf(result, 0));
        Assert.Equal(PersonMatchConfidence.Open, ConfidenceOf(result, 1));
        Assert.Equal(PersonMatchConfidence.Unresolved, ConfidenceOf(result, 2));
        Assert.Equal(0.0, result.MatchedShare);
        Assert.False(result.IsReliable);
    }

    [Fact]
    public void Of_two_persons_a_fragment_fits_it_joins_the_one_whose_priorities_it_completes()
    {
        // X: priorities 1–2 with КБ 150 on formula A; Y: priorities 1–3 with КБ 140 on A (142.800 with ГК, 149.800 at
        // РК 1.07, 140.000). A priority-4 application fits both, but only with Y are the priorities 1..4 without a gap.
        var result = Match(
            App(0, 1, 150_000), App(1, 2, 160_500),
            App(2, 1, 142_800), App(1, 2, 149_800), App(0, 3, 140_000),
            App(5, 4, 135_000));

        Assert.Equal(["0,1", "2,3,4,5"], Groups(result));
        Assert.Equal(PersonMatchConfidence.Linked, ConfidenceOf(result, 0));
        Assert.Equal(PersonMatchConfidence.Chosen, ConfidenceOf(result, 5));
    }

    [Fact]
    public void Of_two_persons_a_fragment_fits_it_joins_the_one_whose_scores_are_clearly_closer()
    {
        // X: КБ 150 on A; Y: КБ 170 on A; the priority-2 application has КБ 151 on B. With nothing learnt yet, one
        // person's КБ on two formulas are taken to differ with spread 8 points and strangers' with 25:
        // evidence for X = ln(25/8) − ½(1/8)² + ½(1/25)² ≈ 1.131; for Y = ln(25/8) − ½(19/8)² + ½(19/25)² ≈ −1.392.
        // X leads by 2.5 (≥ 1) and is above 0, so the application joins X, as a choice.
        var result = Match(App(0, 1, 150_000), App(0, 1, 170_000), App(3, 2, 151_000));

        Assert.Equal(["0,2", "1"], Groups(result));
        Assert.Equal(PersonMatchConfidence.Chosen, ConfidenceOf(result, 0));
        Assert.Equal(PersonMatchConfidence.Linked, ConfidenceOf(result, 1));
        Assert.Equal(1.0 / 3, result.MatchedShare, 10);
    }

    [Fact]
    public void Scores_not_clearly_closer_leave_the_fragment_apart()
    {
        // As above with X at 150 and Y at 152 for a fragment at 151: both differ by 1 point, the evidence ties.
        var result = Match(App(0, 1, 150_000), App(0, 1, 152_000), App(3, 2, 151_000));

        Assert.Equal(["0", "1", "2"], Groups(result));
        Assert.Equal(PersonMatchConfidence.Unresolved, ConfidenceOf(result, 2));
    }

    [Fact]
    public void A_person_has_one_quota_kind()
    {
        // X is quota 1, Y quota 2, both at priority 1 with unknown formulas; a quota-1 application at priority 2 is X's.
        var result = Match(
            App(5, 1, 150_000, QuotaKind.Quota1),
            App(3, 1, 150_000, QuotaKind.Quota2),
            App(0, 2, 150_000, QuotaKind.Quota1));

        Assert.Equal(["0,2", "1"], Groups(result));
        Assert.Equal(PersonMatchConfidence.Linked, ConfidenceOf(result, 2));
    }

    [Fact]
    public void Two_applications_to_one_offer_or_with_one_priority_are_two_persons()
    {
        // Equal КБ would link them, but one person applies once to an offer and once per priority.
        var sameOffer = Match(App(0, 1, 150_000), App(0, 2, 150_000));
        var samePriority = Match(App(0, 1, 150_000), App(3, 1, 150_000));

        Assert.Equal(2, sameOffer.PersonCount);
        Assert.Equal(2, samePriority.PersonCount);
    }

    [Fact]
    public void Different_КБ_on_one_formula_are_two_persons_even_when_nothing_else_differs()
    {
        // Priorities 1 and 2, offers 0 and 1 of formula A: КБ 150 and 151 (151 × 1.07 = 161.570).
        var result = Match(App(0, 1, 150_000), App(1, 2, 161_570));

        Assert.Equal(2, result.PersonCount);
        Assert.Equal(PersonMatchConfidence.Unresolved, ConfidenceOf(result, 1));
    }

    [Fact]
    public void Applications_without_a_score_are_matched_by_the_other_fields()
    {
        var result = Match(App(0, 1, 150_000), App(3, 2, AdmissionOrder.Unscored));

        Assert.Equal(["0,1"], Groups(result));
        Assert.Equal(PersonMatchConfidence.Unique, result.Confidence.Single());
    }

    [Fact]
    public void Different_names_are_different_persons()
    {
        var result = Match(App(0, 1, 150_000, name: "Шевченко А. Б."), App(1, 2, 160_500, name: "Шевченко А. В."));

        Assert.Equal(2, result.PersonCount);
    }

    [Fact]
    public void Apostrophes_written_differently_and_surrounding_spaces_do_not_part_a_name()
    {
        var result = Match(App(0, 1, 150_000, name: "Дем’яненко О. О."), App(1, 2, 160_500, name: " Дем'яненко О. О."), App(3, 3, 140_000, name: "Демʼяненко О. О."));

        Assert.Equal(["0,1,2"], Groups(result));
    }

    [Fact]
    public void A_name_without_a_priority_1_application_is_unresolved()
    {
        // Nobody here is anchored: the applications may be one person or two.
        var result = Match(App(0, 2, 150_000), App(3, 3, 150_000));

        Assert.All(result.Confidence, c => Assert.Equal(PersonMatchConfidence.Unresolved, c));
        Assert.Equal(0.0, result.MatchedShare);
    }

    [Fact]
    public void Matched_share_counts_applications_of_sure_persons()
    {
        // Two sure persons (4 applications) and the open case of three applications: 4 of 7.
        var result = Match(
            App(0, 1, 150_000, key: "k"), App(3, 2, 150_000, key: "k"),
            App(0, 1, 150_000, name: "Коваль О. О."), App(1, 2, 160_500, name: "Коваль О. О."),
            App(0, 1, 150_000), App(3, 1, 150_000), App(5, 2, 150_000));

        Assert.Equal(4, result.MatchedApplications);
        Assert.Equal(4.0 / 7, result.MatchedShare, 10);
        Assert.Equal([2, 2, 0, 2, 0, 1], result.ApplicationsByConfidence);
    }

    [Fact]
    public void A_match_is_reliable_only_where_most_offers_have_a_known_formula()
    {
        // One sure person, but half of their applications are on an offer whose formula is unknown; a keyed person does
        // not count either way.
        var result = Match(App(0, 1, 150_000), App(5, 2, 150_000), App(5, 1, 150_000, key: "k"), App(5, 2, 150_000, key: "k"));

        Assert.Equal(1.0, result.MatchedShare);
        Assert.Equal(0.5, result.FormulaShare);
        Assert.False(result.IsReliable);
        Assert.True(Match(App(0, 1, 150_000), App(3, 2, 150_000), App(5, 1, 150_000, key: "k")).IsReliable);
    }

    [Fact]
    public void Nothing_to_match_is_fully_matched()
    {
        var result = PersonMatching.Match(Offers, []);

        Assert.Equal(0, result.PersonCount);
        Assert.Equal(1.0, result.MatchedShare);
        Assert.Equal(1.0, result.FormulaShare);
        Assert.True(result.IsReliable);
    }

    [Fact]
    public void Bad_input_is_refused_with_the_culprit_named()
    {
        Assert.Contains("offer 6", Assert.Throws<ArgumentException>(() => Match(App(6, 1, 150_000))).Message, StringComparison.Ordinal);
        Assert.Contains("priority 0", Assert.Throws<ArgumentException>(() => Match(App(0, 0, 150_000))).Message, StringComparison.Ordinal);
        Assert.Contains("priority 6", Assert.Throws<ArgumentException>(() => Match(App(0, 6, 150_000))).Message, StringComparison.Ordinal);
        Assert.Contains("quota", Assert.Throws<ArgumentException>(() => Match(App(0, 1, 150_000, (QuotaKind)7))).Message, StringComparison.Ordinal);
        Assert.Contains("name", Assert.Throws<ArgumentException>(() => Match(App(0, 1, 150_000, name: " "))).Message, StringComparison.Ordinal);
        Assert.Contains("РК", Assert.Throws<ArgumentException>(() => PersonMatching.Match([new MatchingOffer("A", 0m)], [App(0, 1, 150_000)])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_name_is_split_into_its_equal_КБ_fragments_without_choosing()
    {
        // 3,000 persons of one name (a placeholder for hidden names, say), each with priority 1 on formula A and
        // priority 2 on formula B: far more than the attach step takes, so the priority-2 applications stay apart.
        var applications = new List<MatchingApplication>();
        for (var p = 0; p < 3_000; p++)
        {
            applications.Add(App(0, 1, 100_000 + (p * 10)));
            applications.Add(App(3, 2, 100_000 + (p * 10)));
        }

        var result = PersonMatching.Match(Offers, [.. applications]);

        Assert.Equal(6_000, result.PersonCount);
        Assert.Equal(0.0, result.MatchedShare);
    }

    [Theory]
    [InlineData("0.30", "0.3", true)]
    [InlineData("0.30", "0.35", false)]
    public void A_formula_is_its_weights_whatever_the_trailing_zeros(string first, string second, bool same)
    {
        static OfferWeights Weights(decimal math, decimal regional) => new(
            2026, 0.3m, math, 0.2m, new Dictionary<string, decimal> { ["eng"] = 0.3m, ["phys"] = 0.4m }, RegionalCoefficient: regional);
        var a = MatchingOffer.FormulaOf(Weights(decimal.Parse(first, System.Globalization.CultureInfo.InvariantCulture), 1.00m), preparatoryPointsApply: false);
        var b = MatchingOffer.FormulaOf(Weights(decimal.Parse(second, System.Globalization.CultureInfo.InvariantCulture), 1.07m), preparatoryPointsApply: false);

        Assert.Equal(same, a == b);
    }

    [Fact]
    public void A_formula_includes_the_4th_subjects_the_creative_weight_the_year_form_and_ОУ()
    {
        var weights = new OfferWeights(2026, 0.3m, 0.5m, 0.2m, new Dictionary<string, decimal> { ["eng"] = 0.3m });
        var formula = MatchingOffer.FormulaOf(weights, preparatoryPointsApply: false);

        Assert.NotEqual(formula, MatchingOffer.FormulaOf(weights with { FourthSubjectWeights = new Dictionary<string, decimal> { ["eng"] = 0.3m, ["bio"] = 0.2m } }, false));
        Assert.NotEqual(formula, MatchingOffer.FormulaOf(weights with { CreativeWeight = 0.5m }, false));
        Assert.NotEqual(formula, MatchingOffer.FormulaOf(weights with { Year = 2024 }, false));
        Assert.NotEqual(formula, MatchingOffer.FormulaOf(weights, preparatoryPointsApply: true));
        Assert.Equal(formula, MatchingOffer.FormulaOf(weights with { Year = 2025, SectoralCoefficientApplies = true }, false));
    }

    [Fact]
    public void An_offer_without_weights_stands_for_its_speciality()
    {
        var offer = MatchingOffer.ForSpeciality(" F3 ", preparatoryPointsApply: false, 1.07m, sectoralCoefficient: true);

        Assert.Equal(MatchingOffer.ForSpeciality("F3", false, 1.00m, false).Formula, offer.Formula);
        Assert.NotEqual(MatchingOffer.ForSpeciality("F2", false, 1.07m, true).Formula, offer.Formula);
        Assert.NotEqual(MatchingOffer.ForSpeciality("F3", true, 1.07m, true).Formula, offer.Formula);
        Assert.Equal((1.07m, true), (offer.RegionalCoefficient, offer.SectoralCoefficient));
    }
}
