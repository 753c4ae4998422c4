namespace Abitly.Bot.Data.Import;

/// <summary>The import writer of the configured provider, chosen at composition.</summary>
public sealed class ImportWriterFactory(DatabaseProvider provider, string connectionString) : IImportWriterFactory
{
    public async Task<IImportWriter> OpenAsync(CancellationToken ct) =>
        provider == DatabaseProvider.Sqlite
            ? await SqliteImportWriter.OpenAsync(connectionString, ct)
            : await PostgresImportWriter.OpenAsync(connectionString, ct);
}
