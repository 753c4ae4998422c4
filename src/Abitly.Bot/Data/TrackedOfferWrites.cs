using Npgsql;
using NpgsqlTypes;

namespace Abitly.Bot.Data;

/// <summary>What an alert pass does differently per provider: the lock that serializes passes, and the bulk state write.</summary>
public interface ITrackedOfferWrites
{
    /// <summary>Takes the pass lock for the current transaction; disposing the result releases what the transaction does not.</summary>
    Task<IAsyncDisposable> LockAlertPassesAsync(CancellationToken ct);

    /// <summary>Updates the follows' told, due and seen columns by key, in the current transaction.</summary>
    Task WriteStatesAsync(IReadOnlyList<TrackedOffer> states, CancellationToken ct);
}

/// <summary>PostgreSQL: a transaction-scoped advisory lock (shared by every instance and the import command); one UPDATE … FROM unnest(…).</summary>
public sealed class PostgresTrackedOfferWrites(AbitlyDbContext db) : ITrackedOfferWrites
{
    /// <summary>The advisory lock key of "an alert pass is running" ('tracked' in ASCII).</summary>
    public const long AlertPassLockKey = 0x747261636B6564;

    public async Task<IAsyncDisposable> LockAlertPassesAsync(CancellationToken ct)
    {
        await using var command = await db.CreateCommandAsync("SELECT pg_advisory_xact_lock(@key)", ct);
        command.AddParameter("key", AlertPassLockKey);
        await command.ExecuteNonQueryAsync(ct);
        return NoRelease.Instance;
    }

    public async Task WriteStatesAsync(IReadOnlyList<TrackedOffer> states, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Count == 0)
        {
            return;
        }

        await using var command = await db.CreateCommandAsync(
            """
            UPDATE tracked_offers t SET
                told_cut_off = s.cut, told_budget_places = s.budget, told_withdrawn = s.withdrawn, told_score = s.score,
                told_place = s.place, told_side = s.side, told_at = s.told_at, due_at = s.due_at,
                seen_run_id = s.seen_run, seen_place = s.seen_place, previous_place = s.previous_place
            FROM unnest(@users, @offers, @cuts, @budgets, @withdrawn, @scores, @places, @sides, @told_at, @due_at, @seen_runs, @seen_places, @previous_places)
                AS s(u, o, cut, budget, withdrawn, score, place, side, told_at, due_at, seen_run, seen_place, previous_place)
            WHERE t.telegram_user_id = s.u AND t.offer_id = s.o
            """, ct);
        var p = command.Parameters;
        p.Add(Array("users", NpgsqlDbType.Bigint, states.Select(s => s.TelegramUserId)));
        p.Add(Array("offers", NpgsqlDbType.Bigint, states.Select(s => s.OfferId)));
        p.Add(Array("cuts", NpgsqlDbType.Numeric, states.Select(s => s.ToldCutOff)));
        p.Add(Array("budgets", NpgsqlDbType.Integer, states.Select(s => s.ToldBudgetPlaces)));
        p.Add(Array("withdrawn", NpgsqlDbType.Boolean, states.Select(s => s.ToldWithdrawn)));
        p.Add(Array("scores", NpgsqlDbType.Numeric, states.Select(s => s.ToldScore)));
        p.Add(Array("places", NpgsqlDbType.Integer, states.Select(s => s.ToldPlace)));
        p.Add(Array("sides", NpgsqlDbType.Smallint, states.Select(s => s.ToldSide is { } side ? (short?)side : null)));
        p.Add(Array("told_at", NpgsqlDbType.TimestampTz, states.Select(s => s.ToldAt)));
        p.Add(Array("due_at", NpgsqlDbType.TimestampTz, states.Select(s => s.DueAt)));
        p.Add(Array("seen_runs", NpgsqlDbType.Bigint, states.Select(s => s.SeenRunId)));
        p.Add(Array("seen_places", NpgsqlDbType.Integer, states.Select(s => s.SeenPlace)));
        p.Add(Array("previous_places", NpgsqlDbType.Integer, states.Select(s => s.PreviousPlace)));
        await command.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlParameter<T[]> Array<T>(string name, NpgsqlDbType type, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | type) { TypedValue = [.. values] };

    private sealed class NoRelease : IAsyncDisposable
    {
        public static readonly NoRelease Instance = new();

        public ValueTask DisposeAsync() => default;
    }
}

/// <summary>
/// SQLite (the sandbox, one process): a process-wide lock held until the pass ends; one prepared UPDATE per row, scores as
/// REAL like the model's conversion stores them.
/// </summary>
public sealed class SqliteTrackedOfferWrites(AbitlyDbContext db) : ITrackedOfferWrites
{
    private static readonly SemaphoreSlim PassLock = new(1, 1);

    private static readonly string[] Columns =
        ["cut", "budget", "withdrawn", "score", "place", "side", "told_at", "due_at", "seen_run", "seen_place", "previous_place", "u", "o"];

    public async Task<IAsyncDisposable> LockAlertPassesAsync(CancellationToken ct)
    {
        await PassLock.WaitAsync(ct);
        return new Release();
    }

    public async Task WriteStatesAsync(IReadOnlyList<TrackedOffer> states, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(states);
        await using var command = await db.CreateCommandAsync(
            """
            UPDATE tracked_offers SET told_cut_off = @cut, told_budget_places = @budget, told_withdrawn = @withdrawn, told_score = @score,
                told_place = @place, told_side = @side, told_at = @told_at, due_at = @due_at,
                seen_run_id = @seen_run, seen_place = @seen_place, previous_place = @previous_place
            WHERE telegram_user_id = @u AND offer_id = @o
            """, ct);
        var parameters = Columns.Select(c => command.AddParameter(c, null)).ToArray();
        foreach (var s in states)
        {
            object?[] values =
            [
                (double?)s.ToldCutOff, s.ToldBudgetPlaces, s.ToldWithdrawn, (double?)s.ToldScore, s.ToldPlace, s.ToldSide is { } side ? (short)side : null,
                s.ToldAt, s.DueAt, s.SeenRunId, s.SeenPlace, s.PreviousPlace, s.TelegramUserId, s.OfferId,
            ];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private sealed class Release : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                PassLock.Release();
            }

            return default;
        }
    }
}
