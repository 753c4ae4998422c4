using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Abitly.Bot.Data;

/// <summary>Lets `dotnet ef` build the model without starting the bot; migrations need no live database.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AbitlyDbContext>
{
    public AbitlyDbContext CreateDbContext(string[] args) =>
        new(Database.Configure(new DbContextOptionsBuilder<AbitlyDbContext>(), "Host=localhost;Database=abitly").Options);
}
