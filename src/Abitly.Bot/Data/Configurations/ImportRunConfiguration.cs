using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abitly.Bot.Data.Configurations;

/// <summary>Maps <see cref="ImportRun"/> to <c>import_runs</c>.</summary>
internal sealed class ImportRunConfiguration : IEntityTypeConfiguration<ImportRun>
{
    public void Configure(EntityTypeBuilder<ImportRun> e)
    {
        e.ToTable("import_runs");
        e.Property(x => x.Source).HasMaxLength(1000);
        e.Property(x => x.Trigger).HasMaxLength(20);
        e.Property(x => x.Status).HasConversion<short>();
        e.Property(x => x.Error).HasMaxLength(4000);
        e.Property(x => x.ETag).HasMaxLength(200);
        e.Property(x => x.LastModified).HasMaxLength(100);
        e.HasIndex(x => new { x.CampaignYear, x.Status, x.TakenAt });
    }
}
