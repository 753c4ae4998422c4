using Abitly.Domain.Filters;

namespace Abitly.Domain.Tests.Filters;

public class FilterMatchingTests
{
    [Theory]
    // No filters: never matches.
    [InlineData(new int[0], new int[0], 1, 10, false)]
    [InlineData(new int[0], new int[0], 1, null, false)]
    // University only.
    [InlineData(new[] { 1, 2 }, new int[0], 1, 10, true)]
    [InlineData(new[] { 1, 2 }, new int[0], 1, null, true)]
    [InlineData(new[] { 1, 2 }, new int[0], 3, 10, false)]
    // Speciality only.
    [InlineData(new int[0], new[] { 10 }, 7, 10, true)]
    [InlineData(new int[0], new[] { 10 }, 7, 11, false)]
    [InlineData(new int[0], new[] { 10 }, 7, null, false)] // a university-wide open day does not satisfy a speciality filter
    // Both dimensions: each must contain the open day's value.
    [InlineData(new[] { 1 }, new[] { 10 }, 1, 10, true)]
    [InlineData(new[] { 1 }, new[] { 10 }, 2, 10, false)]
    [InlineData(new[] { 1 }, new[] { 10 }, 1, 11, false)]
    [InlineData(new[] { 1 }, new[] { 10 }, 1, null, false)]
    public void A_user_matches_when_every_filtered_dimension_contains_the_open_days_value(
        int[] universities, int[] specialities, int universityId, int? specialityId, bool expected)
    {
        var filters = new UserFilters(universities.ToHashSet(), specialities.ToHashSet());

        Assert.Equal(expected, FilterMatching.UserMatchesOpenDay(filters, new OpenDayKey(universityId, specialityId)));
    }

    [Fact]
    public void The_empty_filter_set_matches_nothing()
    {
        Assert.False(UserFilters.None.Any);
        Assert.False(FilterMatching.UserMatchesOpenDay(UserFilters.None, new OpenDayKey(1, null)));
    }
}
