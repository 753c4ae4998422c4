using Abitly.Domain.Scoring;

namespace Abitly.Domain.Tests.Scoring;

/// <summary>The one mapping from stored results (user_grades rows) to the score formula's inputs.</summary>
public sealed class ApplicantGradesTests
{
    [Fact]
    public void Creative_becomes_the_contest_score_and_is_not_an_nmt_subject()
    {
        var grades = ApplicantGrades.FromResults([new("ukr", 186m, 2026), new("creative", 180m, 2026)], preparatoryPointsApply: false);

        Assert.Equal(180m, grades.CreativeScore);
        Assert.Equal(["ukr"], grades.Scores.Keys);
    }

    [Theory]
    [InlineData(true, 8)]
    [InlineData(false, 0)]
    public void Preparatory_points_count_only_where_the_offer_grants_them(bool apply, int expected)
    {
        var grades = ApplicantGrades.FromResults([new("math", 167m, 2026), new("prep", 8m, 2026)], apply);

        Assert.Equal(expected, grades.PreparatoryPoints);
        Assert.False(grades.Scores.ContainsKey("prep"));
    }

    [Fact]
    public void The_newest_year_of_each_subject_counts()
    {
        var grades = ApplicantGrades.FromResults(
            [new("ukr", 150m, 2025), new("ukr", 186m, 2026), new("creative", 190m, 2026), new("creative", 120m, 2024), new("hist", 168m, 2024)],
            preparatoryPointsApply: false);

        Assert.Equal(186m, grades.Scores["ukr"]);
        Assert.Equal(168m, grades.Scores["hist"]);
        Assert.Equal(190m, grades.CreativeScore);
    }

    [Fact]
    public void Without_a_creative_row_there_is_no_contest_score()
    {
        var grades = ApplicantGrades.FromResults([new("ukr", 186m, 2026)], preparatoryPointsApply: true);

        Assert.Null(grades.CreativeScore);
        Assert.Equal(0m, grades.PreparatoryPoints);
    }

    [Fact]
    public void Mapped_results_score_a_creative_offer_with_preparatory_points_as_computed_by_hand()
    {
        var offer = new OfferWeights(2025, 0.35m, 0.20m, 0.20m, new Dictionary<string, decimal> { ["eng"] = 0.25m }, CreativeWeight: 0.40m);
        var grades = ApplicantGrades.FromResults(
            [new("ukr", 186m, 2026), new("math", 167m, 2026), new("hist", 168m, 2026), new("eng", 152m, 2026), new("creative", 180m, 2026), new("prep", 5m, 2026)],
            preparatoryPointsApply: true);

        var outcome = CompetitiveScoreCalculator.Calculate(offer, grades);

        // 242.1 / 1.40 = 172.92857… + ОУ 5 = 177.92857… → 177.929
        Assert.True(outcome.HasScore);
        Assert.Equal(177.929m, outcome.Score.WithPriorityBonus);
    }
}
