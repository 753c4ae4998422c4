using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abitly.Bot.Data.Configurations;

/// <summary>Maps <see cref="Offer"/> to <c>offers</c>, keyed by the EDBO offer id.</summary>
internal sealed class OfferConfiguration : IEntityTypeConfiguration<Offer>
{
    public void Configure(EntityTypeBuilder<Offer> e)
    {
        e.ToTable("offers");
        e.Property(x => x.Id).ValueGeneratedNever();
        e.Property(x => x.RegionalCoefficient).HasPrecision(4, 3);
        e.HasOne(x => x.University).WithMany().HasForeignKey(x => x.UniversityId);
        e.HasOne(x => x.Speciality).WithMany().HasForeignKey(x => x.SpecialityId);
        e.Property(x => x.ContentHash).HasMaxLength(64);
        e.HasIndex(x => new { x.Year, x.WithdrawnAt });
        e.HasMany(x => x.Subjects).WithOne().HasForeignKey(x => x.OfferId).OnDelete(DeleteBehavior.Cascade);
    }
}
