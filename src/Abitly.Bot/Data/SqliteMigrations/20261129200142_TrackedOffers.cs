using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Abitly.Bot.Data.SqliteMigrations
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
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    through_run_id = table.Column<long>(type: "INTEGER", nullable: true),
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    follows_evaluated = table.Column<int>(type: "INTEGER", nullable: false),
                    users_alerted = table.Column<int>(type: "INTEGER", nullable: false),
                    users_held = table.Column<int>(type: "INTEGER", nullable: false),
                    fan_out_batch_id = table.Column<long>(type: "INTEGER", nullable: true)
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
                    telegram_user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    offer_id = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    told_cut_off = table.Column<double>(type: "REAL", precision: 6, scale: 3, nullable: true),
                    told_budget_places = table.Column<int>(type: "INTEGER", nullable: true),
                    told_withdrawn = table.Column<bool>(type: "INTEGER", nullable: false),
                    told_score = table.Column<double>(type: "REAL", precision: 6, scale: 3, nullable: true),
                    told_place = table.Column<int>(type: "INTEGER", nullable: true),
                    told_side = table.Column<short>(type: "INTEGER", nullable: true),
                    told_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    due_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    seen_run_id = table.Column<long>(type: "INTEGER", nullable: true),
                    seen_place = table.Column<int>(type: "INTEGER", nullable: true),
                    previous_place = table.Column<int>(type: "INTEGER", nullable: true)
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
                    telegram_user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    mode = table.Column<short>(type: "INTEGER", nullable: false),
                    place_threshold = table.Column<int>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
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
