using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Abitly.Bot.Data.Migrations
{
    /// <inheritdoc />
    public partial class DurableOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "fan_out_batches",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    key = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    heading = table.Column<string>(type: "text", nullable: true),
                    admin_chat_id = table.Column<long>(type: "bigint", nullable: true),
                    progress_message_id = table.Column<int>(type: "integer", nullable: true),
                    recipients = table.Column<int>(type: "integer", nullable: false),
                    messages = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<short>(type: "smallint", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    monitor_owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    monitor_lease_until = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_fan_out_batches", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "updates",
                columns: table => new
                {
                    update_id = table.Column<long>(type: "bigint", nullable: false),
                    chat_key = table.Column<long>(type: "bigint", nullable: false),
                    payload = table.Column<string>(type: "text", nullable: true),
                    received_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    handled_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_updates", x => x.update_id);
                });

            migrationBuilder.CreateTable(
                name: "outbox",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    lane = table.Column<short>(type: "smallint", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    batch_id = table.Column<long>(type: "bigint", nullable: true),
                    chat_id = table.Column<long>(type: "bigint", nullable: false),
                    payload = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<short>(type: "smallint", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    not_before = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    lease_until = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    lease_owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    update_id = table.Column<long>(type: "bigint", nullable: true),
                    claim_kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    claim_ref = table.Column<long>(type: "bigint", nullable: true),
                    claim_date = table.Column<DateOnly>(type: "date", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox", x => x.id);
                    table.ForeignKey(
                        name: "fk_outbox_fan_out_batches_batch_id",
                        column: x => x.batch_id,
                        principalTable: "fan_out_batches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_fan_out_batches_key",
                table: "fan_out_batches",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_fan_out_batches_status",
                table: "fan_out_batches",
                column: "status",
                filter: "status = 0");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_batch_id_status",
                table: "outbox",
                columns: new[] { "batch_id", "status" },
                filter: "batch_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_due",
                table: "outbox",
                columns: new[] { "lane", "not_before", "id" },
                filter: "status = 0");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_finished_at",
                table: "outbox",
                column: "finished_at",
                filter: "finished_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_updates_inbox",
                table: "updates",
                columns: new[] { "chat_key", "update_id" },
                filter: "handled_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_updates_received_at",
                table: "updates",
                column: "received_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outbox");

            migrationBuilder.DropTable(
                name: "updates");

            migrationBuilder.DropTable(
                name: "fan_out_batches");
        }
    }
}
