using System.Data.Common;
using Abitly.Bot.Import;
using Microsoft.Data.Sqlite;

namespace Abitly.Bot.Data.Import;

/// <summary>
/// SQLite (the sandbox): the same semantics as PostgreSQL — each offer in a transaction of its own, the list replaced
/// whole — with one prepared INSERT rebound per row (SQLite has no COPY, and binds long VALUES lists slowly).
/// </summary>
public sealed class SqliteImportWriter : IImportWriter
{
    private static readonly string[] ApplicantParameters = ["@o", "@p", "@n", "@s", "@pr", "@st", "@q", "@k", "@u"];

    private readonly SqliteConnection _connection;
    private readonly string _lockPath;
    private FileStream? _lock;

    private SqliteImportWriter(SqliteConnection connection, string lockPath)
    {
        _connection = connection;
        _lockPath = lockPath;
    }

    public static async Task<SqliteImportWriter> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        return new SqliteImportWriter(connection, LockPathOf(connection.DataSource));
    }

    /// <summary>Whether an import holds the lock of the database file <paramref name="dataSource"/> (a readers' check: it takes nothing).</summary>
    public static bool IsLocked(string dataSource)
    {
        try
        {
            using var probe = new FileStream(LockPathOf(dataSource), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1);
            return false;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static string LockPathOf(string dataSource) => Path.GetFullPath(dataSource) + ".import-lock";

    public Task<bool> TryLockAsync(CancellationToken ct)
    {
        try
        {
            // An exclusive handle on a file beside the database: another import (in any process) cannot open it.
            _lock = new FileStream(_lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            return Task.FromResult(true);
        }
        catch (IOException)
        {
            return Task.FromResult(false);
        }
    }

    public async Task ApplyAsync(IReadOnlyList<PreparedOffer> offers, long runId, DateTime takenAtUtc, DateTime nowUtc, Action<PreparedOffer> committed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(offers);
        ArgumentNullException.ThrowIfNull(committed);
        foreach (var prepared in offers)
        {
            await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(ct);
            await WriteOfferAsync(prepared, transaction, runId, takenAtUtc, nowUtc, ct);
            await transaction.CommitAsync(ct);
            committed(prepared);
        }
    }

    public async Task<IReadOnlyList<long>> WithdrawMissingAsync(int year, IReadOnlySet<long> present, long runId, DateTime takenAtUtc, DateTime nowUtc, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(present);
        await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(ct);
        var candidates = new List<(long Id, string? Hash, int? Budget, int Q1, int Q2)>();
        await using (var select = Command("SELECT id, content_hash, budget_places, quota1places, quota2places FROM offers WHERE year = @year AND withdrawn_at IS NULL", transaction))
        {
            select.Parameters.AddWithValue("@year", year);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetInt64(0);
                if (!present.Contains(id))
                {
                    candidates.Add((id, reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4)));
                }
            }
        }

        foreach (var gone in candidates)
        {
            await Execute("UPDATE offers SET withdrawn_at = @now, updated_at = @now, import_run_id = @run WHERE id = @id", transaction, ct,
                ("@now", nowUtc), ("@run", runId), ("@id", gone.Id));
            await Execute(
                """
                INSERT INTO offer_snapshots (offer_id, import_run_id, taken_at, content_hash, active_applications, active_budget_applications,
                                             budget_places, quota1places, quota2places, cut_off, withdrawn)
                VALUES (@id, @run, @taken, @hash, 0, 0, @budget, @q1, @q2, NULL, 1)
                ON CONFLICT (offer_id, import_run_id) DO UPDATE SET withdrawn = 1
                """, transaction, ct,
                ("@id", gone.Id), ("@run", runId), ("@taken", takenAtUtc), ("@hash", gone.Hash ?? ""), ("@budget", gone.Budget), ("@q1", gone.Q1), ("@q2", gone.Q2));
        }

        await transaction.CommitAsync(ct);
        return [.. candidates.Select(c => c.Id)];
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        if (_lock is not null)
        {
            await _lock.DisposeAsync();
        }
    }

    private async Task WriteOfferAsync(PreparedOffer prepared, SqliteTransaction transaction, long runId, DateTime takenAtUtc, DateTime nowUtc, CancellationToken ct)
    {
        var offer = prepared.Offer;
        var id = offer.EdboId;
        await Execute(
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
            """, transaction, ct,
            ("@id", id), ("@year", prepared.Year), ("@university", prepared.UniversityId), ("@speciality", prepared.SpecialityId),
            ("@program", offer.Program), ("@faculty", offer.Faculty), ("@form", offer.Form), ("@degree", offer.Degree),
            ("@budget", offer.BudgetPlaces), ("@q1", offer.Quota1Places), ("@q2", offer.Quota2Places), ("@license", offer.LicenseVolume),
            ("@rk", (double)offer.RegionalCoefficient), ("@sectoral", offer.SectoralCoefficient), ("@prep", offer.PreparatoryPointsApply),
            ("@url", offer.SourceUrl), ("@now", nowUtc), ("@hash", prepared.ContentHash), ("@run", runId));
        await Execute("DELETE FROM offer_subjects WHERE offer_id = @id", transaction, ct, ("@id", id));
        foreach (var w in offer.Weights)
        {
            await Execute("INSERT INTO offer_subjects (offer_id, slot, subject, coefficient, min_score) VALUES (@id, @slot, @subject, @c, @min)",
                transaction, ct, ("@id", id), ("@slot", w.Slot), ("@subject", w.Subject), ("@c", (double)w.Coefficient), ("@min", (double?)w.MinScore));
        }

        await Execute("DELETE FROM applicants WHERE offer_id = @id", transaction, ct, ("@id", id));
        await using (var insert = Command(
            "INSERT INTO applicants (offer_id, position, full_name, score, priority, status, quota, person_key, updated_at) VALUES (@o, @p, @n, @s, @pr, @st, @q, @k, @u)",
            transaction))
        {
            var parameters = ApplicantParameters.Select(n => insert.Parameters.Add(n, SqliteType.Text)).ToArray();
            foreach (var a in prepared.Applicants)
            {
                object?[] values = [id, a.Position, a.FullName, (double?)a.Score, a.Priority, a.Status, (short)a.Quota, a.PersonKey, nowUtc];
                for (var i = 0; i < values.Length; i++)
                {
                    parameters[i].SqliteType = values[i] switch { null => SqliteType.Text, string => SqliteType.Text, double => SqliteType.Real, DateTime => SqliteType.Text, _ => SqliteType.Integer };
                    parameters[i].Value = values[i] ?? DBNull.Value;
                }

                await insert.ExecuteNonQueryAsync(ct);
            }
        }

        await Execute(
            """
            INSERT INTO offer_analytics (offer_id, applications_total, applications_budget, min_budget_score_last_year, avg_score, computed_at)
            VALUES (@id, @total, @budget, @last, @avg, @now)
            ON CONFLICT (offer_id) DO UPDATE SET applications_total = excluded.applications_total, applications_budget = excluded.applications_budget,
                min_budget_score_last_year = excluded.min_budget_score_last_year, avg_score = excluded.avg_score, computed_at = excluded.computed_at
            """, transaction, ct,
            ("@id", id), ("@total", prepared.Applicants.Count), ("@budget", prepared.ApplicationsBudget),
            ("@last", (double?)offer.MinBudgetScoreLastYear), ("@avg", (double?)prepared.AverageScore), ("@now", nowUtc));
        await Execute(
            """
            INSERT INTO offer_snapshots (offer_id, import_run_id, taken_at, content_hash, active_applications, active_budget_applications,
                                         budget_places, quota1places, quota2places, cut_off, withdrawn)
            VALUES (@id, @run, @taken, @hash, @active, @activeBudget, @budget, @q1, @q2, @cut, 0)
            ON CONFLICT (offer_id, import_run_id) DO UPDATE SET taken_at = excluded.taken_at, content_hash = excluded.content_hash,
                active_applications = excluded.active_applications, active_budget_applications = excluded.active_budget_applications,
                budget_places = excluded.budget_places, quota1places = excluded.quota1places, quota2places = excluded.quota2places,
                cut_off = excluded.cut_off, withdrawn = 0
            """, transaction, ct,
            ("@id", id), ("@run", runId), ("@taken", takenAtUtc), ("@hash", prepared.ContentHash), ("@active", prepared.ActiveApplications),
            ("@activeBudget", prepared.ActiveBudgetApplications), ("@budget", offer.BudgetPlaces), ("@q1", offer.Quota1Places),
            ("@q2", offer.Quota2Places), ("@cut", (double?)prepared.CutOff));
    }

    private SqliteCommand Command(string sql, SqliteTransaction transaction) => new(sql, _connection, transaction);

    private async Task Execute(string sql, SqliteTransaction transaction, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(sql, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        await command.ExecuteNonQueryAsync(ct);
    }
}
