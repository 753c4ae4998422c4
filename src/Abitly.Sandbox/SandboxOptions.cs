namespace Abitly.Sandbox;

/// <summary>What `sandbox` takes from its command line (and SANDBOX_PORT): the page's port and the database file.</summary>
public sealed record SandboxOptions
{
    public const int DefaultPort = 8088;
    public const string DefaultDatabaseFile = "abitly-sandbox.db";

    public int Port { get; init; } = DefaultPort;

    public string DatabasePath { get; init; } = DefaultDatabaseFile;

    /// <summary>Delete the database file first, so demo data is seeded afresh.</summary>
    public bool Reset { get; init; }
}
