using System.CommandLine;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Abitly.Bot.Commands;

/// <summary>
/// Every command of the bot's executable through one parser: <c>run</c> (the default), <c>migrate</c>, <c>link-token</c>,
/// <c>import</c>, <c>generate-campaign</c>, <c>seed-demo</c>, <c>simulate</c>.
/// <c>--help</c> works on each; bad arguments exit 2 with the command's usage; bad settings exit 2 with one line each.
/// </summary>
public static class BotCommandLine
{
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var root = Build(output, errors);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await errors.WriteLineAsync($"{parsed.CommandResult.Command.Name}: {error.Message}");
            }

            await errors.WriteLineAsync(Usage(parsed.CommandResult.Command));
            return 2;
        }

        // The host handles SIGTERM/SIGINT itself (graceful stop, then exit 0); the parser must not race it.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, Output = output, Error = errors });
    }

    public static RootCommand Build(TextWriter output, TextWriter errors)
    {
        var root = new RootCommand("Abitly Bot: a Telegram bot for Ukrainian university applicants. Without a command it runs the bot.");
        root.SetAction((_, ct) => RunBotAsync(errors));

        var run = new Command("run", "Start the bot: health endpoint, database check, scheduler, then receiving updates.");
        run.SetAction((_, ct) => RunBotAsync(errors));

        var migrate = new Command("migrate", "Create or upgrade the PostgreSQL schema at DATABASE_URL (creates the database if needed).");
        migrate.SetAction(async (_, ct) =>
        {
            if (Settings(SettingsRequirements.DatabaseOnly, errors) is not { } settings)
            {
                return 2;
            }

            await Database.MigrateAsync(settings.DatabaseConnectionString, ct);
            await output.WriteLineAsync("Database schema is up to date.");
            return 0;
        });

        var webUser = new Option<long>("--web-user") { Description = "The web user's id (users.id) the token links to.", Required = true };
        webUser.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<long>() <= 0)
            {
                r.AddError("--web-user must be a positive number");
            }
        });
        var ttl = new Option<int>("--ttl") { Description = "Seconds the token is valid.", DefaultValueFactory = _ => (int)State.LinkToken.DefaultTtl.TotalSeconds };
        ttl.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() <= 0)
            {
                r.AddError("--ttl must be a positive number of seconds");
            }
        });
        var bot = new Option<string?>("--bot") { Description = "The bot's username for the deep link (default: asked from getMe)." };
        var linkToken = new Command("link-token", "Mint a one-time link token exactly as the web backend does and print the deep link (needs REDIS_URL).")
        {
            webUser,
            ttl,
            bot,
        };
        linkToken.SetAction(async (result, ct) =>
        {
            if (Settings(new SettingsRequirements(Token: false, Redis: true), errors) is not { } settings)
            {
                return 2;
            }

            return await LinkTokenCommand.RunAsync(settings, result.GetValue(webUser), TimeSpan.FromSeconds(result.GetValue(ttl)), result.GetValue(bot), output, errors);
        });

        root.Subcommands.Add(run);
        root.Subcommands.Add(migrate);
        root.Subcommands.Add(linkToken);
        root.Subcommands.Add(ImportCommand(output, errors));
        root.Subcommands.Add(GenerateCommand(output));
        var seed = new Command("seed-demo", "Migrate DATABASE_URL and import a generated `ci` campaign of CAMPAIGN_YEAR (a second run changes nothing).");
        seed.SetAction(async (_, ct) => Settings(SettingsRequirements.DatabaseOnly, errors) is { } settings
            ? await ImportCommands.SeedDemoAsync(settings, output, errors, ct)
            : 2);
        root.Subcommands.Add(seed);
        var simulate = new Command("simulate", "Simulate the allocation of budget seats for import runs whose simulation is due (the bot does it after each import and catches up once a minute); prints each run's figures.");
        simulate.SetAction(async (_, ct) => Settings(SettingsRequirements.DatabaseOnly, errors) is { } settings
            ? await ImportCommands.SimulateAsync(settings, output, errors, ct)
            : 2);
        root.Subcommands.Add(simulate);
        return root;
    }

    private static Command ImportCommand(TextWriter output, TextWriter errors)
    {
        var source = new Argument<string>("source") { Description = "A snapshot file (.jsonl or .jsonl.gz), a folder of them, or an http(s) URL." };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Apply the valid offers of an input with invalid ones, and report the rest." };
        var allowVanish = new Option<bool>("--allow-vanish") { Description = "Let a full snapshot withdraw more than 10 % of the year's offers." };
        var force = new Option<bool>("--force") { Description = "Apply a snapshot older than the last one applied for its year." };
        var command = new Command("import", "Import a campaign snapshot (docs/import-format.md) into DATABASE_URL: validated first, then one transaction per changed offer.")
        {
            source,
            skipInvalid,
            allowVanish,
            force,
        };
        command.SetAction(async (result, ct) => Settings(SettingsRequirements.DatabaseOnly, errors) is { } settings
            ? await ImportCommands.ImportAsync(settings, new Import.ImportRequest(result.GetValue(source)!, "cli", result.GetValue(skipInvalid), result.GetValue(allowVanish), result.GetValue(force)), output, errors, ct)
            : 2);
        return command;
    }

    private static Command GenerateCommand(TextWriter output)
    {
        var preset = new Option<Campaign.Generation.CampaignPreset>("--preset") { Description = "ci (50 offers, 5,000 applications), campaign (1,500, 600,000) or national (10,000, ~1,000,000 budget).", DefaultValueFactory = _ => Campaign.Generation.CampaignPreset.Ci };
        var offers = new Option<int?>("--offers") { Description = "Number of offers instead of the preset's." };
        var applications = new Option<int?>("--applications") { Description = "Number of applications instead of the preset's." };
        var seed = new Option<long>("--seed") { Description = "Random seed (the same seed gives the same campaign).", DefaultValueFactory = _ => Campaign.Generation.CampaignGeneratorOptions.DefaultSeed };
        var year = new Option<int?>("--year") { Description = "Campaign year (default: the current admission year)." };
        var revision = new Option<int>("--revision") { Description = "A later snapshot of the same campaign: revision N is taken N hours later, with some offers changed." };
        var changed = new Option<int?>("--changed-offers") { Description = "How many offers a revision changes (default: a fifth)." };
        var outPath = new Option<string>("--out") { Description = "Where to write (gzip when it ends in .gz).", Required = true };
        foreach (var positive in new[] { offers, applications, changed })
        {
            positive.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int?>() is <= 0)
                {
                    r.AddError($"{r.Option.Name} must be a positive number");
                }
            });
        }

        var command = new Command("generate-campaign", "Write a realistic generated campaign in the import format (for tests, benchmarks and demos).")
        {
            preset,
            offers,
            applications,
            seed,
            year,
            revision,
            changed,
            outPath,
        };
        command.SetAction(async (result, ct) => await ImportCommands.GenerateAsync(
            Campaign.Generation.CampaignGeneratorOptions.For(result.GetValue(preset)) with
            {
                Offers = result.GetValue(offers),
                Applications = result.GetValue(applications),
                Seed = result.GetValue(seed),
                Year = result.GetValue(year) ?? AbitlySettings.CampaignYearOf(DateTimeOffset.UtcNow),
                Revision = result.GetValue(revision),
                ChangedOffers = result.GetValue(changed),
            },
            result.GetValue(outPath)!,
            output,
            ct));
        return command;
    }

    /// <summary>One line of usage: the command and its options, optional ones in brackets.</summary>
    public static string Usage(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var options = command.Options.Where(o => o.Name is not ("--help" or "--version"))
            .Select(o => o.Required ? $"{o.Name} <{o.Name.TrimStart('-')}>" : $"[{o.Name} <{o.Name.TrimStart('-')}>]");
        var name = command is RootCommand ? "Abitly.Bot [command]" : "Abitly.Bot " + command.Name;
        var arguments = command.Arguments.Select(a => $"<{a.Name}>");
        return $"Usage: {string.Join(' ', new[] { name }.Concat(arguments).Concat(options))}   (--help for details)";
    }

    private static async Task<int> RunBotAsync(TextWriter errors)
    {
        var configuration = AbitlyConfiguration.Build();
        if (Settings(SettingsRequirements.Run, errors, configuration) is not { } settings)
        {
            return 2;
        }

        // /healthcheck answers from here on, while the host is built and long before the database check; the host's
        // Kestrel takes the same listening socket over when it starts.
        var earlyHealth = EarlyHealthListener.TryStart(settings.Port);
        WebApplication app;
        try
        {
            app = BotHost.Build(settings, configuration, listenHandle: earlyHealth is null ? null : earlyHealth.HandOver);
        }
        catch
        {
            earlyHealth?.Close();
            throw;
        }

        await using var started = app;
        await app.StartAsync();
        var exitCode = await app.Services.GetRequiredService<BotRuntime>().RunAsync(app.Lifetime.ApplicationStopping);
        await app.StopAsync();
        return exitCode;
    }

    /// <summary>The validated settings, or null after printing one "Configuration error" line per problem.</summary>
    private static AbitlySettings? Settings(SettingsRequirements requirements, TextWriter errors, IConfiguration? configuration = null)
    {
        var (settings, problems) = AbitlyConfiguration.Load(configuration ?? AbitlyConfiguration.Build(), requirements, TimeProvider.System);
        foreach (var problem in problems)
        {
            errors.WriteLine($"Configuration error: {problem}");
        }

        return settings;
    }
}
