using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Abitly.Bot.Data.Migrations
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
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "content_hash",
                table: "offers",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "import_run_id",
                table: "offers",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "withdrawn_at",
                table: "offers",
                type: "timestamp with time zone",
                nullable: true);

            // applicants.quota: a yes/no flag becomes a quota kind (0 none, 1 quota 1, 2 quota 2). PostgreSQL will not cast
            // boolean to smallint by itself, and every existing "true" row becomes quota 1 (DESIGN.md §9).
            migrationBuilder.Sql("ALTER TABLE applicants ALTER COLUMN quota TYPE smallint USING CASE WHEN quota THEN 1 ELSE 0 END;");

            migrationBuilder.AddColumn<string>(
                name: "person_key",
                table: "applicants",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "position",
                table: "applicants",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "import_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    source = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    trigger = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    campaign_year = table.Column<int>(type: "integer", nullable: true),
                    taken_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    full = table.Column<bool>(type: "boolean", nullable: false),
                    started_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    status = table.Column<short>(type: "smallint", nullable: false),
                    offers_added = table.Column<int>(type: "integer", nullable: false),
                    offers_changed = table.Column<int>(type: "integer", nullable: false),
                    offers_unchanged = table.Column<int>(type: "integer", nullable: false),
                    offers_withdrawn = table.Column<int>(type: "integer", nullable: false),
                    offers_invalid = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    e_tag = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    last_modified = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_import_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "offer_snapshots",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    offer_id = table.Column<long>(type: "bigint", nullable: false),
                    import_run_id = table.Column<long>(type: "bigint", nullable: false),
                    taken_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    content_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    active_applications = table.Column<int>(type: "integer", nullable: false),
                    active_budget_applications = table.Column<int>(type: "integer", nullable: false),
                    budget_places = table.Column<int>(type: "integer", nullable: true),
                    quota1places = table.Column<int>(type: "integer", nullable: false),
                    quota2places = table.Column<int>(type: "integer", nullable: false),
                    cut_off = table.Column<decimal>(type: "numeric(6,3)", precision: 6, scale: 3, nullable: true),
                    withdrawn = table.Column<bool>(type: "boolean", nullable: false)
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

            // Back to a flag: any quota kind becomes true.
            migrationBuilder.Sql("ALTER TABLE applicants ALTER COLUMN quota TYPE boolean USING quota <> 0;");
        }
    }
}
