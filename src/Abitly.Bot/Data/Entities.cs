using Abitly.Domain.Ranking;

namespace Abitly.Bot.Data;

// Entities of DESIGN.md §3. Timestamps are UTC DateTime so the same model runs on PostgreSQL
// (timestamptz) and SQLite (sandbox); no provider-specific column types.

/// <summary>A university (заклад вищої освіти).</summary>
public sealed class University
{
    public int Id { get; set; }
    /// <summary>The university's EDBO id when the source has one; it matches a university across snapshots before its name does.</summary>
    public long? EdboId { get; set; }
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
    /// <summary>Bumped whenever the offer or its list changes (the offer-view cache is keyed by it).</summary>
    public DateTime UpdatedAt { get; set; }
    /// <summary>Set when a full snapshot of its year no longer lists the offer; offers are never deleted.</summary>
    public DateTime? WithdrawnAt { get; set; }
    /// <summary>The imported content's hash (<c>OfferContentHash</c>): an unchanged offer is not touched by a re-import.</summary>
    public string? ContentHash { get; set; }
    /// <summary>The import run that last changed the offer.</summary>
    public long? ImportRunId { get; set; }
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
    /// <summary>Position on the published list (1-based).</summary>
    public int Position { get; set; }
    public required string FullName { get; set; }
    public decimal? Score { get; set; }
    /// <summary>1–5 for budget applications, null for contract.</summary>
    public int? Priority { get; set; }
    public required string Status { get; set; }
    public QuotaKind Quota { get; set; }
    /// <summary>A stable pseudonymous key of the person when the source has one (matches one person's applications across lists).</summary>
    public string? PersonKey { get; set; }
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

/// <summary>One import of a campaign snapshot: the data version that snapshots, alerts and simulations refer to.</summary>
public sealed class ImportRun
{
    public long Id { get; set; }
    /// <summary>Where the snapshot came from: a path, a URL, or "generator:…".</summary>
    public required string Source { get; set; }
    /// <summary>Who started it: "cli", "sync" (the scheduled job), "admin".</summary>
    public required string Trigger { get; set; }
    public int? CampaignYear { get; set; }
    /// <summary>The snapshot header's taken_at: when the lists were read at their source.</summary>
    public DateTime? TakenAt { get; set; }
    public bool Full { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public ImportRunStatus Status { get; set; }
    public int OffersAdded { get; set; }
    public int OffersChanged { get; set; }
    public int OffersUnchanged { get; set; }
    public int OffersWithdrawn { get; set; }
    /// <summary>Offers left out as invalid (only with --skip-invalid).</summary>
    public int OffersInvalid { get; set; }
    public string? Error { get; set; }
    /// <summary>The HTTP source's ETag and Last-Modified, for the next run's conditional request.</summary>
    public string? ETag { get; set; }
    public string? LastModified { get; set; }
}

/// <summary>How an import run ended (or that it is still going).</summary>
public enum ImportRunStatus
{
    Running = 0,
    Completed = 1,
    Failed = 2,
    /// <summary>Refused before applying anything: invalid input, an older snapshot, the vanish guard, another import running.</summary>
    Refused = 3,
    /// <summary>The HTTP source answered 304: nothing new.</summary>
    NotModified = 4,
}

/// <summary>An offer as one import run left it: the history behind the cut-off trend and the tracked-offer alerts.</summary>
public sealed class OfferSnapshot
{
    public long Id { get; set; }
    public long OfferId { get; set; }
    public long ImportRunId { get; set; }
    public DateTime TakenAt { get; set; }
    public required string ContentHash { get; set; }
    public int ActiveApplications { get; set; }
    public int ActiveBudgetApplications { get; set; }
    public int? BudgetPlaces { get; set; }
    public int Quota1Places { get; set; }
    public int Quota2Places { get; set; }
    /// <summary>The cut-off by the one rule (BudgetCompetition); null while the general seats are not all taken.</summary>
    public decimal? CutOff { get; set; }
    public bool Withdrawn { get; set; }
}

/// <summary>
/// An update the bot received: its id decides "handled once" (a re-delivery finds it handled), and in webhook mode it is the
/// durable inbox the endpoint writes before answering 200. Pruned by age: Telegram's ids restart after a long idle spell.
/// </summary>
public sealed class UpdateRecord
{
    public long UpdateId { get; set; }
    /// <summary>The chat (or user) whose updates must run in order.</summary>
    public long ChatKey { get; set; }
    /// <summary>The update's JSON while it waits in the inbox (webhook mode); null once handled or when polled.</summary>
    public string? Payload { get; set; }
    public DateTime ReceivedAt { get; set; }
    /// <summary>Set in the transaction that handled it.</summary>
    public DateTime? HandledAt { get; set; }
}

/// <summary>Which queue an outbox row is in.</summary>
public enum OutboxLane
{
    /// <summary>A reply of an update: sent by the pipeline right after its commit; the lane only catches what a crash left.</summary>
    Reply = 0,

    /// <summary>A fan-out message (broadcast, reminder, update, alert): sent by the paced sender workers.</summary>
    FanOut = 1,
}

/// <summary>What became of an outbox row.</summary>
public enum OutboxStatus
{
    Pending = 0,
    Sent = 1,
    /// <summary>403 or "chat not found": the user is marked blocked.</summary>
    Blocked = 2,
    /// <summary>Still 429 after every allowed retry.</summary>
    Dropped = 3,
    Failed = 4,
    /// <summary>Its broadcast was cancelled before it went out.</summary>
    Cancelled = 5,
}

/// <summary>
/// One message to send, written in the transaction that decided to send it. Workers lease due rows (a crashed worker's
/// leases expire and whoever is alive sends them) and record the outcome; sent rows are pruned after a retention period.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public OutboxLane Lane { get; set; }
    /// <summary>What it is, for logs and metrics: "reply", "broadcast", "open_day_reminder", "open_day_update", "tracked_alert".</summary>
    public required string Kind { get; set; }
    /// <summary>The broadcast or run it belongs to, so progress and summaries can be counted from the table.</summary>
    public long? BatchId { get; set; }
    public long ChatId { get; set; }
    /// <summary>The Bot API call and its arguments as JSON (<c>OutboxPayload</c>).</summary>
    public required string Payload { get; set; }
    public OutboxStatus Status { get; set; }
    /// <summary>429 answers so far.</summary>
    public int Attempts { get; set; }
    public DateTime NotBefore { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public string? LeaseOwner { get; set; }
    /// <summary>The update whose reply this is.</summary>
    public long? UpdateId { get; set; }
    /// <summary>The notification_log row claimed for it, released when it does not go out.</summary>
    public string? ClaimKind { get; set; }
    public long? ClaimRef { get; set; }
    public DateOnly? ClaimDate { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string? Error { get; set; }
}

/// <summary>
/// One fan-out (a broadcast, a day's reminders, an open-day update, an alert wave): its messages are outbox rows with its
/// id, so its progress and summary are counted from them and survive a restart.
/// </summary>
public sealed class FanOutBatch
{
    public long Id { get; set; }
    /// <summary>What it is: "broadcast", "open_day_reminder", "open_day_update", "tracked_alert".</summary>
    public required string Kind { get; set; }
    /// <summary>What makes it once-only when something could start it twice (a broadcast's draft id), unique.</summary>
    public string? Key { get; set; }
    /// <summary>The first lines of the admin's summary, known when it starts (the tallies are counted at the end).</summary>
    public string? Heading { get; set; }
    /// <summary>The admin to report progress and the summary to (broadcasts and admin-started runs), if any.</summary>
    public long? AdminChatId { get; set; }
    /// <summary>The admin's progress message kept current while it runs.</summary>
    public int? ProgressMessageId { get; set; }
    public int Recipients { get; set; }
    public int Messages { get; set; }
    public FanOutStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    /// <summary>The instance keeping its progress message current, and until when (another takes over when it lapses).</summary>
    public string? MonitorOwner { get; set; }
    public DateTime? MonitorLeaseUntil { get; set; }
}

/// <summary>Where a fan-out is.</summary>
public enum FanOutStatus
{
    Running = 0,
    Finished = 1,
    Cancelled = 2,
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
