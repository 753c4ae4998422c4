using System.Data;
using System.Globalization;
using Abitly.Bot.Data.Import;
using Abitly.Bot.Simulation;
using Abitly.Domain.Ranking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Abitly.Bot.Data.Simulation;

/// <summary>
/// PostgreSQL: the lists are read in one REPEATABLE READ transaction (one snapshot) with a binary COPY out, the results
/// written with binary COPY in. Whether an import was writing is read from pg_locks (the import's advisory lock) inside
/// the same statement that takes the snapshot, so the simulation never takes a lock an import could be refused on.
/// </summary>
public sealed class PostgresSimulationStore(AbitlyDbContext db, TimeProvider time) : SimulationStore(db, time)
{
    public override async Task<SimulationSnapshot> LoadAsync(SimulationInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        await Db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (NpgsqlConnection)Db.Database.GetDbConnection();
            await using var transaction = await Db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            var npgsqlTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
            var snapshot = await SnapshotAsync(connection, npgsqlTransaction, input.CampaignYear, ct);
            if (snapshot.ImportRunning)
            {
                return snapshot;
            }

            await ReadOffersAsync(connection, npgsqlTransaction, input, ct);
            await ReadApplicationsAsync(connection, input, ct);
            await transaction.CommitAsync(ct);
            return snapshot;
        }
        finally
        {
            await Db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The transaction's first statement fixes its snapshot; pg_locks is read live while it runs, so after.</summary>
    private static async Task<SimulationSnapshot> SnapshotAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int year, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
                             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                             AND classid::bigint = @hi AND objid::bigint = @lo),
                   (SELECT max(id) FROM import_runs WHERE campaign_year = @year AND status = 1
                             AND offers_added + offers_changed + offers_withdrawn > 0),
                   ARRAY(SELECT id FROM import_runs WHERE status = 0)
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long>("hi", PostgresImportWriter.ImportLockKey >> 32));
        command.Parameters.Add(new NpgsqlParameter<long>("lo", PostgresImportWriter.ImportLockKey & 0xFFFF_FFFF));
        command.Parameters.Add(new NpgsqlParameter<int>("year", year));
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new SimulationSnapshot(reader.GetBoolean(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetFieldValue<long[]>(2));
    }

    private static async Task ReadOffersAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SimulationInput input, CancellationToken ct)
    {
        var weights = new Dictionary<long, List<(int, string, decimal)>>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT w.offer_id, w.slot, w.subject, w.coefficient FROM offer_subjects w JOIN offers o ON o.id = w.offer_id
            WHERE o.year = @year AND o.withdrawn_at IS NULL
            """, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<int>("year", input.CampaignYear));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var offer = reader.GetInt64(0);
                if (!weights.TryGetValue(offer, out var list))
                {
                    weights[offer] = list = [];
                }

                list.Add((reader.GetInt32(1), reader.GetString(2), reader.GetDecimal(3)));
            }
        }

        await using (var command = new NpgsqlCommand(
            """
            SELECT o.id, o.budget_places, o.quota1places, o.quota2places, o.regional_coefficient, o.sectoral_coefficient_applies,
                   o.preparatory_points_apply, s.code
            FROM offers o JOIN specialities s ON s.id = o.speciality_id
            WHERE o.year = @year AND o.withdrawn_at IS NULL ORDER BY o.id
            """, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<int>("year", input.CampaignYear));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetInt64(0);
                input.AddOffer(id, reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetDecimal(4),
                    reader.GetBoolean(5), reader.GetBoolean(6), reader.GetString(7), weights.TryGetValue(id, out var list) ? list : []);
            }
        }
    }

    /// <summary>
    /// Every budget application of the year's offers in one binary COPY, read with the synchronous API (buffered; per-field
    /// awaits cost more than the rows). Names only where there is no person key: matching never reads them otherwise.
    /// </summary>
    private static async Task ReadApplicationsAsync(NpgsqlConnection connection, SimulationInput input, CancellationToken ct)
    {
        var sql = string.Create(CultureInfo.InvariantCulture,
            $"""
            COPY (SELECT a.offer_id, a.position, CASE WHEN a.person_key IS NULL THEN a.full_name END, (a.score * 1000)::int,
                         a.priority, a.status, a.quota, a.person_key
                  FROM applicants a JOIN offers o ON o.id = a.offer_id
                  WHERE o.year = {input.CampaignYear} AND o.withdrawn_at IS NULL AND a.priority BETWEEN 1 AND 5) TO STDOUT (FORMAT BINARY)
            """);
        await using var export = await connection.BeginBinaryExportAsync(sql, ct);
        while (export.StartRow() != -1)
        {
            ct.ThrowIfCancellationRequested();
            var offer = export.Read<long>(NpgsqlDbType.Bigint);
            var position = export.Read<int>(NpgsqlDbType.Integer);
            var name = NullableString(export);
            int? score = export.IsNull ? Skip<int?>(export) : export.Read<int>(NpgsqlDbType.Integer);
            var priority = export.Read<int>(NpgsqlDbType.Integer);
            var status = export.Read<string>(NpgsqlDbType.Text);
            var quota = (QuotaKind)export.Read<short>(NpgsqlDbType.Smallint);
            var key = NullableString(export);
            input.AddApplication(offer, position, name, score, priority, status, quota, key);
        }
    }

    private static string? NullableString(NpgsqlBinaryExporter export) => export.IsNull ? Skip<string?>(export) : export.Read<string>(NpgsqlDbType.Text);

    private static T? Skip<T>(NpgsqlBinaryExporter export)
    {
        export.Skip();
        return default;
    }

    /// <summary>Both tables in binary COPY, on the context's connection and in its transaction.</summary>
    protected override async Task WriteResultsAsync(long runId, SimulationResults results, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)Db.Database.GetDbConnection();
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY simulation_offers (run_id, offer_id, budget_places, general_places, quota1seated, quota2seated, general_seated, cut_off, competing) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var o in results.Offers)
            {
                copy.StartRow();
                copy.Write(runId, NpgsqlDbType.Bigint);
                copy.Write(o.OfferId, NpgsqlDbType.Bigint);
                WriteNullable(copy, o.BudgetPlaces, NpgsqlDbType.Integer);
                copy.Write(o.GeneralPlaces, NpgsqlDbType.Integer);
                copy.Write(o.Quota1Seated, NpgsqlDbType.Integer);
                copy.Write(o.Quota2Seated, NpgsqlDbType.Integer);
                copy.Write(o.GeneralSeated, NpgsqlDbType.Integer);
                WriteNullable(copy, o.CutOff, NpgsqlDbType.Numeric);
                copy.Write(o.Competing, NpgsqlDbType.Integer);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY simulation_applications (run_id, offer_id, position, priority, outcome, seat, place, held_offer_id, held_priority) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var a in results.Applications)
            {
                copy.StartRow();
                copy.Write(runId, NpgsqlDbType.Bigint);
                copy.Write(a.OfferId, NpgsqlDbType.Bigint);
                copy.Write(a.Position, NpgsqlDbType.Integer);
                copy.Write(a.Priority, NpgsqlDbType.Smallint);
                copy.Write((short)a.Outcome, NpgsqlDbType.Smallint);
                copy.Write((short)a.Seat, NpgsqlDbType.Smallint);
                copy.Write(a.Place, NpgsqlDbType.Integer);
                WriteNullable(copy, a.HeldOfferId, NpgsqlDbType.Bigint);
                WriteNullable(copy, a.HeldPriority, NpgsqlDbType.Smallint);
            }

            await copy.CompleteAsync(ct);
        }
    }

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
