using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Data;

/// <summary>The bot's database: the tables of DESIGN.md §3, snake_case. This type carries the PostgreSQL migrations.</summary>
public class AbitlyDbContext : DbContext
{
    public AbitlyDbContext(DbContextOptions<AbitlyDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider's own subclass (and so its own migrations), e.g. <see cref="SqliteAbitlyDbContext"/>.</summary>
    protected AbitlyDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<University> Universities => Set<University>();
    public DbSet<Speciality> Specialities => Set<Speciality>();
    public DbSet<Offer> Offers => Set<Offer>();
    public DbSet<OfferSubject> OfferSubjects => Set<OfferSubject>();
    public DbSet<OfferAnalytics> OfferAnalytics => Set<OfferAnalytics>();
    public DbSet<Applicant> Applicants => Set<Applicant>();
    public DbSet<WebUser> Users => Set<WebUser>();
    public DbSet<UserGrade> UserGrades => Set<UserGrade>();
    public DbSet<TelegramUser> TelegramUsers => Set<TelegramUser>();
    public DbSet<OpenDay> OpenDays => Set<OpenDay>();
    public DbSet<Monitoring> Monitoring => Set<Monitoring>();
    public DbSet<FilterUniversity> FilterUniversities => Set<FilterUniversity>();
    public DbSet<FilterSpeciality> FilterSpecialities => Set<FilterSpeciality>();
    public DbSet<NotificationLog> NotificationLog => Set<NotificationLog>();
    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();
    public DbSet<OfferSnapshot> OfferSnapshots => Set<OfferSnapshot>();
    public DbSet<UpdateRecord> Updates => Set<UpdateRecord>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<FanOutBatch> FanOutBatches => Set<FanOutBatch>();
    public DbSet<TrackedOffer> TrackedOffers => Set<TrackedOffer>();
    public DbSet<TrackingPreference> TrackingPreferences => Set<TrackingPreference>();
    public DbSet<TrackedAlertPass> TrackedAlertPasses => Set<TrackedAlertPass>();
    public DbSet<SimulationRun> SimulationRuns => Set<SimulationRun>();
    public DbSet<SimulationOffer> SimulationOffers => Set<SimulationOffer>();
    public DbSet<SimulationApplication> SimulationApplications => Set<SimulationApplication>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        // One IEntityTypeConfiguration per entity, in Data/Configurations.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AbitlyDbContext).Assembly);
}
