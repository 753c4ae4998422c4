using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Data;

/// <summary>An open day as lists, reminders and updates read it; times in UTC, speciality as stored.</summary>
public sealed record OpenDayRecord(
    int Id,
    string Title,
    string? Description,
    string University,
    string? SpecialityCode,
    string? SpecialityName,
    DateTime StartsAtUtc,
    string? Location,
    string? Url);

/// <summary>An open day in a user's list, with whether they follow it.</summary>
public sealed record OpenDayListRecord(OpenDayRecord Day, bool Followed);

/// <summary>A followed open day and its follower (the daily reminders' input).</summary>
public sealed record FollowedOpenDay(long TelegramUserId, OpenDayRecord Day);

/// <summary><c>open_days</c> and <c>monitoring</c>: upcoming lists, follows, and the days the fan-outs need.</summary>
public sealed class OpenDayStore(AbitlyDbContext db, TimeProvider time)
{
    public Task<int> CountUpcomingAsync(DateTime fromUtc, CancellationToken ct) =>
        db.OpenDays.CountAsync(o => o.StartsAt >= fromUtc, ct);

    /// <summary>Open days from <paramref name="fromUtc"/> on, soonest first, one page.</summary>
    public Task<List<OpenDayListRecord>> UpcomingAsync(long telegramUserId, DateTime fromUtc, int skip, int take, CancellationToken ct) =>
        Listed(db.OpenDays.AsNoTracking().Where(o => o.StartsAt >= fromUtc).OrderBy(o => o.StartsAt).ThenBy(o => o.Id).Skip(skip).Take(take), telegramUserId)
            .ToListAsync(ct);

    /// <summary>The user's followed open days from <paramref name="fromUtc"/> on, soonest first.</summary>
    public Task<List<OpenDayListRecord>> FollowedAsync(long telegramUserId, DateTime fromUtc, CancellationToken ct) =>
        Listed(db.OpenDays.AsNoTracking()
                .Where(o => o.StartsAt >= fromUtc && db.Monitoring.Any(m => m.TelegramUserId == telegramUserId && m.OpenDayId == o.Id))
                .OrderBy(o => o.StartsAt).ThenBy(o => o.Id), telegramUserId)
            .ToListAsync(ct);

    public Task<bool> ExistsAsync(int openDayId, CancellationToken ct) => db.OpenDays.AnyAsync(o => o.Id == openDayId, ct);

    /// <summary>Adds the monitoring row unless it exists; false when the open day does not exist (never an FK error).</summary>
    public async Task<bool> FollowAsync(long telegramUserId, int openDayId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // ON CONFLICT: a double press, or a replayed update after a crash, is not an error inside the update's transaction.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO monitoring (telegram_user_id, open_day_id, created_at)
            SELECT {telegramUserId}, o.id, {now} FROM open_days o WHERE o.id = {openDayId}
            ON CONFLICT DO NOTHING
            """, ct);
        return await ExistsAsync(openDayId, ct);
    }

    /// <summary>Removes the monitoring row; false when the open day does not exist.</summary>
    public async Task<bool> UnfollowAsync(long telegramUserId, int openDayId, CancellationToken ct)
    {
        await db.Monitoring.Where(m => m.TelegramUserId == telegramUserId && m.OpenDayId == openDayId).ExecuteDeleteAsync(ct);
        return await ExistsAsync(openDayId, ct);
    }

    /// <summary>Followed open days starting in any of the UTC ranges, for users who have not blocked the bot.</summary>
    /// <remarks>
    /// Two narrow reads instead of one wide join: the few open days once, then only (user, open day) pairs, so 100,000
    /// follows do not each carry the day's texts; every follow of a day shares that day's one record. Plain SQL, the same
    /// on both providers: the daily job is often the first thing a fresh process asks, and EF's LINQ pipeline would cost it
    /// thousands of methods compiled (about half a second) before its first row, and a shaper call for each of the 100,000.
    /// </remarks>
    public async Task<List<FollowedOpenDay>> FollowedStartingWithinAsync(
        (DateTime From, DateTime To) first, (DateTime From, DateTime To) second, CancellationToken ct)
    {
        var days = new Dictionary<int, OpenDayRecord>();
        await using (var command = await db.CreateCommandAsync(
            """
            SELECT o.id, o.title, o.description, u.short_name, s.code, s.name, o.starts_at, o.location, o.url
            FROM open_days o
            JOIN universities u ON u.id = o.university_id
            LEFT JOIN specialities s ON s.id = o.speciality_id
            WHERE (o.starts_at >= @from1 AND o.starts_at < @to1) OR (o.starts_at >= @from2 AND o.starts_at < @to2)
            """, ct))
        {
            command.AddParameter("from1", first.From);
            command.AddParameter("to1", first.To);
            command.AddParameter("from2", second.From);
            command.AddParameter("to2", second.To);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                string? Text(int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
                var day = new OpenDayRecord(reader.GetInt32(0), reader.GetString(1), Text(2), reader.GetString(3), Text(4), Text(5),
                    reader.GetDateTime(6), Text(7), Text(8));
                days.Add(day.Id, day);
            }
        }

        var followed = new List<FollowedOpenDay>();
        if (days.Count == 0)
        {
            return followed;
        }

        var ids = days.Keys.ToArray();
        await using var follows = await db.CreateCommandAsync(
            $"""
            SELECT m.telegram_user_id, m.open_day_id
            FROM monitoring m JOIN telegram_users u ON u.id = m.telegram_user_id
            WHERE u.blocked_at IS NULL AND m.open_day_id IN ({string.Join(", ", ids.Select((_, i) => "@day" + i.ToString(CultureInfo.InvariantCulture)))})
            """, ct);
        for (var i = 0; i < ids.Length; i++)
        {
            follows.AddParameter("day" + i.ToString(CultureInfo.InvariantCulture), ids[i]);
        }

        await using var rows = await follows.ExecuteReaderAsync(ct);
        while (await rows.ReadAsync(ct))
        {
            followed.Add(new FollowedOpenDay(rows.GetInt64(0), days[rows.GetInt32(1)]));
        }

        return followed;
    }

    /// <summary>Open days edited within [from, to).</summary>
    public Task<List<OpenDayRecord>> UpdatedWithinAsync(DateTime fromUtc, DateTime toUtc, CancellationToken ct) =>
        Records(db.OpenDays.AsNoTracking().Where(o => o.UpdatedAt >= fromUtc && o.UpdatedAt < toUtc)).ToListAsync(ct);

    private static IQueryable<OpenDayRecord> Records(IQueryable<OpenDay> days) =>
        days.Select(o => new OpenDayRecord(
            o.Id, o.Title, o.Description, o.University.ShortName,
            o.Speciality == null ? null : o.Speciality.Code, o.Speciality == null ? null : o.Speciality.Name,
            o.StartsAt, o.Location, o.Url));

    private IQueryable<OpenDayListRecord> Listed(IQueryable<OpenDay> days, long telegramUserId) =>
        days.Select(o => new OpenDayListRecord(
            new OpenDayRecord(
                o.Id, o.Title, o.Description, o.University.ShortName,
                o.Speciality == null ? null : o.Speciality.Code, o.Speciality == null ? null : o.Speciality.Name,
                o.StartsAt, o.Location, o.Url),
            db.Monitoring.Any(m => m.TelegramUserId == telegramUserId && m.OpenDayId == o.Id)));
}
