using Abitly.Domain.Scoring;

namespace Abitly.Domain.Tests.Scoring;

public class BudgetThresholdsTests
{
    [Theory]
    [InlineData(2025, "D8", 150)]
    [InlineData(2025, "d8", 150)]
    [InlineData(2025, "I2", 150)]
    [InlineData(2025, "081", 150)]
    [InlineData(2025, "222", 150)]
    [InlineData(2025, "C1", 130)]
    [InlineData(2026, "C1", 150)]
    [InlineData(2025, "F3", 130)]
    [InlineData(2025, "121", 130)]
    [InlineData(2025, null, 130)]
    [InlineData(2025, " ", 130)]
    public void Threshold_depends_on_the_speciality_list_of_the_year(int year, string? speciality, int expected)
    {
        Assert.Equal(expected, BudgetThresholds.For(year, speciality));
    }

    [Theory]
    [InlineData(true, 1, "1.02")]
    [InlineData(true, 2, "1.02")]
    [InlineData(true, 3, "1.00")]
    [InlineData(true, null, "1.00")]
    [InlineData(false, 1, "1.00")]
    public void Sectoral_coefficient_applies_to_priorities_1_and_2_of_supported_specialities(bool supported, int? priority, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), SectoralCoefficient.For(supported, priority));
    }
}
