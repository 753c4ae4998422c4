using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abitly.Bot.Data.Configurations;

/// <summary>Maps <see cref="FilterUniversity"/> to <c>filter_universities</c>.</summary>
internal sealed class FilterUniversityConfiguration : IEntityTypeConfiguration<FilterUniversity>
{
    public void Configure(EntityTypeBuilder<FilterUniversity> e)
    {
        e.ToTable("filter_universities");
        e.HasKey(x => new { x.TelegramUserId, x.UniversityId });
        e.HasOne<TelegramUser>().WithMany().HasForeignKey(x => x.TelegramUserId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<University>().WithMany().HasForeignKey(x => x.UniversityId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.UniversityId);
    }
}

/// <summary>Maps <see cref="FilterSpeciality"/> to <c>filter_specialities</c>.</summary>
internal sealed class FilterSpecialityConfiguration : IEntityTypeConfiguration<FilterSpeciality>
{
    public void Configure(EntityTypeBuilder<FilterSpeciality> e)
    {
        e.ToTable("filter_specialities");
        e.HasKey(x => new { x.TelegramUserId, x.SpecialityId });
        e.HasOne<TelegramUser>().WithMany().HasForeignKey(x => x.TelegramUserId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Speciality>().WithMany().HasForeignKey(x => x.SpecialityId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.SpecialityId);
    }
}
