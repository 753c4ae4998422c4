using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abitly.Bot.Data.Configurations;

/// <summary>Maps <see cref="SimulationRun"/> to <c>simulation_runs</c>: one row per import run, the unique key is the claim.</summary>
internal sealed class SimulationRunConfiguration : IEntityTypeConfiguration<SimulationRun>
{
    public void Configure(EntityTypeBuilder<SimulationRun> e)
    {
        e.ToTable("simulation_runs");
        e.HasOne<ImportRun>().WithMany().HasForeignKey(x => x.ImportRunId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.ImportRunId).IsUnique();
        e.HasIndex(x => new { x.CampaignYear, x.Status, x.Id });
        e.Property(x => x.Status).HasConversion<short>();
        e.Property(x => x.HiddenReason).HasConversion<short>();
        e.Property(x => x.Owner).HasMaxLength(100);
        e.Property(x => x.Error).HasMaxLength(4000);
    }
}

/// <summary>
/// Maps <see cref="SimulationOffer"/> to <c>simulation_offers</c>. No foreign keys: the rows are written by COPY and
/// pruned by run id, and a key check per row would cost more than the rows.
/// </summary>
internal sealed class SimulationOfferConfiguration : IEntityTypeConfiguration<SimulationOffer>
{
    public void Configure(EntityTypeBuilder<SimulationOffer> e)
    {
        e.ToTable("simulation_offers");
        e.HasKey(x => new { x.RunId, x.OfferId });
        e.Property(x => x.CutOff).HasPrecision(6, 3);
    }
}

/// <summary>Maps <see cref="SimulationApplication"/> to <c>simulation_applications</c> (a million rows a run: no foreign keys, see above).</summary>
internal sealed class SimulationApplicationConfiguration : IEntityTypeConfiguration<SimulationApplication>
{
    public void Configure(EntityTypeBuilder<SimulationApplication> e)
    {
        e.ToTable("simulation_applications");
        e.HasKey(x => new { x.RunId, x.OfferId, x.Position });
        e.Property(x => x.Outcome).HasConversion<short>();
        e.Property(x => x.Seat).HasConversion<short>();
    }
}
