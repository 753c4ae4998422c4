using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Abitly.Bot.Data;

/// <summary>
/// The same model on SQLite (the sandbox): its own type so it has its own migrations (Data/SqliteMigrations),
/// with the two conversions SQLite needs to compare and order like PostgreSQL does.
/// </summary>
public sealed class SqliteAbitlyDbContext(DbContextOptions<SqliteAbitlyDbContext> options) : AbitlyDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // SQLite has no decimal type: EF stores it as text and refuses ORDER BY and comparisons on it. Scores have three
        // decimals and stay far inside double's exact range, and the domain rounds after its own arithmetic.
        configurationBuilder.Properties<decimal>().HaveConversion<double>();
        // SQLite keeps timestamps as text without a kind; the model's timestamps are UTC, so read them back as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : v,
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
