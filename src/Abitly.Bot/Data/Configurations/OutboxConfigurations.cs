using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Abitly.Bot.Data.Configurations;

/// <summary>Maps <see cref="UpdateRecord"/> to <c>updates</c>: handled-once records and the webhook inbox.</summary>
internal sealed class UpdateRecordConfiguration : IEntityTypeConfiguration<UpdateRecord>
{
    public void Configure(EntityTypeBuilder<UpdateRecord> e)
    {
        e.ToTable("updates");
        e.HasKey(x => x.UpdateId);
        e.Property(x => x.UpdateId).ValueGeneratedNever();
        e.HasIndex(x => x.ReceivedAt);
        // The inbox: the next unhandled update of each chat.
        e.HasIndex(x => new { x.ChatKey, x.UpdateId }).HasFilter("handled_at IS NULL").HasDatabaseName("ix_updates_inbox");
    }
}

/// <summary>Maps <see cref="OutboxMessage"/> to <c>outbox</c>.</summary>
internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> e)
    {
        e.ToTable("outbox");
        e.Property(x => x.Lane).HasConversion<short>();
        e.Property(x => x.Status).HasConversion<short>();
        e.Property(x => x.Kind).HasMaxLength(40);
        e.Property(x => x.LeaseOwner).HasMaxLength(64);
        e.Property(x => x.ClaimKind).HasMaxLength(40);
        e.Property(x => x.Error).HasMaxLength(500);
        // Workers' lease query: pending rows of a lane by due time.
        e.HasIndex(x => new { x.Lane, x.NotBefore, x.Id }).HasFilter("status = 0").HasDatabaseName("ix_outbox_due");
        e.HasIndex(x => new { x.BatchId, x.Status }).HasFilter("batch_id IS NOT NULL");
        e.HasOne<FanOutBatch>().WithMany().HasForeignKey(x => x.BatchId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.FinishedAt).HasFilter("finished_at IS NOT NULL");
    }
}

/// <summary>Maps <see cref="FanOutBatch"/> to <c>fan_out_batches</c>.</summary>
internal sealed class FanOutBatchConfiguration : IEntityTypeConfiguration<FanOutBatch>
{
    public void Configure(EntityTypeBuilder<FanOutBatch> e)
    {
        e.ToTable("fan_out_batches");
        e.Property(x => x.Kind).HasMaxLength(40);
        e.Property(x => x.Key).HasMaxLength(80);
        e.HasIndex(x => x.Key).IsUnique();
        e.Property(x => x.Status).HasConversion<short>();
        e.Property(x => x.MonitorOwner).HasMaxLength(64);
        e.HasIndex(x => x.Status).HasFilter("status = 0");
    }
}
