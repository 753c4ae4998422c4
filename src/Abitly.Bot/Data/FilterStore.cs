using Abitly.Domain.Filters;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Data;

/// <summary>A university or speciality a filter can name: id, the short name or code, and the full name.</summary>
public sealed record FilterOption(int Id, string Code, string Name);

/// <summary><c>filter_universities</c> and <c>filter_specialities</c>, and the choices they can hold.</summary>
public sealed class FilterStore(AbitlyDbContext db)
{
    /// <summary>The user's filters of one dimension.</summary>
    public Task<List<FilterOption>> ChosenAsync(long telegramUserId, FilterDimension dimension, CancellationToken ct) =>
        dimension == FilterDimension.University
            ? db.FilterUniversities.AsNoTracking().Where(f => f.TelegramUserId == telegramUserId)
                .Join(db.Universities, f => f.UniversityId, u => u.Id, (_, u) => new FilterOption(u.Id, u.ShortName, u.Name)).ToListAsync(ct)
            : db.FilterSpecialities.AsNoTracking().Where(f => f.TelegramUserId == telegramUserId)
                .Join(db.Specialities, f => f.SpecialityId, s => s.Id, (_, s) => new FilterOption(s.Id, s.Code, s.Name)).ToListAsync(ct);

    /// <summary>Every university or speciality (a few hundred rows).</summary>
    public Task<List<FilterOption>> OptionsAsync(FilterDimension dimension, CancellationToken ct) =>
        dimension == FilterDimension.University
            ? db.Universities.AsNoTracking().Select(u => new FilterOption(u.Id, u.ShortName, u.Name)).ToListAsync(ct)
            : db.Specialities.AsNoTracking().Select(s => new FilterOption(s.Id, s.Code, s.Name)).ToListAsync(ct);

    /// <summary>Adds a filter; false when the university or speciality no longer exists. Adding twice is harmless.</summary>
    public async Task<bool> AddAsync(long telegramUserId, FilterDimension dimension, int id, CancellationToken ct)
    {
        // INSERT … SELECT … ON CONFLICT: a missing row inserts nothing and a duplicate is no error inside the update's transaction.
        var inserted = dimension == FilterDimension.University
            ? await db.Database.ExecuteSqlAsync($"""
                INSERT INTO filter_universities (telegram_user_id, university_id)
                SELECT {telegramUserId}, u.id FROM universities u WHERE u.id = {id}
                ON CONFLICT DO NOTHING
                """, ct)
            : await db.Database.ExecuteSqlAsync($"""
                INSERT INTO filter_specialities (telegram_user_id, speciality_id)
                SELECT {telegramUserId}, s.id FROM specialities s WHERE s.id = {id}
                ON CONFLICT DO NOTHING
                """, ct);
        return inserted > 0 || (dimension == FilterDimension.University
            ? await db.Universities.AnyAsync(u => u.Id == id, ct)
            : await db.Specialities.AnyAsync(s => s.Id == id, ct));
    }

    public Task<int> RemoveAsync(long telegramUserId, FilterDimension dimension, int id, CancellationToken ct) =>
        dimension == FilterDimension.University
            ? db.FilterUniversities.Where(f => f.TelegramUserId == telegramUserId && f.UniversityId == id).ExecuteDeleteAsync(ct)
            : db.FilterSpecialities.Where(f => f.TelegramUserId == telegramUserId && f.SpecialityId == id).ExecuteDeleteAsync(ct);

    public async Task ClearAsync(long telegramUserId, CancellationToken ct)
    {
        await db.FilterUniversities.Where(f => f.TelegramUserId == telegramUserId).ExecuteDeleteAsync(ct);
        await db.FilterSpecialities.Where(f => f.TelegramUserId == telegramUserId).ExecuteDeleteAsync(ct);
    }
}
