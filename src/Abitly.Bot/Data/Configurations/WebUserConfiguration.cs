using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abitly.Bot.Data.Configurations;

/// <summary>Maps <see cref="WebUser"/> to <c>users</c> (the web backend's accounts) with their grades.</summary>
internal sealed class WebUserConfiguration : IEntityTypeConfiguration<WebUser>
{
    public void Configure(EntityTypeBuilder<WebUser> e)
    {
        e.ToTable("users");
        e.Property(x => x.Email).HasMaxLength(320);
        e.Property(x => x.DisplayName).HasMaxLength(200);
        e.HasMany(x => x.Grades).WithOne().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
