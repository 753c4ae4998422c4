using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abitly.Bot.Data.Configurations;

/// <summary>Maps <see cref="UserGrade"/> to <c>user_grades</c>: one result per (user, subject, year).</summary>
internal sealed class UserGradeConfiguration : IEntityTypeConfiguration<UserGrade>
{
    public void Configure(EntityTypeBuilder<UserGrade> e)
    {
        e.ToTable("user_grades");
        e.HasKey(x => new { x.UserId, x.Subject, x.Year });
        e.Property(x => x.Subject).HasMaxLength(10);
        e.Property(x => x.Score).HasPrecision(6, 3);
    }
}
