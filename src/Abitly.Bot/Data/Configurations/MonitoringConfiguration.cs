using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abitly.Bot.Data.Configurations;

/// <summary>Maps <see cref="Monitoring"/> to <c>monitoring</c>: a user follows an open day once.</summary>
internal sealed class MonitoringConfiguration : IEntityTypeConfiguration<Monitoring>
{
    public void Configure(EntityTypeBuilder<Monitoring> e)
    {
        e.ToTable("monitoring");
        e.HasKey(x => new { x.TelegramUserId, x.OpenDayId });
        e.HasOne<TelegramUser>().WithMany().HasForeignKey(x => x.TelegramUserId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<OpenDay>().WithMany().HasForeignKey(x => x.OpenDayId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.OpenDayId);
    }
}
