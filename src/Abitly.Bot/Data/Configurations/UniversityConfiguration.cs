using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abitly.Bot.Data.Configurations;

/// <summary>Maps <see cref="University"/> to <c>universities</c>.</summary>
internal sealed class UniversityConfiguration : IEntityTypeConfiguration<University>
{
    public void Configure(EntityTypeBuilder<University> e)
    {
        e.ToTable("universities");
        e.Property(x => x.Name).HasMaxLength(300);
        e.Property(x => x.ShortName).HasMaxLength(100);
        e.Property(x => x.Region).HasMaxLength(100);
        e.HasIndex(x => x.EdboId).IsUnique();
    }
}
