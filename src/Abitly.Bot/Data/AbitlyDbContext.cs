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

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<University>(e =>
        {
            e.ToTable("universities");
            e.Property(x => x.Name).HasMaxLength(300);
            e.Property(x => x.ShortName).HasMaxLength(100);
            e.Property(x => x.Region).HasMaxLength(100);
        });
        modelBuilder.Entity<Speciality>(e =>
        {
            e.ToTable("specialities");
            e.Property(x => x.Code).HasMaxLength(10);
            e.Property(x => x.Name).HasMaxLength(300);
            e.HasIndex(x => x.Code).IsUnique();
        });
        modelBuilder.Entity<Offer>(e =>
        {
            e.ToTable("offers");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.RegionalCoefficient).HasPrecision(4, 3);
            e.HasOne(x => x.University).WithMany().HasForeignKey(x => x.UniversityId);
            e.HasOne(x => x.Speciality).WithMany().HasForeignKey(x => x.SpecialityId);
            e.HasMany(x => x.Subjects).WithOne().HasForeignKey(x => x.OfferId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<OfferSubject>(e =>
        {
            e.ToTable("offer_subjects");
            e.HasKey(x => new { x.OfferId, x.Slot, x.Subject });
            e.Property(x => x.Subject).HasMaxLength(10);
            e.Property(x => x.Coefficient).HasPrecision(4, 3);
            e.Property(x => x.MinScore).HasPrecision(6, 3);
        });
        modelBuilder.Entity<OfferAnalytics>(e =>
        {
            e.ToTable("offer_analytics");
            e.HasKey(x => x.OfferId);
            e.HasOne<Offer>().WithOne().HasForeignKey<OfferAnalytics>(x => x.OfferId).OnDelete(DeleteBehavior.Cascade);
            e.Property(x => x.MinBudgetScoreLastYear).HasPrecision(6, 3);
            e.Property(x => x.AvgScore).HasPrecision(6, 3);
        });
        modelBuilder.Entity<Applicant>(e =>
        {
            e.ToTable("applicants");
            e.HasOne<Offer>().WithMany().HasForeignKey(x => x.OfferId).OnDelete(DeleteBehavior.Cascade);
            e.Property(x => x.FullName).HasMaxLength(200);
            e.Property(x => x.Status).HasMaxLength(100);
            e.Property(x => x.Score).HasPrecision(6, 3);
            e.HasIndex(x => new { x.OfferId, x.Score }).IsDescending(false, true);
        });
        modelBuilder.Entity<WebUser>(e =>
        {
            e.ToTable("users");
            e.Property(x => x.Email).HasMaxLength(320);
            e.Property(x => x.DisplayName).HasMaxLength(200);
            e.HasMany(x => x.Grades).WithOne().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<UserGrade>(e =>
        {
            e.ToTable("user_grades");
            e.HasKey(x => new { x.UserId, x.Subject, x.Year });
            e.Property(x => x.Subject).HasMaxLength(10);
            e.Property(x => x.Score).HasPrecision(6, 3);
        });
        modelBuilder.Entity<TelegramUser>(e =>
        {
            e.ToTable("telegram_users");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Username).HasMaxLength(64);
            e.Property(x => x.FirstName).HasMaxLength(128);
            e.Property(x => x.LastName).HasMaxLength(128);
            e.Property(x => x.LanguageCode).HasMaxLength(16);
            e.HasIndex(x => x.WebUserId).IsUnique();
            e.HasOne<WebUser>().WithMany().HasForeignKey(x => x.WebUserId).OnDelete(DeleteBehavior.SetNull);
        });
        modelBuilder.Entity<OpenDay>(e =>
        {
            e.ToTable("open_days");
            e.Property(x => x.Title).HasMaxLength(300);
            e.Property(x => x.Location).HasMaxLength(300);
            e.Property(x => x.Url).HasMaxLength(500);
            e.HasOne(x => x.University).WithMany().HasForeignKey(x => x.UniversityId);
            e.HasOne(x => x.Speciality).WithMany().HasForeignKey(x => x.SpecialityId);
            e.HasIndex(x => x.StartsAt);
            e.HasIndex(x => x.UpdatedAt);
        });
        modelBuilder.Entity<Monitoring>(e =>
        {
            e.ToTable("monitoring");
            e.HasKey(x => new { x.TelegramUserId, x.OpenDayId });
            e.HasOne<TelegramUser>().WithMany().HasForeignKey(x => x.TelegramUserId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<OpenDay>().WithMany().HasForeignKey(x => x.OpenDayId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.OpenDayId);
        });
        modelBuilder.Entity<FilterUniversity>(e =>
        {
            e.ToTable("filter_universities");
            e.HasKey(x => new { x.TelegramUserId, x.UniversityId });
            e.HasOne<TelegramUser>().WithMany().HasForeignKey(x => x.TelegramUserId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<University>().WithMany().HasForeignKey(x => x.UniversityId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.UniversityId);
        });
        modelBuilder.Entity<FilterSpeciality>(e =>
        {
            e.ToTable("filter_specialities");
            e.HasKey(x => new { x.TelegramUserId, x.SpecialityId });
            e.HasOne<TelegramUser>().WithMany().HasForeignKey(x => x.TelegramUserId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Speciality>().WithMany().HasForeignKey(x => x.SpecialityId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.SpecialityId);
        });
        modelBuilder.Entity<NotificationLog>(e =>
        {
            e.ToTable("notification_log");
            e.Property(x => x.Kind).HasMaxLength(40);
            e.HasIndex(x => new { x.TelegramUserId, x.Kind, x.RefId, x.ForDate }).IsUnique();
        });
    }
}
