using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abitly.Bot.Data.Configurations;

/// <summary>Maps <see cref="OfferAnalytics"/> to <c>offer_analytics</c>, one row per offer.</summary>
internal sealed class OfferAnalyticsConfiguration : IEntityTypeConfiguration<OfferAnalytics>
{
    public void Configure(EntityTypeBuilder<OfferAnalytics> e)
    {
        e.ToTable("offer_analytics");
        e.HasKey(x => x.OfferId);
        e.HasOne<Offer>().WithOne().HasForeignKey<OfferAnalytics>(x => x.OfferId).OnDelete(DeleteBehavior.Cascade);
        e.Property(x => x.MinBudgetScoreLastYear).HasPrecision(6, 3);
        e.Property(x => x.AvgScore).HasPrecision(6, 3);
    }
}
