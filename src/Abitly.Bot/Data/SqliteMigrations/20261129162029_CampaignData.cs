using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Abitly.Bot.Data.SqliteMigrations
{
    /// <inheritdoc />
    public partial class CampaignData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "edbo_id",
                table: "universities",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "content_hash",
                table: "offers",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "import_run_id",
                table: "offers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "withdrawn_at",
                table: "offers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "person_key",
                table: "applicants",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "position",
                table: "applicants",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "import_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    source = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    trigger = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    campaign_year = table.Column<int>(type: "INTEGER", nullable: true),
                    taken_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    full = table.Column<bool>(type: "INTEGER", nullable: false),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    finished_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    status = table.Column<short>(type: "INTEGER", nullable: false),
                    offers_added = table.Column<int>(type: "INTEGER", nullable: false),
                    offers_changed = table.Column<int>(type: "INTEGER", nullable: false),
                    offers_unchanged = table.Column<int>(type: "INTEGER", nullable: false),
                    offers_withdrawn = table.Column<int>(type: "INTEGER", nullable: false),
                    offers_invalid = table.Column<int>(type: "INTEGER", nullable: false),
                    error = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    e_tag = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    last_modified = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_import_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "offer_snapshots",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    offer_id = table.Column<long>(type: "INTEGER", nullable: false),
                    import_run_id = table.Column<long>(type: "INTEGER", nullable: false),
                    taken_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    content_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    active_applications = table.Column<int>(type: "INTEGER", nullable: false),
                    active_budget_applications = table.Column<int>(type: "INTEGER", nullable: false),
                    budget_places = table.Column<int>(type: "INTEGER", nullable: true),
                    quota1places = table.Column<int>(type: "INTEGER", nullable: false),
                    quota2places = table.Column<int>(type: "INTEGER", nullable: false),
                    cut_off = table.Column<double>(type: "REAL", precision: 6, scale: 3, nullable: true),
                    withdrawn = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_offer_snapshots", x => x.id);
                    table.ForeignKey(
                        name: "fk_offer_snapshots_import_runs_import_run_id",
                        column: x => x.import_run_id,
                        principalTable: "import_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_offer_snapshots_offers_offer_id",
                        column: x => x.offer_id,
                        principalTable: "offers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_universities_edbo_id",
                table: "universities",
                column: "edbo_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_offers_year_withdrawn_at",
                table: "offers",
                columns: new[] { "year", "withdrawn_at" });

            migrationBuilder.CreateIndex(
                name: "ix_import_runs_campaign_year_status_taken_at",
                table: "import_runs",
                columns: new[] { "campaign_year", "status", "taken_at" });

            migrationBuilder.CreateIndex(
                name: "ix_offer_snapshots_import_run_id",
                table: "offer_snapshots",
                column: "import_run_id");

            migrationBuilder.CreateIndex(
                name: "ix_offer_snapshots_offer_id_import_run_id",
                table: "offer_snapshots",
                columns: new[] { "offer_id", "import_run_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "offer_snapshots");

            migrationBuilder.DropTable(
                name: "import_runs");

            migrationBuilder.DropIndex(
                name: "ix_universities_edbo_id",
                table: "universities");

            migrationBuilder.DropIndex(
                name: "ix_offers_year_withdrawn_at",
                table: "offers");

            migrationBuilder.DropColumn(
                name: "edbo_id",
                table: "universities");

            migrationBuilder.DropColumn(
                name: "content_hash",
                table: "offers");

            migrationBuilder.DropColumn(
                name: "import_run_id",
                table: "offers");

            migrationBuilder.DropColumn(
                name: "withdrawn_at",
                table: "offers");

            migrationBuilder.DropColumn(
                name: "person_key",
                table: "applicants");

            migrationBuilder.DropColumn(
                name: "position",
                table: "applicants");
        }
    }
}
