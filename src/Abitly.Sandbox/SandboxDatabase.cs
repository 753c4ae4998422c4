using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Microsoft.Data.Sqlite;

namespace Abitly.Sandbox;

/// <summary>The sandbox's SQLite file: reset on request, migrated on every start, seeded with demo data once.</summary>
public static class SandboxDatabase
{
    // SQLITE_CORRUPT and SQLITE_NOTADB: the file exists but is not a usable database.
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    /// <summary>Returns what was done (for the banner), or null after printing why the file cannot be used.</summary>
    public static async Task<string?> PrepareAsync(string path, bool reset, DateTimeOffset now, TextWriter errors)
    {
        if (reset)
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
            {
                File.Delete(file);
            }
        }

        var connectionString = Database.SqliteFile(path);
        try
        {
            var directory = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            await Database.CheckAsync(DatabaseProvider.Sqlite, connectionString, TimeSpan.FromSeconds(10), CancellationToken.None);
            await Database.MigrateAsync(DatabaseProvider.Sqlite, connectionString, CancellationToken.None);
            var seeded = await DemoData.SeedAsync(DatabaseProvider.Sqlite, connectionString, AbitlySettings.CampaignYearOf(now), now.UtcDateTime, CancellationToken.None);
            return reset ? "reset; " + seeded : seeded;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            await errors.WriteLineAsync(
                $"sandbox: the database file '{path}' is damaged or is not a SQLite database ({ex.Message.TrimEnd('.')}).{Environment.NewLine}" +
                $"Start afresh with: sandbox --reset   (deletes that file and seeds the demo data again), or choose another file with --db FILE.");
            return null;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"sandbox: cannot use the database file '{path}': {ex.Message}{Environment.NewLine}Choose another file with --db FILE, or start afresh with --reset.");
            return null;
        }
    }
}
