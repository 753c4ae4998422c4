using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Abitly.Bot.Data.SqliteMigrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "notification_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    telegram_user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ref_id = table.Column<long>(type: "INTEGER", nullable: false),
                    for_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    sent_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notification_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "specialities",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    code = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_specialities", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "universities",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    short_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    region = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_universities", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    display_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_users", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "offers",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false),
                    year = table.Column<int>(type: "INTEGER", nullable: false),
                    university_id = table.Column<int>(type: "INTEGER", nullable: false),
                    speciality_id = table.Column<int>(type: "INTEGER", nullable: false),
                    program_name = table.Column<string>(type: "TEXT", nullable: false),
                    faculty = table.Column<string>(type: "TEXT", nullable: true),
                    education_form = table.Column<string>(type: "TEXT", nullable: false),
                    degree = table.Column<string>(type: "TEXT", nullable: false),
                    budget_places = table.Column<int>(type: "INTEGER", nullable: true),
                    quota1places = table.Column<int>(type: "INTEGER", nullable: false),
                    quota2places = table.Column<int>(type: "INTEGER", nullable: false),
                    license_volume = table.Column<int>(type: "INTEGER", nullable: true),
                    regional_coefficient = table.Column<double>(type: "REAL", precision: 4, scale: 3, nullable: false),
                    sectoral_coefficient_applies = table.Column<bool>(type: "INTEGER", nullable: false),
                    source_url = table.Column<string>(type: "TEXT", nullable: true),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_offers", x => x.id);
                    table.ForeignKey(
                        name: "fk_offers_specialities_speciality_id",
                        column: x => x.speciality_id,
                        principalTable: "specialities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_offers_universities_university_id",
                        column: x => x.university_id,
                        principalTable: "universities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "open_days",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    university_id = table.Column<int>(type: "INTEGER", nullable: false),
                    speciality_id = table.Column<int>(type: "INTEGER", nullable: true),
                    title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: true),
                    starts_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    location = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    url = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_open_days", x => x.id);
                    table.ForeignKey(
                        name: "fk_open_days_specialities_speciality_id",
                        column: x => x.speciality_id,
                        principalTable: "specialities",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_open_days_universities_university_id",
                        column: x => x.university_id,
                        principalTable: "universities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "telegram_users",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false),
                    username = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    first_name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    last_name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    language_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    web_user_id = table.Column<long>(type: "INTEGER", nullable: true),
                    blocked_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_seen_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_telegram_users", x => x.id);
                    table.ForeignKey(
                        name: "fk_telegram_users_users_web_user_id",
                        column: x => x.web_user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "user_grades",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    year = table.Column<int>(type: "INTEGER", nullable: false),
                    score = table.Column<double>(type: "REAL", precision: 6, scale: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_grades", x => new { x.user_id, x.subject, x.year });
                    table.ForeignKey(
                        name: "fk_user_grades_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "applicants",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    offer_id = table.Column<long>(type: "INTEGER", nullable: false),
                    full_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    score = table.Column<double>(type: "REAL", precision: 6, scale: 3, nullable: true),
                    priority = table.Column<int>(type: "INTEGER", nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    quota = table.Column<bool>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_applicants", x => x.id);
                    table.ForeignKey(
                        name: "fk_applicants_offers_offer_id",
                        column: x => x.offer_id,
                        principalTable: "offers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "offer_analytics",
                columns: table => new
                {
                    offer_id = table.Column<long>(type: "INTEGER", nullable: false),
                    applications_total = table.Column<int>(type: "INTEGER", nullable: false),
                    applications_budget = table.Column<int>(type: "INTEGER", nullable: false),
                    min_budget_score_last_year = table.Column<double>(type: "REAL", precision: 6, scale: 3, nullable: true),
                    avg_score = table.Column<double>(type: "REAL", precision: 6, scale: 3, nullable: true),
                    computed_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_offer_analytics", x => x.offer_id);
                    table.ForeignKey(
                        name: "fk_offer_analytics_offers_offer_id",
                        column: x => x.offer_id,
                        principalTable: "offers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "offer_subjects",
                columns: table => new
                {
                    offer_id = table.Column<long>(type: "INTEGER", nullable: false),
                    slot = table.Column<int>(type: "INTEGER", nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    coefficient = table.Column<double>(type: "REAL", precision: 4, scale: 3, nullable: false),
                    min_score = table.Column<double>(type: "REAL", precision: 6, scale: 3, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_offer_subjects", x => new { x.offer_id, x.slot, x.subject });
                    table.ForeignKey(
                        name: "fk_offer_subjects_offers_offer_id",
                        column: x => x.offer_id,
                        principalTable: "offers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "filter_specialities",
                columns: table => new
                {
                    telegram_user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    speciality_id = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_filter_specialities", x => new { x.telegram_user_id, x.speciality_id });
                    table.ForeignKey(
                        name: "fk_filter_specialities_specialities_speciality_id",
                        column: x => x.speciality_id,
                        principalTable: "specialities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_filter_specialities_telegram_users_telegram_user_id",
                        column: x => x.telegram_user_id,
                        principalTable: "telegram_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "filter_universities",
                columns: table => new
                {
                    telegram_user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    university_id = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_filter_universities", x => new { x.telegram_user_id, x.university_id });
                    table.ForeignKey(
                        name: "fk_filter_universities_telegram_users_telegram_user_id",
                        column: x => x.telegram_user_id,
                        principalTable: "telegram_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_filter_universities_universities_university_id",
                        column: x => x.university_id,
                        principalTable: "universities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "monitoring",
                columns: table => new
                {
                    telegram_user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    open_day_id = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_monitoring", x => new { x.telegram_user_id, x.open_day_id });
                    table.ForeignKey(
                        name: "fk_monitoring_open_days_open_day_id",
                        column: x => x.open_day_id,
                        principalTable: "open_days",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_monitoring_telegram_users_telegram_user_id",
                        column: x => x.telegram_user_id,
                        principalTable: "telegram_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_applicants_offer_id_score",
                table: "applicants",
                columns: new[] { "offer_id", "score" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_filter_specialities_speciality_id",
                table: "filter_specialities",
                column: "speciality_id");

            migrationBuilder.CreateIndex(
                name: "ix_filter_universities_university_id",
                table: "filter_universities",
                column: "university_id");

            migrationBuilder.CreateIndex(
                name: "ix_monitoring_open_day_id",
                table: "monitoring",
                column: "open_day_id");

            migrationBuilder.CreateIndex(
                name: "ix_notification_log_telegram_user_id_kind_ref_id_for_date",
                table: "notification_log",
                columns: new[] { "telegram_user_id", "kind", "ref_id", "for_date" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_offers_speciality_id",
                table: "offers",
                column: "speciality_id");

            migrationBuilder.CreateIndex(
                name: "ix_offers_university_id",
                table: "offers",
                column: "university_id");

            migrationBuilder.CreateIndex(
                name: "ix_open_days_speciality_id",
                table: "open_days",
                column: "speciality_id");

            migrationBuilder.CreateIndex(
                name: "ix_open_days_starts_at",
                table: "open_days",
                column: "starts_at");

            migrationBuilder.CreateIndex(
                name: "ix_open_days_university_id",
                table: "open_days",
                column: "university_id");

            migrationBuilder.CreateIndex(
                name: "ix_open_days_updated_at",
                table: "open_days",
                column: "updated_at");

            migrationBuilder.CreateIndex(
                name: "ix_specialities_code",
                table: "specialities",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_telegram_users_web_user_id",
                table: "telegram_users",
                column: "web_user_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "applicants");

            migrationBuilder.DropTable(
                name: "filter_specialities");

            migrationBuilder.DropTable(
                name: "filter_universities");

            migrationBuilder.DropTable(
                name: "monitoring");

            migrationBuilder.DropTable(
                name: "notification_log");

            migrationBuilder.DropTable(
                name: "offer_analytics");

            migrationBuilder.DropTable(
                name: "offer_subjects");

            migrationBuilder.DropTable(
                name: "user_grades");

            migrationBuilder.DropTable(
                name: "open_days");

            migrationBuilder.DropTable(
                name: "telegram_users");

            migrationBuilder.DropTable(
                name: "offers");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "specialities");

            migrationBuilder.DropTable(
                name: "universities");
        }
    }
}
