using System.Globalization;

namespace Abitly.Bot.Sandbox;

/// <summary>What `sandbox` takes from its command line (and SANDBOX_PORT): the page's port and the database file.</summary>
public sealed record SandboxOptions
{
    public const int DefaultPort = 8088;
    public const string DefaultDatabaseFile = "abitly-sandbox.db";

    public int Port { get; init; } = DefaultPort;
    public string DatabasePath { get; init; } = DefaultDatabaseFile;
    /// <summary>Delete the database file first, so demo data is seeded afresh.</summary>
    public bool Reset { get; init; }

    public const string Usage = "Usage: sandbox [--port N] [--db FILE] [--reset]   (also SANDBOX_PORT=N)";

    /// <summary>Parses the arguments after `sandbox`; an error names the bad argument.</summary>
    public static (SandboxOptions? Options, string? Error) Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var options = new SandboxOptions();
        if (environment("SANDBOX_PORT") is { Length: > 0 } fromEnvironment)
        {
            if (!TryPort(fromEnvironment, out var port))
            {
                return (null, $"SANDBOX_PORT: expected a port from 1 to 65535, got '{fromEnvironment}'");
            }

            options = options with { Port = port };
        }

        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--reset":
                    options = options with { Reset = true };
                    break;
                case "--port" when i + 1 < args.Count:
                    if (!TryPort(args[++i], out var port))
                    {
                        return (null, $"--port: expected a port from 1 to 65535, got '{args[i]}'");
                    }

                    options = options with { Port = port };
                    break;
                case "--db" when i + 1 < args.Count && args[i + 1].Trim().Length > 0:
                    options = options with { DatabasePath = args[++i] };
                    break;
                default:
                    return (null, $"unknown or incomplete argument '{args[i]}'");
            }
        }

        return (options, null);
    }

    private static bool TryPort(string raw, out int port) =>
        int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
