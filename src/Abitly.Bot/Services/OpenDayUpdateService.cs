using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Rendering;
using Abitly.Domain.OpenDays;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Services;

/// <summary>A (user, open day) pair whose filters match (DESIGN.md §7.4).</summary>
public sealed record OpenDayMatch(long TelegramUserId, int OpenDayId);

/// <summary>An updated open day as its update message shows it.</summary>
public sealed record OpenDayUpdateItem(
    int Id,
    string Title,
    string? Description,
    string University,
    string? Speciality,
    DateTimeOffset StartsAtLocal,
    string? Location,
    string? Url);

/// <summary>One update message to send: recorded in notification_log before sending.</summary>
public sealed record OpenDayUpdateMessage(long TelegramUserId, int OpenDayId, string Html);

/// <summary>What today's update fan-out found: updated days, all matches, and the messages not sent before today.</summary>
public sealed record OpenDayUpdatePlan(DateOnly Today, int UpdatedDays, int Matched, IReadOnlyList<OpenDayUpdateMessage> Messages);

/// <summary>
/// /notifyOpenDaysUpdate: open days whose updated_at falls on today's local date, and the users whose filters match
/// them, found in one SQL query (the pure <c>FilterMatching.UserMatchesOpenDay</c> is its specification).
/// </summary>
public sealed class OpenDayUpdateService(AbitlyDbContext db, NotificationClaims claims, AbitlySettings settings, TimeProvider time)
{
    /// <summary>The notification_log kind; ref_id is the open day id, for_date today's local date.</summary>
    public const string LogKind = "open_day_update";

    // Driven by the filter rows, never users × days: a pair is a candidate only when one of the user's filters names the
    // day's university or speciality. Then, per DESIGN.md §7.4:
    //   university filter hit → the speciality dimension must be unset or contain the day's speciality (NULL never does);
    //   speciality filter hit → only for users without a university filter (with one, the first branch decides).
    // The branches are disjoint and each yields a (user, day) once (primary keys), so UNION ALL needs no DISTINCT.
    internal const string MatchSql =
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

    private readonly TimeZoneInfo _zone = OpenDayZone.Resolve(settings.TimeZoneId);

    public DateOnly Today() => OpenDayCalendar.LocalToday(time.GetUtcNow(), _zone);

    /// <summary>Every non-blocked user whose filters match an open day updated on <paramref name="today"/> (local date).</summary>
    public async Task<IReadOnlyList<OpenDayMatch>> FindMatchesAsync(DateOnly today, CancellationToken ct)
    {
        var (from, to) = OpenDayCalendar.LocalDayRangeUtc(today, 1, _zone);
        if (db.Database.IsNpgsql())
        {
            // JIT compiling this plan costs more than running it (≈0.6 s of 1 s at 50,000 users in the benchmark).
            // Session-level, on this scope's connection only; Npgsql resets it when the connection goes back to the pool.
            await using var noJit = await db.CreateCommandAsync("SET jit = off", ct);
            await noJit.ExecuteNonQueryAsync(ct);
        }

        // Plain SQL that PostgreSQL and SQLite both run.
        await using var command = await db.CreateCommandAsync(MatchSql, ct);
        command.AddParameter("from", from.UtcDateTime);
        command.AddParameter("to", to.UtcDateTime);

        var matches = new List<OpenDayMatch>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            matches.Add(new OpenDayMatch(reader.GetInt64(0), reader.GetInt32(1)));
        }

        return matches;
    }

    /// <summary>Finds today's matches, renders them and claims them in notification_log; only pairs not sent before today come back.</summary>
    public async Task<OpenDayUpdatePlan> PrepareAsync(CancellationToken ct)
    {
        var today = Today();
        var (fromUtc, toUtc) = OpenDayCalendar.LocalDayRangeUtc(today, 1, _zone);
        var from = fromUtc.UtcDateTime;
        var to = toUtc.UtcDateTime;
        var days = await db.OpenDays.AsNoTracking()
            .Where(o => o.UpdatedAt >= from && o.UpdatedAt < to)
            .Select(o => new
            {
                o.Id,
                o.Title,
                o.Description,
                University = o.University.ShortName,
                Speciality = o.Speciality == null ? null : o.Speciality.Code + " " + o.Speciality.Name,
                o.StartsAt,
                o.Location,
                o.Url,
            })
            .ToDictionaryAsync(o => o.Id, ct);
        if (days.Count == 0)
        {
            return new OpenDayUpdatePlan(today, 0, 0, []);
        }

        var texts = days.Values.ToDictionary(d => d.Id, d => Texts.OpenDayUpdate(new OpenDayUpdateItem(
            d.Id, d.Title, d.Description, d.University, d.Speciality,
            TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(d.StartsAt, DateTimeKind.Utc)), _zone), d.Location, d.Url)));
        // A day edited between the two queries may match without being loaded; it is left for the next run.
        var matches = (await FindMatchesAsync(today, ct)).Where(m => texts.ContainsKey(m.OpenDayId)).ToList();
        var claimed = await ClaimAsync(matches, today, ct);
        return new OpenDayUpdatePlan(today, days.Count, matches.Count,
            [.. claimed.Select(m => new OpenDayUpdateMessage(m.TelegramUserId, m.OpenDayId, texts[m.OpenDayId]))]);
    }

    /// <summary>Claims the pairs in notification_log before sending; pairs logged earlier today are left out.</summary>
    private async Task<IReadOnlyList<OpenDayMatch>> ClaimAsync(List<OpenDayMatch> matches, DateOnly today, CancellationToken ct)
    {
        var claimed = await claims.ClaimAsync([.. matches.Select(Key)], today, ct);
        return [.. matches.Where(m => claimed.Contains(Key(m)))];
    }

    /// <summary>Deletes the log rows of messages that did not go out, so a later run today may send them.</summary>
    public Task ReleaseAsync(IReadOnlyCollection<OpenDayMatch> unsent, DateOnly today, CancellationToken ct) =>
        claims.ReleaseAsync([.. unsent.Select(Key)], today, ct);

    private static NotificationKey Key(OpenDayMatch match) => new(match.TelegramUserId, LogKind, match.OpenDayId);
}
