using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Abitly.Bot.Data.Migrations
{
    /// <inheritdoc />
    public partial class TrackedOffers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "tracked_alert_passes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    through_run_id = table.Column<long>(type: "bigint", nullable: true),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    follows_evaluated = table.Column<int>(type: "integer", nullable: false),
                    users_alerted = table.Column<int>(type: "integer", nullable: false),
                    users_held = table.Column<int>(type: "integer", nullable: false),
                    fan_out_batch_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tracked_alert_passes", x => x.id);
                    table.ForeignKey(
                        name: "fk_tracked_alert_passes_fan_out_batches_fan_out_batch_id",
                        column: x => x.fan_out_batch_id,
                        principalTable: "fan_out_batches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "tracked_offers",
                columns: table => new
                {
                    telegram_user_id = table.Column<long>(type: "bigint", nullable: false),
                    offer_id = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    told_cut_off = table.Column<decimal>(type: "numeric(6,3)", precision: 6, scale: 3, nullable: true),
                    told_budget_places = table.Column<int>(type: "integer", nullable: true),
                    told_withdrawn = table.Column<bool>(type: "boolean", nullable: false),
                    told_score = table.Column<decimal>(type: "numeric(6,3)", precision: 6, scale: 3, nullable: true),
                    told_place = table.Column<int>(type: "integer", nullable: true),
                    told_side = table.Column<short>(type: "smallint", nullable: true),
                    told_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    due_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    seen_run_id = table.Column<long>(type: "bigint", nullable: true),
                    seen_place = table.Column<int>(type: "integer", nullable: true),
                    previous_place = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tracked_offers", x => new { x.telegram_user_id, x.offer_id });
                    table.ForeignKey(
                        name: "fk_tracked_offers_offers_offer_id",
                        column: x => x.offer_id,
                        principalTable: "offers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_tracked_offers_telegram_users_telegram_user_id",
                        column: x => x.telegram_user_id,
                        principalTable: "telegram_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tracking_preferences",
                columns: table => new
                {
                    telegram_user_id = table.Column<long>(type: "bigint", nullable: false),
                    mode = table.Column<short>(type: "smallint", nullable: false),
                    place_threshold = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tracking_preferences", x => x.telegram_user_id);
                    table.ForeignKey(
                        name: "fk_tracking_preferences_telegram_users_telegram_user_id",
                        column: x => x.telegram_user_id,
                        principalTable: "telegram_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_tracked_alert_passes_fan_out_batch_id",
                table: "tracked_alert_passes",
                column: "fan_out_batch_id");

            migrationBuilder.CreateIndex(
                name: "ix_tracked_alert_passes_through_run_id",
                table: "tracked_alert_passes",
                column: "through_run_id");

            migrationBuilder.CreateIndex(
                name: "ix_tracked_offers_due_at",
                table: "tracked_offers",
                column: "due_at",
                filter: "due_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_tracked_offers_offer_id",
                table: "tracked_offers",
                column: "offer_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "tracked_alert_passes");

            migrationBuilder.DropTable(
                name: "tracked_offers");

            migrationBuilder.DropTable(
                name: "tracking_preferences");
        }
    }
}
