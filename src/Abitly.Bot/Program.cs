using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Abitly.Bot.Services;

// Abitly Bot entry point. Commands: run (default), sandbox, migrate, seed-demo, link-token.
var command = args.Length > 0 ? args[0] : "run";
if (command == "sandbox")
{
    // Needs no configuration at all: it brings its own database, state store and Bot API.
    return await Abitly.Bot.Sandbox.SandboxCommand.RunAsync(args[1..], Console.Out, Console.Error);
}

var (settings, errors) = AbitlySettings.Load(Environment.GetEnvironmentVariable, DateTimeOffset.UtcNow, requireToken: command == "run", requireRedis: command is "run" or "link-token");
if (settings is null)
{
    foreach (var error in errors)
    {
        Console.Error.WriteLine($"Configuration error: {error}");
    }

    return 2;
}

switch (command)
{
    case "run":
        {
            await using var app = BotHost.Build(settings);
            await app.StartAsync();   // /healthcheck answers from here on, before the database check
            var exitCode = await app.Services.GetRequiredService<BotRuntime>().RunAsync(app.Lifetime.ApplicationStopping);
            await app.StopAsync();
            return exitCode;
        }

    case "migrate":
        await Database.MigrateAsync(settings.DatabaseConnectionString, CancellationToken.None);
        Console.WriteLine("Database schema is up to date.");
        return 0;

    case "seed-demo":
        await Database.MigrateAsync(settings.DatabaseConnectionString, CancellationToken.None);
        var seeded = await DemoData.SeedAsync(settings.DatabaseConnectionString, settings.CampaignYear, DateTime.UtcNow, CancellationToken.None);
        Console.WriteLine(seeded);
        return 0;

    case "link-token":
        return await LinkTokenCommand.RunAsync(settings, args[1..]);

    default:
        Console.Error.WriteLine($"Unknown command '{command}'. Commands: run, sandbox, migrate, seed-demo, link-token.");
        return 2;
}
