using System.Data;
using Abitly.Domain.Allocation;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Data.Simulation;

/// <summary>Who is asking about their own application: the forms their stored name may take on a list, and their scores.</summary>
/// <param name="NameForms">Stored forms of the name («Демченко О.»), each matching «Демченко О.» and «Демченко О. …» on a list.</param>
/// <param name="Scores">Their competitive scores at the offer (for priorities 1–2 and for the others; one when they are equal).</param>
public sealed record OwnApplicationKey(IReadOnlyList<string> NameForms, IReadOnlyList<decimal> Scores);

/// <summary>The newest finished simulation of a year with what it says about one offer, in one row.</summary>
public sealed record SimulationStandingRow(
    long RunId,
    long ImportRunId,
    SimulationRunStatus Status,
    SimulationHiddenReason HiddenReason,
    double? MatchedShare,
    double? FormulaShare,
    DateTime? TakenAtUtc,
    long NewestImportRunId,
    long? OfferImportRunId,
    SimulationOffer? Offer,
    SimulationApplication? Own,
    string? HeldOfferLabel);

/// <summary>The offer view's and the alerts' read of the simulation: one indexed query per offer.</summary>
public sealed class SimulationQueries(AbitlyDbContext db)
{
    // The newest finished run of the year (shown or not), its result for the offer, and the asker's own application:
    // found on the current list by name and score, then by its position in the run's results. The newest import run
    // that changed anything is looked for among the runs after the simulated one only (a short range of the key).
    private const string Sql =
        """
        SELECT r.id, r.import_run_id, r.status, r.hidden_reason, r.matched_share, r.formula_share, r.taken_at,
               (SELECT max(i.id) FROM import_runs i WHERE i.id >= r.import_run_id AND i.campaign_year = @year AND i.status = 1
                  AND i.offers_added + i.offers_changed + i.offers_withdrawn > 0),
               (SELECT x.import_run_id FROM offers x WHERE x.id = @offer),
               o.offer_id, o.budget_places, o.general_places, o.quota1seated, o.quota2seated, o.general_seated, o.cut_off, o.competing,
               m.position, m.priority, m.outcome, m.seat, m.place, m.held_offer_id, m.held_priority,
               hu.short_name, hs.code, ho.program_name
        FROM simulation_runs r
        LEFT JOIN simulation_offers o ON o.run_id = r.id AND o.offer_id = @offer
        LEFT JOIN simulation_applications m ON m.run_id = r.id AND m.offer_id = @offer AND m.position IN (
            SELECT a.position FROM applicants a
            WHERE a.offer_id = @offer AND a.score IN (@s1, @s2)
              AND (a.full_name = @n1 OR a.full_name LIKE @l1 ESCAPE '\' OR a.full_name = @n2 OR a.full_name LIKE @l2 ESCAPE '\'))
        LEFT JOIN offers ho ON ho.id = m.held_offer_id
        LEFT JOIN universities hu ON hu.id = ho.university_id
        LEFT JOIN specialities hs ON hs.id = ho.speciality_id
        WHERE r.campaign_year = @year AND r.status IN (1, 2)
        ORDER BY r.id DESC, m.position
        LIMIT 1
        """;

    /// <summary>The row, or null when the year has no finished simulation.</summary>
    public async Task<SimulationStandingRow?> StandingAsync(int year, long offerId, OwnApplicationKey? own, CancellationToken ct)
    {
        await using var command = await db.CreateCommandAsync(Sql, ct);
        var sqlite = db.Database.IsSqlite();
        command.AddParameter("year", year);
        command.AddParameter("offer", offerId);
        for (var i = 0; i < 2; i++)
        {
            var score = own is { Scores.Count: > 0 } ? own.Scores[Math.Min(i, own.Scores.Count - 1)] : (decimal?)null;
            // SQLite keeps scores as REAL: compare a double with them, not the decimal's text.
            var parameter = command.AddParameter("s" + (i + 1), sqlite ? (double?)score : score);
            parameter.DbType = sqlite ? DbType.Double : DbType.Decimal;
            var name = own is { NameForms.Count: > 0 } ? own.NameForms[Math.Min(i, own.NameForms.Count - 1)] : null;
            command.AddParameter("n" + (i + 1), name).DbType = DbType.String;
            command.AddParameter("l" + (i + 1), name is null ? null : EscapeLike(name) + " %").DbType = DbType.String;
        }

        // Every offer view runs it: prepared once per pooled connection, PostgreSQL stops planning its joins each time.
        await command.PrepareAsync(ct);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var runId = reader.GetInt64(0);
        var importRunId = reader.GetInt64(1);
        var offer = reader.IsDBNull(9) ? null : new SimulationOffer
        {
            RunId = runId,
            OfferId = reader.GetInt64(9),
            BudgetPlaces = reader.IsDBNull(10) ? null : reader.GetInt32(10),
            GeneralPlaces = reader.GetInt32(11),
            Quota1Seated = reader.GetInt32(12),
            Quota2Seated = reader.GetInt32(13),
            GeneralSeated = reader.GetInt32(14),
            CutOff = reader.IsDBNull(15) ? null : reader.GetDecimal(15),
            Competing = reader.GetInt32(16),
        };
        var mine = reader.IsDBNull(17) ? null : new SimulationApplication
        {
            RunId = runId,
            OfferId = offerId,
            Position = reader.GetInt32(17),
            Priority = reader.GetInt16(18),
            Outcome = (SimulatedOutcome)reader.GetInt16(19),
            Seat = (AllocationSeat)reader.GetInt16(20),
            Place = reader.GetInt32(21),
            HeldOfferId = reader.IsDBNull(22) ? null : reader.GetInt64(22),
            HeldPriority = reader.IsDBNull(23) ? null : reader.GetInt16(23),
        };
        var label = reader.IsDBNull(24) ? null : $"{reader.GetString(24)}, {reader.GetString(25)} {reader.GetString(26)}";
        return new SimulationStandingRow(
            runId, importRunId, (SimulationRunStatus)reader.GetInt16(2), (SimulationHiddenReason)reader.GetInt16(3),
            reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.IsDBNull(5) ? null : reader.GetDouble(5),
            reader.IsDBNull(6) ? null : DateTime.SpecifyKind(reader.GetDateTime(6), DateTimeKind.Utc),
            reader.IsDBNull(7) ? importRunId : reader.GetInt64(7), reader.IsDBNull(8) ? null : reader.GetInt64(8),
            offer, mine, label);
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
