namespace Abitly.Bot.Data;

// Entities of DESIGN.md §3. Timestamps are UTC DateTime so the same model runs on PostgreSQL
// (timestamptz) and SQLite (sandbox); no provider-specific column types.

/// <summary>A university (заклад вищої освіти).</summary>
public sealed class University
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string ShortName { get; set; }
    public required string Region { get; set; }
}

/// <summary>A speciality (спеціальність) such as F3 or 121.</summary>
public sealed class Speciality
{
    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
}

/// <summary>A competitive offer (конкурсна пропозиція), keyed by its EDBO id.</summary>
public sealed class Offer
{
    public long Id { get; set; }
    public int Year { get; set; }
    public int UniversityId { get; set; }
    public University University { get; set; } = null!;
    public int SpecialityId { get; set; }
    public Speciality Speciality { get; set; } = null!;
    public required string ProgramName { get; set; }
    public string? Faculty { get; set; }
    public required string EducationForm { get; set; }
    public required string Degree { get; set; }
    /// <summary>Max state order; null means contract only.</summary>
    public int? BudgetPlaces { get; set; }
    public int Quota1Places { get; set; }
    public int Quota2Places { get; set; }
    public int? LicenseVolume { get; set; }
    public decimal RegionalCoefficient { get; set; } = 1m;
    public bool SectoralCoefficientApplies { get; set; }
    /// <summary>Whether preparatory-course points (ОУ) count for this offer; where not, a stored <c>prep</c> result is ignored.</summary>
    public bool PreparatoryPointsApply { get; set; }
    public string? SourceUrl { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<OfferSubject> Subjects { get; set; } = [];
}

/// <summary>One weight of an offer's score formula (slot 1 Ukrainian, 2 maths, 3 history, 4 a 4th-subject option, 5 creative).</summary>
public sealed class OfferSubject
{
    public long OfferId { get; set; }
    public int Slot { get; set; }
    public required string Subject { get; set; }
    public decimal Coefficient { get; set; }
    public decimal? MinScore { get; set; }
}

/// <summary>Aggregates of an offer's applications.</summary>
public sealed class OfferAnalytics
{
    public long OfferId { get; set; }
    public int ApplicationsTotal { get; set; }
    public int ApplicationsBudget { get; set; }
    public decimal? MinBudgetScoreLastYear { get; set; }
    public decimal? AvgScore { get; set; }
    public DateTime ComputedAt { get; set; }
}

/// <summary>An application on an offer's published list (names as published, initials only).</summary>
public sealed class Applicant
{
    public long Id { get; set; }
    public long OfferId { get; set; }
    public required string FullName { get; set; }
    public decimal? Score { get; set; }
    /// <summary>1–5 for budget applications, null for contract.</summary>
    public int? Priority { get; set; }
    public required string Status { get; set; }
    public bool Quota { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A web user of the backend.</summary>
public sealed class WebUser
{
    public long Id { get; set; }
    public required string Email { get; set; }
    public required string DisplayName { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<UserGrade> Grades { get; set; } = [];
}

/// <summary>An NMT result of a web user (100–200).</summary>
public sealed class UserGrade
{
    public long UserId { get; set; }
    public required string Subject { get; set; }
    public decimal Score { get; set; }
    public int Year { get; set; }
}

/// <summary>A Telegram account that wrote to the bot.</summary>
public sealed class TelegramUser
{
    public long Id { get; set; }
    public string? Username { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? LanguageCode { get; set; }
    public long? WebUserId { get; set; }
    public DateTime? BlockedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime LastSeenAt { get; set; }
}

/// <summary>An open day (день відкритих дверей).</summary>
public sealed class OpenDay
{
    public int Id { get; set; }
    public int UniversityId { get; set; }
    public University University { get; set; } = null!;
    public int? SpecialityId { get; set; }
    public Speciality? Speciality { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public DateTime StartsAt { get; set; }
    public string? Location { get; set; }
    public string? Url { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A user follows an open day.</summary>
public sealed class Monitoring
{
    public long TelegramUserId { get; set; }
    public int OpenDayId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A user wants to hear about a university's open days.</summary>
public sealed class FilterUniversity
{
    public long TelegramUserId { get; set; }
    public int UniversityId { get; set; }
}

/// <summary>A user wants to hear about a speciality's open days.</summary>
public sealed class FilterSpeciality
{
    public long TelegramUserId { get; set; }
    public int SpecialityId { get; set; }
}

/// <summary>A notification that was sent, so it is never sent twice.</summary>
public sealed class NotificationLog
{
    public long Id { get; set; }
    public long TelegramUserId { get; set; }
    public required string Kind { get; set; }
    public long RefId { get; set; }
    public DateOnly ForDate { get; set; }
    public DateTime SentAt { get; set; }
}
