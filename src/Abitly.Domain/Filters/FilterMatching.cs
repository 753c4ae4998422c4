namespace Abitly.Domain.Filters;

/// <summary>Decides which users hear about an updated open day.</summary>
public static class FilterMatching
{
    /// <summary>
    /// True when the user has at least one filter and every filtered dimension contains the open day's value.
    /// An open day without a speciality cannot satisfy a speciality filter: the user asked for specific specialities.
    /// </summary>
    public static bool UserMatchesOpenDay(UserFilters filters, OpenDayKey openDay)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(openDay);

        // No filters means no subscription to updates, not "everything".
        if (!filters.Any)
        {
            return false;
        }

        if (filters.UniversityIds.Count > 0 && !filters.UniversityIds.Contains(openDay.UniversityId))
        {
            return false;
        }

        return filters.SpecialityIds.Count == 0
            || (openDay.SpecialityId is { } speciality && filters.SpecialityIds.Contains(speciality));
    }
}
