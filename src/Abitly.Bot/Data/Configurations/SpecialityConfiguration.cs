using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abitly.Bot.Data.Configurations;

/// <summary>Maps <see cref="Speciality"/> to <c>specialities</c>; codes are unique.</summary>
internal sealed class SpecialityConfiguration : IEntityTypeConfiguration<Speciality>
{
    public void Configure(EntityTypeBuilder<Speciality> e)
    {
        e.ToTable("specialities");
        e.Property(x => x.Code).HasMaxLength(10);
        e.Property(x => x.Name).HasMaxLength(300);
        e.HasIndex(x => x.Code).IsUnique();
    }
}
