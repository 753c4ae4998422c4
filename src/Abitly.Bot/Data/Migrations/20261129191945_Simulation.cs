using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Abitly.Bot.Data.Migrations
{
    /// <inheritdoc />
    public partial class Simulation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "simulation_applications",
                columns: table => new
                {
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    offer_id = table.Column<long>(type: "bigint", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    priority = table.Column<short>(type: "smallint", nullable: false),
                    outcome = table.Column<short>(type: "smallint", nullable: false),
                    seat = table.Column<short>(type: "smallint", nullable: false),
                    place = table.Column<int>(type: "integer", nullable: false),
                    held_offer_id = table.Column<long>(type: "bigint", nullable: true),
                    held_priority = table.Column<short>(type: "smallint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_simulation_applications", x => new { x.run_id, x.offer_id, x.position });
                });

            migrationBuilder.CreateTable(
                name: "simulation_offers",
                columns: table => new
                {
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    offer_id = table.Column<long>(type: "bigint", nullable: false),
                    budget_places = table.Column<int>(type: "integer", nullable: true),
                    general_places = table.Column<int>(type: "integer", nullable: false),
                    quota1seated = table.Column<int>(type: "integer", nullable: false),
                    quota2seated = table.Column<int>(type: "integer", nullable: false),
                    general_seated = table.Column<int>(type: "integer", nullable: false),
                    cut_off = table.Column<decimal>(type: "numeric(6,3)", precision: 6, scale: 3, nullable: true),
                    competing = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_simulation_offers", x => new { x.run_id, x.offer_id });
                });

            migrationBuilder.CreateTable(
                name: "simulation_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    import_run_id = table.Column<long>(type: "bigint", nullable: false),
                    campaign_year = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<short>(type: "smallint", nullable: false),
                    hidden_reason = table.Column<short>(type: "smallint", nullable: false),
                    owner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    lease_until = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    started_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    taken_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    matched_share = table.Column<double>(type: "double precision", nullable: true),
                    formula_share = table.Column<double>(type: "double precision", nullable: true),
                    persons = table.Column<int>(type: "integer", nullable: false),
                    applications = table.Column<int>(type: "integer", nullable: false),
                    offers = table.Column<int>(type: "integer", nullable: false),
                    rounds = table.Column<int>(type: "integer", nullable: false),
                    placed = table.Column<int>(type: "integer", nullable: false),
                    placed_first_priority = table.Column<int>(type: "integer", nullable: false),
                    split_applications = table.Column<int>(type: "integer", nullable: false),
                    seconds = table.Column<double>(type: "double precision", nullable: true),
                    error = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_simulation_runs", x => x.id);
                    table.ForeignKey(
                        name: "fk_simulation_runs_import_runs_import_run_id",
                        column: x => x.import_run_id,
                        principalTable: "import_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_simulation_runs_campaign_year_status_id",
                table: "simulation_runs",
                columns: new[] { "campaign_year", "status", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_simulation_runs_import_run_id",
                table: "simulation_runs",
                column: "import_run_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "simulation_applications");

            migrationBuilder.DropTable(
                name: "simulation_offers");

            migrationBuilder.DropTable(
                name: "simulation_runs");
        }
    }
}
