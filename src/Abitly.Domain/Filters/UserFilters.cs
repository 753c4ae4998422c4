namespace Abitly.Domain.Filters;

/// <summary>The universities and specialities a user follows; an empty set means that dimension is not filtered.</summary>
public sealed record UserFilters(IReadOnlySet<int> UniversityIds, IReadOnlySet<int> SpecialityIds)
{
    /// <summary>A user with no filters.</summary>
    public static UserFilters None { get; } = new(new HashSet<int>(), new HashSet<int>());

    /// <summary>Whether at least one dimension is filtered.</summary>
    public bool Any => UniversityIds.Count > 0 || SpecialityIds.Count > 0;
}
