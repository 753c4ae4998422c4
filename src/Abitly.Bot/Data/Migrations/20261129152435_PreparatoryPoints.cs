using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Abitly.Bot.Data.Migrations
{
    /// <inheritdoc />
    public partial class PreparatoryPoints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "preparatory_points_apply",
                table: "offers",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "preparatory_points_apply",
                table: "offers");
        }
    }
}
