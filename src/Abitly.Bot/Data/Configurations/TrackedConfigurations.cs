using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abitly.Bot.Data.Configurations;

/// <summary>Maps <see cref="TrackedOffer"/> to <c>tracked_offers</c>: one row per user and offer.</summary>
internal sealed class TrackedOfferConfiguration : IEntityTypeConfiguration<TrackedOffer>
{
    public void Configure(EntityTypeBuilder<TrackedOffer> e)
    {
        e.ToTable("tracked_offers");
        e.HasKey(x => new { x.TelegramUserId, x.OfferId });
        e.Property(x => x.ToldCutOff).HasPrecision(6, 3);
        e.Property(x => x.ToldScore).HasPrecision(6, 3);
        e.Property(x => x.ToldSide).HasConversion<short?>();
        e.HasOne<TelegramUser>().WithMany().HasForeignKey(x => x.TelegramUserId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Offer>().WithMany().HasForeignKey(x => x.OfferId).OnDelete(DeleteBehavior.Cascade);
        // The alert pass: followers of the offers a run changed.
        e.HasIndex(x => x.OfferId);
        // ... and the held changes that fall due.
        e.HasIndex(x => x.DueAt).HasFilter("due_at IS NOT NULL");
    }
}

/// <summary>Maps <see cref="TrackingPreference"/> to <c>tracking_preferences</c>.</summary>
internal sealed class TrackingPreferenceConfiguration : IEntityTypeConfiguration<TrackingPreference>
{
    public void Configure(EntityTypeBuilder<TrackingPreference> e)
    {
        e.ToTable("tracking_preferences");
        e.HasKey(x => x.TelegramUserId);
        e.Property(x => x.TelegramUserId).ValueGeneratedNever();
        e.Property(x => x.Mode).HasConversion<short>();
        e.HasOne<TelegramUser>().WithMany().HasForeignKey(x => x.TelegramUserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Maps <see cref="TrackedAlertPass"/> to <c>tracked_alert_passes</c>.</summary>
internal sealed class TrackedAlertPassConfiguration : IEntityTypeConfiguration<TrackedAlertPass>
{
    public void Configure(EntityTypeBuilder<TrackedAlertPass> e)
    {
        e.ToTable("tracked_alert_passes");
        // The processed marker: the newest run covered.
        e.HasIndex(x => x.ThroughRunId);
        e.HasOne<FanOutBatch>().WithMany().HasForeignKey(x => x.FanOutBatchId).OnDelete(DeleteBehavior.SetNull);
    }
}
