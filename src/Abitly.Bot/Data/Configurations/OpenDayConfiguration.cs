using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abitly.Bot.Data.Configurations;

/// <summary>Maps <see cref="OpenDay"/> to <c>open_days</c>, indexed by start (lists, reminders) and by edit time (update fan-out).</summary>
internal sealed class OpenDayConfiguration : IEntityTypeConfiguration<OpenDay>
{
    public void Configure(EntityTypeBuilder<OpenDay> e)
    {
        e.ToTable("open_days");
        e.Property(x => x.Title).HasMaxLength(300);
        e.Property(x => x.Location).HasMaxLength(300);
        e.Property(x => x.Url).HasMaxLength(500);
        e.HasOne(x => x.University).WithMany().HasForeignKey(x => x.UniversityId);
        e.HasOne(x => x.Speciality).WithMany().HasForeignKey(x => x.SpecialityId);
        e.HasIndex(x => x.StartsAt);
        e.HasIndex(x => x.UpdatedAt);
    }
}
