using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Abitly.Sandbox;

/// <summary>
/// The sandbox's one parser: <c>[--port N] [--db FILE] [--reset]</c> (SANDBOX_PORT when --port is absent). <c>--help</c>
/// prints help; bad arguments exit 2 with the usage line.
/// </summary>
public static class SandboxCommandLine
{
    public const string Usage = "Usage: sandbox [--port N] [--db FILE] [--reset]   (also SANDBOX_PORT=N; --help for details)";

    public static async Task<int> InvokeAsync(string[] args, Func<string, string?> environment, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(errors);
        var port = new Option<string?>("--port") { Description = $"Port of the web chat on 127.0.0.1 (default {SandboxOptions.DefaultPort}, or SANDBOX_PORT)." };
        port.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } raw && !TryPort(raw, out _))
            {
                r.AddError($"--port: expected a port from 1 to 65535, got '{raw}'");
            }
        });
        var db = new Option<string>("--db") { Description = "The SQLite database file (created and seeded on first start).", DefaultValueFactory = _ => SandboxOptions.DefaultDatabaseFile };
        db.Validators.Add(r =>
        {
            if (string.IsNullOrWhiteSpace(r.GetValueOrDefault<string>()))
            {
                r.AddError("--db: expected a file name");
            }
        });
        var reset = new Option<bool>("--reset") { Description = "Delete the database file first and seed the demo data afresh." };
        var root = new RootCommand("Abitly sandbox: the whole bot in a browser, with no token, PostgreSQL or Redis.") { port, db, reset };
        root.SetAction(async (result, ct) =>
        {
            var chosen = result.GetValue(port) ?? environment("SANDBOX_PORT");
            var number = SandboxOptions.DefaultPort;
            if (chosen is { Length: > 0 } && !TryPort(chosen, out number))
            {
                await errors.WriteLineAsync($"sandbox: SANDBOX_PORT: expected a port from 1 to 65535, got '{chosen}'{Environment.NewLine}{Usage}");
                return 2;
            }

            return await SandboxCommand.RunAsync(new SandboxOptions { Port = number, DatabasePath = result.GetValue(db)!, Reset = result.GetValue(reset) }, output, errors);
        });

        var seed = new Command("seed-demo", "Migrate the PostgreSQL database at DATABASE_URL, import the demo campaigns and add the demo web users and open days (once; never over universities of its own).");
        seed.SetAction(async (_, ct) =>
        {
            if (!Bot.Configuration.ConnectionStrings.TryPostgres(environment("DATABASE_URL") ?? "", out var cs, out var why))
            {
                await errors.WriteLineAsync($"Configuration error: DATABASE_URL: {(string.IsNullOrEmpty(environment("DATABASE_URL")) ? "required" : why)}");
                return 2;
            }

            await Bot.Data.Database.MigrateAsync(cs!, ct);
            await output.WriteLineAsync(await DemoData.SeedAsync(cs!, Bot.Configuration.AbitlySettings.CampaignYearOf(DateTimeOffset.UtcNow), DateTime.UtcNow, ct));
            return 0;
        });
        root.Subcommands.Add(seed);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await errors.WriteLineAsync("sandbox: " + error.Message);
            }

            await errors.WriteLineAsync(Usage);
            return 2;
        }

        // Ctrl+C is the host's to handle (a graceful stop, then exit 0).
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, Output = output, Error = errors });
    }

    private static bool TryPort(string raw, out int port) =>
        int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
