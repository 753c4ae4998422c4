using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abitly.Bot.Data.Configurations;

/// <summary>Maps <see cref="Applicant"/> to <c>applicants</c>, indexed for reading an offer's list best first.</summary>
internal sealed class ApplicantConfiguration : IEntityTypeConfiguration<Applicant>
{
    public void Configure(EntityTypeBuilder<Applicant> e)
    {
        e.ToTable("applicants");
        e.HasOne<Offer>().WithMany().HasForeignKey(x => x.OfferId).OnDelete(DeleteBehavior.Cascade);
        e.Property(x => x.FullName).HasMaxLength(200);
        e.Property(x => x.Status).HasMaxLength(100);
        e.Property(x => x.Score).HasPrecision(6, 3);
        e.Property(x => x.Quota).HasConversion<short>();
        e.Property(x => x.PersonKey).HasMaxLength(64);
        e.HasIndex(x => new { x.OfferId, x.Score }).IsDescending(false, true);
    }
}
