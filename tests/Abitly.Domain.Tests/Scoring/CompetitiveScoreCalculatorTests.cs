using Abitly.Domain.Scoring;

namespace Abitly.Domain.Tests.Scoring;

// Every expected value is worked out by hand in the comment above it, never by calling the code.
public class CompetitiveScoreCalculatorTests
{
    [Fact]
    public void Design_worked_example_C3_2025()
    {
        // (186·0.45 + 167·0.40 + 168·0.40 + 152·0.50) = 83.7 + 66.8 + 67.2 + 76.0 = 293.7
        // denominator 0.45 + 0.40 + 0.40 + (0.50 + 0.50)/2 = 1.75
        // 293.7 / 1.75 = 167.828571… → 167.829
        var offer = Offer(2025, 0.45m, 0.40m, 0.40m, (Subjects.English, 0.50m)) with { SpecialityCode = "C3" };
        var grades = Grades((Subjects.Ukrainian, 186), (Subjects.History, 168), (Subjects.Mathematics, 167), (Subjects.English, 152));

        var score = ScoreOf(offer, grades);

        Assert.Equal(167.829m, score.Base);
        Assert.Equal(167.829m, score.WithPriorityBonus);
        Assert.Equal(167.829m, score.WithoutPriorityBonus);
        Assert.Equal(Subjects.English, score.FourthSubject);
        Assert.Equal(150m, score.BudgetThreshold); // C3 is on the 150 list
        Assert.True(score.MeetsBudgetThreshold);
    }

    [Fact]
    public void Design_worked_example_is_unchanged_by_lower_options_the_applicant_lacks()
    {
        // Biology at 0.30 does not change К4max = 0.50, and the applicant has no biology: still 293.7 / 1.75.
        var offer = Offer(2025, 0.45m, 0.40m, 0.40m, (Subjects.English, 0.50m), (Subjects.Biology, 0.30m));
        var grades = Grades((Subjects.Ukrainian, 186), (Subjects.History, 168), (Subjects.Mathematics, 167), (Subjects.English, 152));

        Assert.Equal(167.829m, ScoreOf(offer, grades).Base);
    }

    [Fact]
    public void Design_worked_example_regional_coefficient_154_4_times_1_07()
    {
        // 154·0.3 + 155·0.4 + 154·0.2 + 154·0.1 = 46.2 + 62.0 + 30.8 + 15.4 = 154.4
        // denominator 0.3 + 0.4 + 0.2 + (0.1 + 0.1)/2 = 1.0 → КБ 154.400
        // 154.400 × 1.07 = 165.208
        var offer = Offer(2025, 0.3m, 0.4m, 0.2m, (Subjects.English, 0.1m)) with { RegionalCoefficient = 1.07m };

        var score = ScoreOf(offer, Grades154_4());

        Assert.Equal(154.400m, score.Base);
        Assert.Equal(165.208m, score.WithoutPriorityBonus);
        Assert.Equal(165.208m, score.WithPriorityBonus); // no ГК
        Assert.False(score.PriorityBonusDiffers);
    }

    [Fact]
    public void Design_worked_example_three_subjects_2023()
    {
        // NMT 2023 had three subjects, so the offer has no 4th-subject options.
        // (190·0.45 + 175·0.30 + 200·0.35) = 85.5 + 52.5 + 70.0 = 208
        // denominator 0.45 + 0.30 + 0.35 = 1.10; 208 / 1.10 = 189.090909… → 189.091
        var offer = Offer(2023, 0.45m, 0.30m, 0.35m);
        var grades = Grades((Subjects.Ukrainian, 190), (Subjects.Mathematics, 175), (Subjects.History, 200));

        var score = ScoreOf(offer, grades);

        Assert.Equal(189.091m, score.Base);
        Assert.Null(score.FourthSubject);
    }

    [Fact]
    public void A_4th_weight_below_the_max_is_averaged_with_it_from_2025()
    {
        // 150·0.35 + 150·0.40 + 150·0.25 + 200·0.30 = 52.5 + 60 + 37.5 + 60 = 210
        // 2025 denominator: 1.00 + (0.50 + 0.30)/2 = 1.40 → 210 / 1.4 = 150.000
        var offer = Offer(2025, 0.35m, 0.40m, 0.25m, (Subjects.English, 0.30m), (Subjects.Biology, 0.50m));
        var grades = Grades((Subjects.Ukrainian, 150), (Subjects.Mathematics, 150), (Subjects.History, 150), (Subjects.English, 200));

        Assert.Equal(150.000m, ScoreOf(offer, grades).Base);
    }

    [Fact]
    public void A_4th_weight_below_the_max_is_used_plainly_in_2024()
    {
        // Same numerator 210; 2024 denominator: 1.00 + 0.30 = 1.30 → 161.538461… → 161.538
        var offer = Offer(2024, 0.35m, 0.40m, 0.25m, (Subjects.English, 0.30m), (Subjects.Biology, 0.50m));
        var grades = Grades((Subjects.Ukrainian, 150), (Subjects.Mathematics, 150), (Subjects.History, 150), (Subjects.English, 200));

        Assert.Equal(161.538m, ScoreOf(offer, grades).Base);
    }

    [Fact]
    public void The_2026_formula_is_the_2025_one()
    {
        // As in the 2025 case: 210 / 1.40 = 150.000
        var offer = Offer(2026, 0.35m, 0.40m, 0.25m, (Subjects.English, 0.30m), (Subjects.Biology, 0.50m));
        var grades = Grades((Subjects.Ukrainian, 150), (Subjects.Mathematics, 150), (Subjects.History, 150), (Subjects.English, 200));

        Assert.Equal(150.000m, ScoreOf(offer, grades).Base);
    }

    [Fact]
    public void The_best_4th_subject_is_not_always_the_highest_weight_times_score()
    {
        // Fixed part: 150·(0.35 + 0.40 + 0.25) = 150, weights 1.00.
        // English: К4·П4 = 0.30·200 = 60 → (150 + 60) / (1.00 + (0.50 + 0.30)/2) = 210 / 1.40 = 150.000
        // Biology: К4·П4 = 0.50·130 = 65 (higher) → (150 + 65) / (1.00 + 0.50) = 215 / 1.50 = 143.333…
        var offer = Offer(2025, 0.35m, 0.40m, 0.25m, (Subjects.English, 0.30m), (Subjects.Biology, 0.50m));
        var grades = Grades(
            (Subjects.Ukrainian, 150), (Subjects.Mathematics, 150), (Subjects.History, 150),
            (Subjects.English, 200), (Subjects.Biology, 130));

        var score = ScoreOf(offer, grades);

        Assert.Equal(Subjects.English, score.FourthSubject);
        Assert.Equal(150.000m, score.Base);
    }

    [Fact]
    public void The_higher_weighted_4th_subject_wins_when_it_gives_more()
    {
        // English: (150 + 0.30·150 = 45) / 1.40 = 195 / 1.40 = 139.2857… → 139.286
        // Biology: (150 + 0.50·190 = 95) / 1.50 = 245 / 1.50 = 163.333…  → 163.333
        var offer = Offer(2025, 0.35m, 0.40m, 0.25m, (Subjects.English, 0.30m), (Subjects.Biology, 0.50m));
        var grades = Grades(
            (Subjects.Ukrainian, 150), (Subjects.Mathematics, 150), (Subjects.History, 150),
            (Subjects.English, 150), (Subjects.Biology, 190));

        var score = ScoreOf(offer, grades);

        Assert.Equal(Subjects.Biology, score.FourthSubject);
        Assert.Equal(163.333m, score.Base);
    }

    [Fact]
    public void Sectoral_coefficient_raises_only_the_priority_1_2_score()
    {
        // КБ 154.4 (see the РК example); ГК: 154.4 × 1.02 = 157.488
        var offer = Offer(2025, 0.3m, 0.4m, 0.2m, (Subjects.English, 0.1m)) with { SectoralCoefficientApplies = true };

        var score = ScoreOf(offer, Grades154_4());

        Assert.Equal(157.488m, score.WithPriorityBonus);
        Assert.Equal(154.400m, score.WithoutPriorityBonus);
        Assert.Equal(154.400m, score.Base);
        Assert.True(score.PriorityBonusDiffers);
    }

    [Fact]
    public void Regional_and_sectoral_coefficients_multiply()
    {
        // 154.4 × 1.07 = 165.208; × 1.02 = 168.51216 → 168.512
        var offer = Offer(2025, 0.3m, 0.4m, 0.2m, (Subjects.English, 0.1m)) with
        {
            RegionalCoefficient = 1.07m,
            SectoralCoefficientApplies = true,
        };

        var score = ScoreOf(offer, Grades154_4());

        Assert.Equal(168.512m, score.WithPriorityBonus);
        Assert.Equal(165.208m, score.WithoutPriorityBonus);
    }

    [Theory]
    [InlineData("121", true)]
    [InlineData("F3", true)]
    [InlineData("C3", false)]
    [InlineData(null, false)]
    public void Without_an_offer_flag_the_sectoral_coefficient_follows_the_speciality_list(string? speciality, bool applies)
    {
        // КБ 154.4; with ГК 157.488 (as above), without 154.400
        var offer = Offer(2025, 0.3m, 0.4m, 0.2m, (Subjects.English, 0.1m)) with { SpecialityCode = speciality };

        var score = ScoreOf(offer, Grades154_4());

        Assert.Equal(applies ? 157.488m : 154.400m, score.WithPriorityBonus);
    }

    [Fact]
    public void An_explicit_offer_flag_beats_the_speciality_list()
    {
        var offer = Offer(2025, 0.3m, 0.4m, 0.2m, (Subjects.English, 0.1m)) with
        {
            SpecialityCode = "121",
            SectoralCoefficientApplies = false,
        };

        Assert.Equal(154.400m, ScoreOf(offer, Grades154_4()).WithPriorityBonus);
    }

    [Fact]
    public void The_score_is_capped_at_200_after_the_multipliers()
    {
        // All 200, weights sum 1.0 → КБ 200; × 1.07 = 214 → 200; × 1.07 × 1.02 = 218.28 → 200
        var offer = Offer(2025, 0.3m, 0.4m, 0.2m, (Subjects.English, 0.1m)) with
        {
            RegionalCoefficient = 1.07m,
            SectoralCoefficientApplies = true,
        };
        var grades = Grades((Subjects.Ukrainian, 200), (Subjects.Mathematics, 200), (Subjects.History, 200), (Subjects.English, 200));

        var score = ScoreOf(offer, grades);

        Assert.Equal(200m, score.Base);
        Assert.Equal(200m, score.WithPriorityBonus);
        Assert.Equal(200m, score.WithoutPriorityBonus);
    }

    [Fact]
    public void Preparatory_points_cannot_lift_the_score_over_200()
    {
        // 200 + ОУ 10 = 210 → 200
        var offer = Offer(2025, 0.3m, 0.4m, 0.2m, (Subjects.English, 0.1m));
        var grades = Grades((Subjects.Ukrainian, 200), (Subjects.Mathematics, 200), (Subjects.History, 200), (Subjects.English, 200))
            with
        { PreparatoryPoints = 10m };

        Assert.Equal(200m, ScoreOf(offer, grades).Base);
    }

    [Fact]
    public void An_exact_half_thousandth_rounds_up()
    {
        // 150·0.35 + 150·0.35 + 150·0.15 + 151·0.15 = 52.5 + 52.5 + 22.5 + 22.65 = 150.15, denominator 1.0
        // 150.15 × 1.07 = 160.6605 → half-up 160.661 (banker's rounding would give 160.660)
        var offer = Offer(2025, 0.35m, 0.35m, 0.15m, (Subjects.English, 0.15m)) with { RegionalCoefficient = 1.07m };
        var grades = Grades((Subjects.Ukrainian, 150), (Subjects.Mathematics, 150), (Subjects.History, 150), (Subjects.English, 151));

        var score = ScoreOf(offer, grades);

        Assert.Equal(150.150m, score.Base);
        Assert.Equal(160.661m, score.WithoutPriorityBonus);
    }

    [Theory]
    [InlineData("160.6605", "160.661")]
    [InlineData("160.6615", "160.662")]
    [InlineData("160.66049999", "160.660")]
    [InlineData("0.0005", "0.001")]
    public void Round_is_half_up_to_a_thousandth(string value, string expected)
    {
        var parsed = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), CompetitiveScoreCalculator.Round(parsed));
    }

    [Fact]
    public void Creative_competition_and_preparatory_points_enter_the_formula()
    {
        // 180·0.3 + 150·0.4 + 160·0.2 + 170·0.2 (lit) + 190·0.5 (ТК) = 54 + 60 + 32 + 34 + 95 = 275
        // denominator 0.3 + 0.4 + 0.2 + (0.2 + 0.2)/2 + 0.5 = 1.6 → 275 / 1.6 = 171.875; + ОУ 5 = 176.875
        var offer = Offer(2025, 0.3m, 0.4m, 0.2m, (Subjects.Literature, 0.2m)) with { CreativeWeight = 0.5m };
        var grades = Grades((Subjects.Ukrainian, 180), (Subjects.Mathematics, 150), (Subjects.History, 160), (Subjects.Literature, 170))
            with
        { CreativeScore = 190m, PreparatoryPoints = 5m };

        Assert.Equal(176.875m, ScoreOf(offer, grades).Base);
    }

    [Fact]
    public void A_missing_required_subject_gives_no_score_and_names_it()
    {
        var offer = Offer(2025, 0.3m, 0.4m, 0.2m, (Subjects.English, 0.1m));
        var grades = Grades((Subjects.Ukrainian, 180), (Subjects.Mathematics, 150), (Subjects.English, 170));

        var outcome = CompetitiveScoreCalculator.Calculate(offer, grades);

        Assert.False(outcome.HasScore);
        Assert.Null(outcome.Score);
        Assert.Equal([Subjects.History], outcome.MissingSubjects);
        Assert.Empty(outcome.MissingFourthSubjectOptions);
    }

    [Fact]
    public void A_missing_4th_subject_reports_the_offers_options()
    {
        var offer = Offer(2025, 0.3m, 0.4m, 0.2m, (Subjects.English, 0.1m), (Subjects.Biology, 0.2m));
        var grades = Grades((Subjects.Ukrainian, 180), (Subjects.Mathematics, 150), (Subjects.History, 160), (Subjects.Physics, 190));

        var outcome = CompetitiveScoreCalculator.Calculate(offer, grades);

        Assert.False(outcome.HasScore);
        Assert.Empty(outcome.MissingSubjects);
        Assert.Equal([Subjects.Biology, Subjects.English], outcome.MissingFourthSubjectOptions);
    }

    [Fact]
    public void A_missing_creative_score_is_reported_when_the_offer_has_a_creative_competition()
    {
        var offer = Offer(2025, 0.3m, 0.4m, 0.2m, (Subjects.Literature, 0.2m)) with { CreativeWeight = 0.5m };
        var grades = Grades((Subjects.Ukrainian, 180), (Subjects.Mathematics, 150), (Subjects.History, 160), (Subjects.Literature, 170));

        var outcome = CompetitiveScoreCalculator.Calculate(offer, grades);

        Assert.Equal([Subjects.Creative], outcome.MissingSubjects);
    }

    [Fact]
    public void All_missing_subjects_are_named_in_formula_order()
    {
        var offer = Offer(2025, 0.3m, 0.4m, 0.2m, (Subjects.English, 0.1m)) with { CreativeWeight = 0.5m };

        var outcome = CompetitiveScoreCalculator.Calculate(offer, Grades());

        Assert.Equal([Subjects.Ukrainian, Subjects.Mathematics, Subjects.History, Subjects.Creative], outcome.MissingSubjects);
        Assert.Equal([Subjects.English], outcome.MissingFourthSubjectOptions);
    }

    [Fact]
    public void A_grade_outside_100_200_is_invalid_and_counts_as_missing()
    {
        var offer = Offer(2025, 0.3m, 0.4m, 0.2m, (Subjects.English, 0.1m));
        var grades = Grades((Subjects.Ukrainian, 250), (Subjects.Mathematics, 150), (Subjects.History, 160), (Subjects.English, 170));

        var outcome = CompetitiveScoreCalculator.Calculate(offer, grades);

        Assert.False(outcome.HasScore);
        Assert.Equal([Subjects.Ukrainian], outcome.InvalidGrades);
        Assert.Equal([Subjects.Ukrainian], outcome.MissingSubjects);
    }

    [Fact]
    public void An_invalid_4th_subject_is_skipped_in_favour_of_a_valid_one()
    {
        // English 90 is invalid; biology 160: fixed part 150·(0.3+0.4+0.2) = 135, + 0.1·160 = 16 → 151
        // denominator 0.9 + (0.1 + 0.1)/2 = 1.0 → 151.000
        var offer = Offer(2025, 0.3m, 0.4m, 0.2m, (Subjects.English, 0.1m), (Subjects.Biology, 0.1m));
        var grades = Grades((Subjects.Ukrainian, 150), (Subjects.Mathematics, 150), (Subjects.History, 150), (Subjects.English, 90), (Subjects.Biology, 160));

        var outcome = CompetitiveScoreCalculator.Calculate(offer, grades);

        Assert.True(outcome.HasScore);
        Assert.Equal(151.000m, outcome.Score.Base);
        Assert.Equal(Subjects.Biology, outcome.Score.FourthSubject);
        Assert.Equal([Subjects.English], outcome.InvalidGrades);
    }

    [Fact]
    public void Out_of_range_preparatory_points_are_reported_and_ignored()
    {
        // КБ 154.4 without ОУ, since 12 is outside 0–10
        var offer = Offer(2025, 0.3m, 0.4m, 0.2m, (Subjects.English, 0.1m));

        var outcome = CompetitiveScoreCalculator.Calculate(offer, Grades154_4() with { PreparatoryPoints = 12m });

        Assert.Equal(154.400m, outcome.Score?.Base);
        Assert.Equal([Subjects.PreparatoryCourse], outcome.InvalidGrades);
    }

    [Fact]
    public void A_score_below_130_does_not_reach_the_budget_threshold()
    {
        // All 125, weights sum 1.0 → 125.000 < 130
        var offer = Offer(2025, 0.3m, 0.4m, 0.2m, (Subjects.English, 0.1m)) with { SpecialityCode = "122" };
        var grades = Grades((Subjects.Ukrainian, 125), (Subjects.Mathematics, 125), (Subjects.History, 125), (Subjects.English, 125));

        var score = ScoreOf(offer, grades);

        Assert.Equal(125.000m, score.Base);
        Assert.Equal(130m, score.BudgetThreshold);
        Assert.False(score.MeetsBudgetThreshold);
    }

    [Fact]
    public void Law_needs_150()
    {
        // All 149 → 149.000 < 150
        var offer = Offer(2025, 0.3m, 0.4m, 0.2m, (Subjects.English, 0.1m)) with { SpecialityCode = "D8" };
        var grades = Grades((Subjects.Ukrainian, 149), (Subjects.Mathematics, 149), (Subjects.History, 149), (Subjects.English, 149));

        var score = ScoreOf(offer, grades);

        Assert.Equal(150m, score.BudgetThreshold);
        Assert.False(score.MeetsBudgetThreshold);
    }

    [Fact]
    public void Subjects_below_the_offers_minimum_are_listed_for_the_chosen_4th_subject_only()
    {
        var offer = Offer(2025, 0.3m, 0.4m, 0.2m, (Subjects.English, 0.1m), (Subjects.Biology, 0.1m)) with
        {
            MinScores = new Dictionary<string, decimal>
            {
                [Subjects.Mathematics] = 140m,
                [Subjects.Biology] = 150m,
                [Subjects.English] = 120m,
            },
        };

        // English 180 beats biology 110 (same К4), so biology's minimum does not matter.
        var grades = Grades((Subjects.Ukrainian, 150), (Subjects.Mathematics, 130), (Subjects.History, 150), (Subjects.English, 180), (Subjects.Biology, 110));

        var score = ScoreOf(offer, grades);

        Assert.Equal(Subjects.English, score.FourthSubject);
        Assert.Equal([Subjects.Mathematics], score.SubjectsBelowMinimum);
    }

    [Fact]
    public void Negative_weights_are_rejected()
    {
        var offer = Offer(2025, -0.3m, 0.4m, 0.2m, (Subjects.English, 0.1m));

        Assert.Throws<ArgumentException>(() => CompetitiveScoreCalculator.Calculate(offer, Grades154_4()));
    }

    private static CompetitiveScore ScoreOf(OfferWeights offer, ApplicantGrades grades)
    {
        var outcome = CompetitiveScoreCalculator.Calculate(offer, grades);
        Assert.True(outcome.HasScore, $"missing: {string.Join(",", outcome.MissingSubjects)}");
        return outcome.Score;
    }

    // Weights (0.3, 0.4, 0.2, eng 0.1) turn these grades into exactly 154.4 (see the РК example).
    private static ApplicantGrades Grades154_4() =>
        Grades((Subjects.Ukrainian, 154), (Subjects.Mathematics, 155), (Subjects.History, 154), (Subjects.English, 154));

    private static OfferWeights Offer(int year, decimal ukrainian, decimal mathematics, decimal history, params (string Code, decimal Weight)[] fourth) =>
        new(year, ukrainian, mathematics, history, fourth.ToDictionary(f => f.Code, f => f.Weight));

    private static ApplicantGrades Grades(params (string Code, decimal Score)[] scores) =>
        new(scores.ToDictionary(s => s.Code, s => s.Score));
}
