namespace Abitly.Domain.Filters;

/// <summary>The values of an open day that filters match against; a null speciality means the whole university.</summary>
public sealed record OpenDayKey(int UniversityId, int? SpecialityId);
