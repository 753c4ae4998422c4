using Microsoft.Data.Sqlite;
using Npgsql;

namespace Abitly.Bot.Data;

/// <summary>Tells a database that cannot be reached (worth waiting for) from a query or a bug that failed (worth an apology).</summary>
public static class DatabaseFailures
{
    // SQLITE_BUSY and SQLITE_LOCKED: another connection holds the file for a moment.
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>
    /// True when the database could not be reached or is restarting, so the same work may succeed later. Only the database
    /// drivers' own exceptions count: a bare timeout (e.g. Redis's) is not the database's.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case NpgsqlException { IsTransient: true }:
                case PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" }:   // shutdown, crash, starting up, too many connections
                case SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked }:
                    return true;
                default:
                    break;
            }
        }

        return false;
    }
}

/// <summary>An update could not be handled because the database was unreachable; it is not confirmed and will be handled later.</summary>
public sealed class DatabaseUnavailableException : Exception
{
    public DatabaseUnavailableException()
    {
    }

    public DatabaseUnavailableException(string message)
        : base(message)
    {
    }

    public DatabaseUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
