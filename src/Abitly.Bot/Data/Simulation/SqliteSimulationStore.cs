using System.Data.Common;
using Abitly.Bot.Data.Import;
using Abitly.Bot.Simulation;
using Abitly.Domain.Ranking;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Data.Simulation;

/// <summary>
/// SQLite (the sandbox): the lists are read in one transaction (a consistent view of the file), the results written with
/// one prepared INSERT per table rebound per row. An import is running while another handle holds its lock file.
/// </summary>
public sealed class SqliteSimulationStore(AbitlyDbContext db, TimeProvider time) : SimulationStore(db, time)
{
    public override async Task<SimulationSnapshot> LoadAsync(SimulationInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var transaction = await Db.Database.BeginTransactionAsync(ct);
        long? newest;
        var running = new List<long>();
        await using (var command = await Db.CreateCommandAsync(
            """
            SELECT max(id) FROM import_runs WHERE campaign_year = @year AND status = 1 AND offers_added + offers_changed + offers_withdrawn > 0
            """, ct))
        {
            command.AddParameter("year", input.CampaignYear);
            var value = await command.ExecuteScalarAsync(ct);
            newest = value is null or DBNull ? null : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        }

        await using (var command = await Db.CreateCommandAsync("SELECT id FROM import_runs WHERE status = 0", ct))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                running.Add(reader.GetInt64(0));
            }
        }

        if (SqliteImportWriter.IsLocked(Db.Database.GetDbConnection().DataSource))
        {
            return new SimulationSnapshot(true, newest, running);
        }

        var weights = new Dictionary<long, List<(int, string, decimal)>>();
        await using (var command = await Db.CreateCommandAsync(
            """
            SELECT w.offer_id, w.slot, w.subject, w.coefficient FROM offer_subjects w JOIN offers o ON o.id = w.offer_id
            WHERE o.year = @year AND o.withdrawn_at IS NULL
            """, ct))
        {
            command.AddParameter("year", input.CampaignYear);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var offer = reader.GetInt64(0);
                if (!weights.TryGetValue(offer, out var list))
                {
                    weights[offer] = list = [];
                }

                list.Add((reader.GetInt32(1), reader.GetString(2), (decimal)reader.GetDouble(3)));
            }
        }

        await using (var command = await Db.CreateCommandAsync(
            """
            SELECT o.id, o.budget_places, o.quota1places, o.quota2places, o.regional_coefficient, o.sectoral_coefficient_applies,
                   o.preparatory_points_apply, s.code
            FROM offers o JOIN specialities s ON s.id = o.speciality_id
            WHERE o.year = @year AND o.withdrawn_at IS NULL ORDER BY o.id
            """, ct))
        {
            command.AddParameter("year", input.CampaignYear);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetInt64(0);
                input.AddOffer(id, reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), (decimal)reader.GetDouble(4),
                    reader.GetBoolean(5), reader.GetBoolean(6), reader.GetString(7), weights.TryGetValue(id, out var list) ? list : []);
            }
        }

        await using (var command = await Db.CreateCommandAsync(
            """
            SELECT a.offer_id, a.position, CASE WHEN a.person_key IS NULL THEN a.full_name END, a.score, a.priority, a.status, a.quota, a.person_key
            FROM applicants a JOIN offers o ON o.id = a.offer_id
            WHERE o.year = @year AND o.withdrawn_at IS NULL AND a.priority BETWEEN 1 AND 5
            """, ct))
        {
            command.AddParameter("year", input.CampaignYear);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                input.AddApplication(
                    reader.GetInt64(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : (int)Math.Round(reader.GetDouble(3) * 1000),
                    reader.GetInt32(4), reader.GetString(5), (QuotaKind)reader.GetInt16(6), reader.IsDBNull(7) ? null : reader.GetString(7));
            }
        }

        await transaction.CommitAsync(ct);
        return new SimulationSnapshot(false, newest, running);
    }

    protected override async Task WriteResultsAsync(long runId, SimulationResults results, CancellationToken ct)
    {
        await using (var command = await Db.CreateCommandAsync(
            """
            INSERT INTO simulation_offers (run_id, offer_id, budget_places, general_places, quota1seated, quota2seated, general_seated, cut_off, competing)
            VALUES (@r, @o, @b, @g, @q1, @q2, @gs, @c, @n)
            """, ct))
        {
            var p = Parameters(command, "r", "o", "b", "g", "q1", "q2", "gs", "c", "n");
            p[0].Value = runId;
            foreach (var o in results.Offers)
            {
                Bind(p, 1, o.OfferId, o.BudgetPlaces, o.GeneralPlaces, o.Quota1Seated, o.Quota2Seated, o.GeneralSeated, o.CutOff is { } c ? (double)c : null, o.Competing);
                await command.ExecuteNonQueryAsync(ct);
            }
        }

        await using (var command = await Db.CreateCommandAsync(
            """
            INSERT INTO simulation_applications (run_id, offer_id, position, priority, outcome, seat, place, held_offer_id, held_priority)
            VALUES (@r, @o, @p, @pr, @out, @s, @pl, @h, @hp)
            """, ct))
        {
            var p = Parameters(command, "r", "o", "p", "pr", "out", "s", "pl", "h", "hp");
            p[0].Value = runId;
            foreach (var a in results.Applications)
            {
                Bind(p, 1, a.OfferId, a.Position, a.Priority, (short)a.Outcome, (short)a.Seat, a.Place, a.HeldOfferId, a.HeldPriority);
                await command.ExecuteNonQueryAsync(ct);
            }
        }
    }

    private static DbParameter[] Parameters(DbCommand command, params string[] names) =>
        [.. names.Select(name => command.AddParameter(name, null))];

    private static void Bind(DbParameter[] parameters, int from, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            parameters[from + i].Value = values[i] ?? DBNull.Value;
        }
    }
}
