using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abitly.Bot.Data.Configurations;

/// <summary>Maps <see cref="OfferSnapshot"/> to <c>offer_snapshots</c>: one row per offer per run that changed it.</summary>
internal sealed class OfferSnapshotConfiguration : IEntityTypeConfiguration<OfferSnapshot>
{
    public void Configure(EntityTypeBuilder<OfferSnapshot> e)
    {
        e.ToTable("offer_snapshots");
        e.Property(x => x.ContentHash).HasMaxLength(64);
        e.Property(x => x.CutOff).HasPrecision(6, 3);
        e.HasOne<Offer>().WithMany().HasForeignKey(x => x.OfferId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<ImportRun>().WithMany().HasForeignKey(x => x.ImportRunId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => new { x.OfferId, x.ImportRunId }).IsUnique();
        e.HasIndex(x => x.ImportRunId);
    }
}
