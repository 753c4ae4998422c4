using Abitly.Bot.Data;

namespace Abitly.Bot.Services;

/// <summary>
/// One open day as every message shows it (the list, the reminder, the update): start in local time, speciality as code
/// and name. <see cref="Followed"/> is null where following does not matter.
/// </summary>
public sealed record OpenDayCard(
    int Id,
    string Title,
    string? Description,
    string University,
    string? SpecialityCode,
    string? SpecialityName,
    DateTimeOffset StartsAtLocal,
    string? Location,
    string? Url,
    bool? Followed = null);

/// <summary>One page of upcoming open days; <see cref="Page"/> is clamped into [0, <see cref="PageCount"/>).</summary>
public sealed record OpenDayPage(IReadOnlyList<OpenDayCard> Items, int Page, int PageCount, int Total);

/// <summary>What a follow or unfollow press did.</summary>
public enum FollowOutcome
{
    /// <summary>The monitoring row now matches the request (pressing twice is harmless).</summary>
    Done,

    /// <summary>The open day no longer exists: the button was stale.</summary>
    OpenDayGone,
}

/// <summary>Upcoming open days (from today's local date on) and the user's follows.</summary>
public sealed class OpenDayService(OpenDayStore store, LocalCalendar calendar)
{
    public const int PageSize = 5;

    public async Task<OpenDayPage> GetPageAsync(long telegramUserId, int page, CancellationToken ct)
    {
        var from = calendar.StartOfTodayUtc();
        var total = await store.CountUpcomingAsync(from, ct);
        var pageCount = Math.Max(1, (total + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 0, pageCount - 1);
        var items = await store.UpcomingAsync(telegramUserId, from, page * PageSize, PageSize, ct);
        return new OpenDayPage([.. items.Select(i => Card(i.Day, calendar, i.Followed))], page, pageCount, total);
    }

    /// <summary>The user's followed open days that have not passed yet, soonest first.</summary>
    public async Task<IReadOnlyList<OpenDayCard>> GetFollowedAsync(long telegramUserId, CancellationToken ct)
    {
        var items = await store.FollowedAsync(telegramUserId, calendar.StartOfTodayUtc(), ct);
        return [.. items.Select(i => Card(i.Day, calendar, i.Followed))];
    }

    public async Task<FollowOutcome> FollowAsync(long telegramUserId, int openDayId, CancellationToken ct) =>
        await store.FollowAsync(telegramUserId, openDayId, ct) ? FollowOutcome.Done : FollowOutcome.OpenDayGone;

    public async Task<FollowOutcome> UnfollowAsync(long telegramUserId, int openDayId, CancellationToken ct) =>
        await store.UnfollowAsync(telegramUserId, openDayId, ct) ? FollowOutcome.Done : FollowOutcome.OpenDayGone;

    /// <summary>A stored open day as a card, its start in local time.</summary>
    public static OpenDayCard Card(OpenDayRecord day, LocalCalendar calendar, bool? followed = null)
    {
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(calendar);
        return new(day.Id, day.Title, day.Description, day.University, day.SpecialityCode, day.SpecialityName,
            calendar.ToLocal(day.StartsAtUtc), day.Location, day.Url, followed);
    }
}
