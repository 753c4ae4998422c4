using Abitly.Bot.Import;
using Npgsql;
using NpgsqlTypes;

namespace Abitly.Bot.Data.Import;

/// <summary>
/// PostgreSQL: each chunk of offers' lists goes through binary COPY into a session-local staging table, then each offer is
/// merged set-based in one batch (an implicit transaction: all of it or none of it): offer row, weights, the list
/// (DELETE + INSERT … SELECT from staging), analytics, snapshot.
/// </summary>
public sealed class PostgresImportWriter : IImportWriter
{
    /// <summary>The advisory lock key of "an import is running" (any number both sides agree on; 'abitly' in ASCII).</summary>
    public const long ImportLockKey = 0x616269746C79;

    private readonly NpgsqlConnection _connection;

    private PostgresImportWriter(NpgsqlConnection connection) => _connection = connection;

    public static async Task<PostgresImportWriter> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var create = new NpgsqlCommand(
                """
                CREATE TEMP TABLE IF NOT EXISTS import_applicants (
                    offer_id bigint NOT NULL, position int NOT NULL, full_name text NOT NULL, score numeric(6,3), priority int,
                    status text NOT NULL, quota smallint NOT NULL, person_key text);
                CREATE INDEX IF NOT EXISTS import_applicants_offer ON import_applicants (offer_id);
                SET jit = off;
                """, connection);
            await create.ExecuteNonQueryAsync(ct);
            return new PostgresImportWriter(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<bool> TryLockAsync(CancellationToken ct)
    {
        // Session-level: held for this connection's life, released by PostgreSQL if the process dies.
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", _connection);
        command.Parameters.Add(new NpgsqlParameter<long>("key", ImportLockKey));
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task ApplyAsync(IReadOnlyList<PreparedOffer> offers, long runId, DateTime takenAtUtc, DateTime nowUtc, Action<PreparedOffer> committed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(offers);
        ArgumentNullException.ThrowIfNull(committed);
        if (offers.Count == 0)
        {
            return;
        }

        await using (var truncate = new NpgsqlCommand("TRUNCATE import_applicants", _connection))
        {
            await truncate.ExecuteNonQueryAsync(ct);
        }

        await CopyAsync(offers, ct);

        foreach (var offer in offers)
        {
            await using var batch = MergeBatch(offer, runId, takenAtUtc, nowUtc);
            await batch.ExecuteNonQueryAsync(ct);
            committed(offer);
        }
    }

    /// <summary>
    /// The chunk's lists into the staging table in one binary COPY. Rows are written with the synchronous API (buffered;
    /// it only blocks when a buffer goes to the server): per-field awaits cost more than the copy itself.
    /// </summary>
    private async Task CopyAsync(IReadOnlyList<PreparedOffer> offers, CancellationToken ct)
    {
        await using var copy = await _connection.BeginBinaryImportAsync(
            "COPY import_applicants (offer_id, position, full_name, score, priority, status, quota, person_key) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var offer in offers)
        {
            ct.ThrowIfCancellationRequested();
            foreach (var a in offer.Applicants)
            {
                copy.StartRow();
                copy.Write(offer.Offer.EdboId, NpgsqlDbType.Bigint);
                copy.Write(a.Position, NpgsqlDbType.Integer);
                copy.Write(a.FullName, NpgsqlDbType.Text);
                WriteNullable(copy, a.Score, NpgsqlDbType.Numeric);
                WriteNullable(copy, a.Priority, NpgsqlDbType.Integer);
                copy.Write(a.Status, NpgsqlDbType.Text);
                copy.Write((short)a.Quota, NpgsqlDbType.Smallint);
                if (a.PersonKey is { } key)
                {
                    copy.Write(key, NpgsqlDbType.Text);
                }
                else
                {
                    copy.WriteNull();
                }
            }
        }

        await copy.CompleteAsync(ct);
    }

    public async Task<IReadOnlyList<long>> WithdrawMissingAsync(int year, IReadOnlySet<long> present, long runId, DateTime takenAtUtc, DateTime nowUtc, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(present);
        await using var batch = new NpgsqlBatch(_connection);
        var withdraw = new NpgsqlBatchCommand(
            """
            WITH gone AS (
                UPDATE offers SET withdrawn_at = @now, updated_at = @now, import_run_id = @run
                WHERE year = @year AND withdrawn_at IS NULL AND NOT (id = ANY(@present))
                RETURNING id, content_hash, budget_places, quota1places, quota2places)
            INSERT INTO offer_snapshots (offer_id, import_run_id, taken_at, content_hash, active_applications, active_budget_applications,
                                         budget_places, quota1places, quota2places, cut_off, withdrawn)
            SELECT id, @run, @taken, coalesce(content_hash, ''), 0, 0, budget_places, quota1places, quota2places, NULL, true FROM gone
            ON CONFLICT (offer_id, import_run_id) DO UPDATE SET withdrawn = true
            RETURNING offer_id
            """);
        withdraw.Parameters.Add(new NpgsqlParameter<DateTime>("now", nowUtc));
        withdraw.Parameters.Add(new NpgsqlParameter<DateTime>("taken", takenAtUtc));
        withdraw.Parameters.Add(new NpgsqlParameter<long>("run", runId));
        withdraw.Parameters.Add(new NpgsqlParameter<int>("year", year));
        withdraw.Parameters.Add(new NpgsqlParameter<long[]>("present", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. present] });
        batch.BatchCommands.Add(withdraw);
        var ids = new List<long>();
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // A pooled connection keeps its session until it is next used (Npgsql resets it lazily), and with it the lock:
            // the next import in this process would be refused as "another import is running". Let go of it now.
            if (_connection.State == System.Data.ConnectionState.Open)
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", _connection);
                await unlock.ExecuteNonQueryAsync();
            }
        }
        catch (NpgsqlException)
        {
            // A broken connection is not returned to the pool; its session, and the lock, end with it.
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }

    private NpgsqlBatch MergeBatch(PreparedOffer prepared, long runId, DateTime takenAtUtc, DateTime nowUtc)
    {
        var offer = prepared.Offer;
        var id = offer.EdboId;
        var batch = new NpgsqlBatch(_connection);
        var upsert = new NpgsqlBatchCommand(
            """
            INSERT INTO offers (id, year, university_id, speciality_id, program_name, faculty, education_form, degree, budget_places,
                                quota1places, quota2places, license_volume, regional_coefficient, sectoral_coefficient_applies,
                                preparatory_points_apply, source_url, updated_at, withdrawn_at, content_hash, import_run_id)
            VALUES (@id, @year, @university, @speciality, @program, @faculty, @form, @degree, @budget, @q1, @q2, @license, @rk, @sectoral,
                    @prep, @url, @now, NULL, @hash, @run)
            ON CONFLICT (id) DO UPDATE SET
                year = excluded.year, university_id = excluded.university_id, speciality_id = excluded.speciality_id,
                program_name = excluded.program_name, faculty = excluded.faculty, education_form = excluded.education_form,
                degree = excluded.degree, budget_places = excluded.budget_places, quota1places = excluded.quota1places,
                quota2places = excluded.quota2places, license_volume = excluded.license_volume,
                regional_coefficient = excluded.regional_coefficient, sectoral_coefficient_applies = excluded.sectoral_coefficient_applies,
                preparatory_points_apply = excluded.preparatory_points_apply, source_url = excluded.source_url,
                updated_at = excluded.updated_at, withdrawn_at = NULL, content_hash = excluded.content_hash, import_run_id = excluded.import_run_id
            """);
        upsert.Parameters.Add(new NpgsqlParameter<long>("id", id));
        upsert.Parameters.Add(new NpgsqlParameter<int>("year", ImportYear(prepared)));
        upsert.Parameters.Add(new NpgsqlParameter<int>("university", prepared.UniversityId));
        upsert.Parameters.Add(new NpgsqlParameter<int>("speciality", prepared.SpecialityId));
        upsert.Parameters.Add(new NpgsqlParameter<string>("program", offer.Program));
        upsert.Parameters.Add(Nullable("faculty", offer.Faculty, NpgsqlDbType.Varchar));
        upsert.Parameters.Add(new NpgsqlParameter<string>("form", offer.Form));
        upsert.Parameters.Add(new NpgsqlParameter<string>("degree", offer.Degree));
        upsert.Parameters.Add(Nullable("budget", offer.BudgetPlaces, NpgsqlDbType.Integer));
        upsert.Parameters.Add(new NpgsqlParameter<int>("q1", offer.Quota1Places));
        upsert.Parameters.Add(new NpgsqlParameter<int>("q2", offer.Quota2Places));
        upsert.Parameters.Add(Nullable("license", offer.LicenseVolume, NpgsqlDbType.Integer));
        upsert.Parameters.Add(new NpgsqlParameter<decimal>("rk", offer.RegionalCoefficient));
        upsert.Parameters.Add(new NpgsqlParameter<bool>("sectoral", offer.SectoralCoefficient));
        upsert.Parameters.Add(new NpgsqlParameter<bool>("prep", offer.PreparatoryPointsApply));
        upsert.Parameters.Add(Nullable("url", offer.SourceUrl, NpgsqlDbType.Varchar));
        upsert.Parameters.Add(new NpgsqlParameter<DateTime>("now", nowUtc));
        upsert.Parameters.Add(new NpgsqlParameter<string>("hash", prepared.ContentHash));
        upsert.Parameters.Add(new NpgsqlParameter<long>("run", runId));
        batch.BatchCommands.Add(upsert);

        batch.BatchCommands.Add(Command("DELETE FROM offer_subjects WHERE offer_id = @id", id));
        var subjects = new NpgsqlBatchCommand(
            """
            INSERT INTO offer_subjects (offer_id, slot, subject, coefficient, min_score)
            SELECT @id, s, sub, c, m FROM unnest(@slots, @subjects, @coefficients, @minimums) AS t(s, sub, c, m)
            """);
        subjects.Parameters.Add(new NpgsqlParameter<long>("id", id));
        subjects.Parameters.Add(new NpgsqlParameter<int[]>("slots", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. offer.Weights.Select(w => w.Slot)] });
        subjects.Parameters.Add(new NpgsqlParameter<string[]>("subjects", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. offer.Weights.Select(w => w.Subject)] });
        subjects.Parameters.Add(new NpgsqlParameter<decimal[]>("coefficients", NpgsqlDbType.Array | NpgsqlDbType.Numeric) { TypedValue = [.. offer.Weights.Select(w => w.Coefficient)] });
        subjects.Parameters.Add(new NpgsqlParameter<decimal?[]>("minimums", NpgsqlDbType.Array | NpgsqlDbType.Numeric) { TypedValue = [.. offer.Weights.Select(w => w.MinScore)] });
        batch.BatchCommands.Add(subjects);

        batch.BatchCommands.Add(Command("DELETE FROM applicants WHERE offer_id = @id", id));
        var applicants = Command(
            """
            INSERT INTO applicants (offer_id, position, full_name, score, priority, status, quota, person_key, updated_at)
            SELECT offer_id, position, full_name, score, priority, status, quota, person_key, @now FROM import_applicants WHERE offer_id = @id
            """, id);
        applicants.Parameters.Add(new NpgsqlParameter<DateTime>("now", nowUtc));
        batch.BatchCommands.Add(applicants);

        var analytics = Command(
            """
            INSERT INTO offer_analytics (offer_id, applications_total, applications_budget, min_budget_score_last_year, avg_score, computed_at)
            VALUES (@id, @total, @budget, @last, @avg, @now)
            ON CONFLICT (offer_id) DO UPDATE SET applications_total = excluded.applications_total, applications_budget = excluded.applications_budget,
                min_budget_score_last_year = excluded.min_budget_score_last_year, avg_score = excluded.avg_score, computed_at = excluded.computed_at
            """, id);
        analytics.Parameters.Add(new NpgsqlParameter<int>("total", prepared.Applicants.Count));
        analytics.Parameters.Add(new NpgsqlParameter<int>("budget", prepared.ApplicationsBudget));
        analytics.Parameters.Add(Nullable("last", offer.MinBudgetScoreLastYear, NpgsqlDbType.Numeric));
        analytics.Parameters.Add(Nullable("avg", prepared.AverageScore, NpgsqlDbType.Numeric));
        analytics.Parameters.Add(new NpgsqlParameter<DateTime>("now", nowUtc));
        batch.BatchCommands.Add(analytics);

        var snapshot = Command(
            """
            INSERT INTO offer_snapshots (offer_id, import_run_id, taken_at, content_hash, active_applications, active_budget_applications,
                                         budget_places, quota1places, quota2places, cut_off, withdrawn)
            VALUES (@id, @run, @taken, @hash, @active, @activeBudget, @budget, @q1, @q2, @cut, false)
            ON CONFLICT (offer_id, import_run_id) DO UPDATE SET taken_at = excluded.taken_at, content_hash = excluded.content_hash,
                active_applications = excluded.active_applications, active_budget_applications = excluded.active_budget_applications,
                budget_places = excluded.budget_places, quota1places = excluded.quota1places, quota2places = excluded.quota2places,
                cut_off = excluded.cut_off, withdrawn = false
            """, id);
        snapshot.Parameters.Add(new NpgsqlParameter<long>("run", runId));
        snapshot.Parameters.Add(new NpgsqlParameter<DateTime>("taken", takenAtUtc));
        snapshot.Parameters.Add(new NpgsqlParameter<string>("hash", prepared.ContentHash));
        snapshot.Parameters.Add(new NpgsqlParameter<int>("active", prepared.ActiveApplications));
        snapshot.Parameters.Add(new NpgsqlParameter<int>("activeBudget", prepared.ActiveBudgetApplications));
        snapshot.Parameters.Add(Nullable("budget", offer.BudgetPlaces, NpgsqlDbType.Integer));
        snapshot.Parameters.Add(new NpgsqlParameter<int>("q1", offer.Quota1Places));
        snapshot.Parameters.Add(new NpgsqlParameter<int>("q2", offer.Quota2Places));
        snapshot.Parameters.Add(Nullable("cut", prepared.CutOff, NpgsqlDbType.Numeric));
        batch.BatchCommands.Add(snapshot);
        return batch;
    }

    /// <summary>The campaign year an offer is stored under: the snapshot's, carried by the prepared offer's source run.</summary>
    private static int ImportYear(PreparedOffer prepared) => prepared.Year;

    private static NpgsqlBatchCommand Command(string sql, long offerId)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<long>("id", offerId));
        return command;
    }

    private static NpgsqlParameter Nullable(string name, object? value, NpgsqlDbType type) =>
        new(name, type) { Value = value ?? DBNull.Value };

    private static void WriteNullable<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v)
        {
            copy.Write(v, type);
        }
        else
        {
            copy.WriteNull();
        }
    }
}
