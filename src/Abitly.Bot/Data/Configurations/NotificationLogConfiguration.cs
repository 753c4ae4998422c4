using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abitly.Bot.Data.Configurations;

/// <summary>Maps <see cref="NotificationLog"/> to <c>notification_log</c>; the unique key makes every claim once-only.</summary>
internal sealed class NotificationLogConfiguration : IEntityTypeConfiguration<NotificationLog>
{
    public void Configure(EntityTypeBuilder<NotificationLog> e)
    {
        e.ToTable("notification_log");
        e.Property(x => x.Kind).HasMaxLength(40);
        e.HasIndex(x => new { x.TelegramUserId, x.Kind, x.RefId, x.ForDate }).IsUnique();
    }
}
