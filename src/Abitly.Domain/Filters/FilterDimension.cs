namespace Abitly.Domain.Filters;

/// <summary>Which filter dimension a choice belongs to.</summary>
public enum FilterDimension
{
    University,
    Speciality,
}
