using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Abitly.Bot.Data;

/// <summary>Lets `dotnet ef` build the PostgreSQL model without starting the bot; migrations need no live database.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AbitlyDbContext>
{
    public AbitlyDbContext CreateDbContext(string[] args) =>
        new(Database.Configure(new DbContextOptionsBuilder<AbitlyDbContext>(), "Host=localhost;Database=abitly").Options);
}

/// <summary>The same for the sandbox's SQLite model (`dotnet ef migrations add X --context SqliteAbitlyDbContext`).</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAbitlyDbContext>
{
    public SqliteAbitlyDbContext CreateDbContext(string[] args) =>
        new(Database.ConfigureSqlite(new DbContextOptionsBuilder<SqliteAbitlyDbContext>(), "Data Source=abitly-design.db").Options);
}
