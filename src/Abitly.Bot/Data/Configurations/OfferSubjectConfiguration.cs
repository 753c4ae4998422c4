using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abitly.Bot.Data.Configurations;

/// <summary>Maps <see cref="OfferSubject"/> to <c>offer_subjects</c>: one weight per (offer, slot, subject).</summary>
internal sealed class OfferSubjectConfiguration : IEntityTypeConfiguration<OfferSubject>
{
    public void Configure(EntityTypeBuilder<OfferSubject> e)
    {
        e.ToTable("offer_subjects");
        e.HasKey(x => new { x.OfferId, x.Slot, x.Subject });
        e.Property(x => x.Subject).HasMaxLength(10);
        e.Property(x => x.Coefficient).HasPrecision(4, 3);
        e.Property(x => x.MinScore).HasPrecision(6, 3);
    }
}
