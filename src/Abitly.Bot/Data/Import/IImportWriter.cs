using Abitly.Bot.Import;

namespace Abitly.Bot.Data.Import;

/// <summary>
/// Writes imported offers, each in its own transaction, so a reader sees an offer's old list or its new list, never a
/// mix. One writer holds one connection for a whole import, and the import lock with it. One implementation per provider.
/// </summary>
public interface IImportWriter : IAsyncDisposable
{
    /// <summary>Takes the one-import-at-a-time lock (across processes); false when another import holds it.</summary>
    Task<bool> TryLockAsync(CancellationToken ct);

    /// <summary>
    /// Writes each offer (row, weights, list, analytics, snapshot) in a transaction of its own, calling
    /// <paramref name="committed"/> after each commit, so a failure half-way still knows what was written.
    /// </summary>
    Task ApplyAsync(IReadOnlyList<PreparedOffer> offers, long runId, DateTime takenAtUtc, DateTime nowUtc, Action<PreparedOffer> committed, CancellationToken ct);

    /// <summary>Marks offers of <paramref name="year"/> missing from a full snapshot as withdrawn (never deleted); returns their ids.</summary>
    Task<IReadOnlyList<long>> WithdrawMissingAsync(int year, IReadOnlySet<long> present, long runId, DateTime takenAtUtc, DateTime nowUtc, CancellationToken ct);
}

/// <summary>Opens an <see cref="IImportWriter"/> for the configured provider.</summary>
public interface IImportWriterFactory
{
    Task<IImportWriter> OpenAsync(CancellationToken ct);
}
