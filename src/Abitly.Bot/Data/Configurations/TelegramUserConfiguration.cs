using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abitly.Bot.Data.Configurations;

/// <summary>Maps <see cref="TelegramUser"/> to <c>telegram_users</c>; a web user links to at most one account.</summary>
internal sealed class TelegramUserConfiguration : IEntityTypeConfiguration<TelegramUser>
{
    public void Configure(EntityTypeBuilder<TelegramUser> e)
    {
        e.ToTable("telegram_users");
        e.Property(x => x.Id).ValueGeneratedNever();
        e.Property(x => x.Username).HasMaxLength(64);
        e.Property(x => x.FirstName).HasMaxLength(128);
        e.Property(x => x.LastName).HasMaxLength(128);
        e.Property(x => x.LanguageCode).HasMaxLength(16);
        e.HasIndex(x => x.WebUserId).IsUnique();
        e.HasOne<WebUser>().WithMany().HasForeignKey(x => x.WebUserId).OnDelete(DeleteBehavior.SetNull);
    }
}
