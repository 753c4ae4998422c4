using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Domain.OpenDays;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Services;

/// <summary>One open day as a list shows it, with its start already in local time.</summary>
public sealed record OpenDayListItem(
    int Id,
    string Title,
    string University,
    string? Speciality,
    DateTimeOffset StartsAtLocal,
    string? Location,
    string? Url,
    bool Followed);

/// <summary>One page of upcoming open days; <see cref="Page"/> is clamped into [0, <see cref="PageCount"/>).</summary>
public sealed record OpenDayPage(IReadOnlyList<OpenDayListItem> Items, int Page, int PageCount, int Total);

/// <summary>What a follow or unfollow press did.</summary>
public enum FollowOutcome
{
    /// <summary>The monitoring row now matches the request (pressing twice is harmless).</summary>
    Done,

    /// <summary>The open day no longer exists: the button was stale.</summary>
    OpenDayGone,
}

/// <summary>Upcoming open days (from today's local date on) and the user's follows (<c>monitoring</c> rows).</summary>
public sealed class OpenDayService(AbitlyDbContext db, AbitlySettings settings, TimeProvider time)
{
    public const int PageSize = 5;

    private readonly TimeZoneInfo _zone = OpenDayZone.Resolve(settings.TimeZoneId);

    public async Task<OpenDayPage> GetPageAsync(long telegramUserId, int page, CancellationToken ct)
    {
        var from = StartOfTodayUtc();
        var upcoming = db.OpenDays.AsNoTracking().Where(o => o.StartsAt >= from);
        var total = await upcoming.CountAsync(ct);
        var pageCount = Math.Max(1, (total + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 0, pageCount - 1);
        var items = await Project(upcoming.OrderBy(o => o.StartsAt).ThenBy(o => o.Id).Skip(page * PageSize).Take(PageSize), telegramUserId)
            .ToListAsync(ct);
        return new OpenDayPage([.. items.Select(ToLocal)], page, pageCount, total);
    }

    /// <summary>The user's followed open days that have not passed yet, soonest first.</summary>
    public async Task<IReadOnlyList<OpenDayListItem>> GetFollowedAsync(long telegramUserId, CancellationToken ct)
    {
        var from = StartOfTodayUtc();
        var followed = db.OpenDays.AsNoTracking()
            .Where(o => o.StartsAt >= from && db.Monitoring.Any(m => m.TelegramUserId == telegramUserId && m.OpenDayId == o.Id))
            .OrderBy(o => o.StartsAt).ThenBy(o => o.Id);
        var items = await Project(followed, telegramUserId).ToListAsync(ct);
        return [.. items.Select(ToLocal)];
    }

    /// <summary>Adds the monitoring row unless it exists; a deleted open day is reported, never an FK error.</summary>
    public async Task<FollowOutcome> FollowAsync(long telegramUserId, int openDayId, CancellationToken ct)
    {
        if (!await db.OpenDays.AnyAsync(o => o.Id == openDayId, ct))
        {
            return FollowOutcome.OpenDayGone;
        }

        var now = time.GetUtcNow().UtcDateTime;
        // ON CONFLICT: a double press, or a replayed update after a crash, is not an error inside the update's transaction.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO monitoring (telegram_user_id, open_day_id, created_at)
            SELECT {telegramUserId}, o.id, {now} FROM open_days o WHERE o.id = {openDayId}
            ON CONFLICT DO NOTHING
            """, ct);
        return FollowOutcome.Done;
    }

    public async Task<FollowOutcome> UnfollowAsync(long telegramUserId, int openDayId, CancellationToken ct)
    {
        await db.Monitoring.Where(m => m.TelegramUserId == telegramUserId && m.OpenDayId == openDayId).ExecuteDeleteAsync(ct);
        return await db.OpenDays.AnyAsync(o => o.Id == openDayId, ct) ? FollowOutcome.Done : FollowOutcome.OpenDayGone;
    }

    private DateTime StartOfTodayUtc() =>
        OpenDayCalendar.StartOfDayUtc(OpenDayCalendar.LocalToday(time.GetUtcNow(), _zone), _zone).UtcDateTime;

    private IQueryable<OpenDayRow> Project(IQueryable<OpenDay> openDays, long telegramUserId) =>
        openDays.Select(o => new OpenDayRow(
            o.Id,
            o.Title,
            o.University.ShortName,
            o.Speciality == null ? null : o.Speciality.Code + " " + o.Speciality.Name,
            o.StartsAt,
            o.Location,
            o.Url,
            db.Monitoring.Any(m => m.TelegramUserId == telegramUserId && m.OpenDayId == o.Id)));

    private OpenDayListItem ToLocal(OpenDayRow row) => new(
        row.Id,
        row.Title,
        row.University,
        row.Speciality,
        TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(row.StartsAtUtc, DateTimeKind.Utc)), _zone),
        row.Location,
        row.Url,
        row.Followed);

    private sealed record OpenDayRow(
        int Id, string Title, string University, string? Speciality, DateTime StartsAtUtc, string? Location, string? Url, bool Followed);
}
