namespace Abitly.Bot.Data;

/// <summary>A (user, open day) pair whose filters match (DESIGN.md §7.4).</summary>
public sealed record OpenDayMatch(long TelegramUserId, int OpenDayId);

/// <summary>
/// Every non-blocked user whose filters match an open day edited within a UTC range, in one SQL query; the pure
/// <c>FilterMatching.UserMatchesOpenDay</c> is its specification. Both providers run the same SQL (PostgreSQL with its JIT off, see <see cref="Database.Tuned"/>).
/// </summary>
public interface IOpenDayMatchQuery
{
    Task<IReadOnlyList<OpenDayMatch>> FindAsync(DateTime fromUtc, DateTime toUtc, CancellationToken ct);
}

/// <summary>The query both providers run, and the reading of its rows.</summary>
public sealed class OpenDayMatchQuery(AbitlyDbContext db) : IOpenDayMatchQuery
{
    // Driven by the filter rows, never users × days: a pair is a candidate only when one of the user's filters names the
    // day's university or speciality. Then, per DESIGN.md §7.4:
    //   university filter hit → the speciality dimension must be unset or contain the day's speciality (NULL never does);
    //   speciality filter hit → only for users without a university filter (with one, the first branch decides).
    // The branches are disjoint and each yields a (user, day) once (primary keys), so UNION ALL needs no DISTINCT.
    internal const string Sql =
        """
        WITH days AS (
            SELECT id, university_id, speciality_id FROM open_days WHERE updated_at >= @from AND updated_at < @to
        ), matches AS (
            SELECT fu.telegram_user_id AS user_id, d.id AS open_day_id
            FROM filter_universities fu JOIN days d ON d.university_id = fu.university_id
            WHERE NOT EXISTS (SELECT 1 FROM filter_specialities fs WHERE fs.telegram_user_id = fu.telegram_user_id)
               OR EXISTS (SELECT 1 FROM filter_specialities fs WHERE fs.telegram_user_id = fu.telegram_user_id AND fs.speciality_id = d.speciality_id)
            UNION ALL
            SELECT fs.telegram_user_id, d.id
            FROM filter_specialities fs JOIN days d ON d.speciality_id = fs.speciality_id
            WHERE NOT EXISTS (SELECT 1 FROM filter_universities fu WHERE fu.telegram_user_id = fs.telegram_user_id)
        )
        SELECT m.user_id, m.open_day_id
        FROM matches m JOIN telegram_users u ON u.id = m.user_id
        WHERE u.blocked_at IS NULL
        ORDER BY m.open_day_id, m.user_id
        """;

    private AbitlyDbContext Db { get; } = db;

    public async Task<IReadOnlyList<OpenDayMatch>> FindAsync(DateTime fromUtc, DateTime toUtc, CancellationToken ct)
    {
        await using var command = await Db.CreateCommandAsync(Sql, ct);
        command.AddParameter("from", fromUtc);
        command.AddParameter("to", toUtc);
        var matches = new List<OpenDayMatch>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            matches.Add(new OpenDayMatch(reader.GetInt64(0), reader.GetInt32(1)));
        }

        return matches;
    }
}
