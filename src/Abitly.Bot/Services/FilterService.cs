using Abitly.Bot.Data;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Services;

/// <summary>Which filter dimension a dialog or a button is about.</summary>
public enum FilterDimension
{
    University,
    Speciality,
}

/// <summary>One university or speciality as filters show it.</summary>
public sealed record FilterChoice(int Id, string Label);

/// <summary>The user's current filters, labels sorted.</summary>
public sealed record FilterSet(IReadOnlyList<FilterChoice> Universities, IReadOnlyList<FilterChoice> Specialities)
{
    public bool IsEmpty => Universities.Count == 0 && Specialities.Count == 0;
}

/// <summary>A search text after the dialog's limits: too short, or the query to run.</summary>
public sealed record FilterQuery(string? Text)
{
    public const int MinLength = 2;
    public const int MaxLength = 100;
    public const int MaxResults = 8;

    public bool TooShort => Text is null;

    /// <summary>Trims; fewer than 2 characters is too short; more than 100 is cut to 100 (names are far shorter).</summary>
    public static FilterQuery From(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var text = raw.Trim();
        if (text.Length > MaxLength)
        {
            text = text[..MaxLength].TrimEnd();
        }

        return new FilterQuery(text.Length < MinLength ? null : text);
    }
}

/// <summary>The universities and specialities a user wants open-day updates about (filter_universities, filter_specialities).</summary>
public sealed class FilterService(AbitlyDbContext db)
{
    public async Task<FilterSet> GetAsync(long telegramUserId, CancellationToken ct)
    {
        var universities = await db.FilterUniversities.AsNoTracking()
            .Where(f => f.TelegramUserId == telegramUserId)
            .Join(db.Universities, f => f.UniversityId, u => u.Id, (_, u) => new FilterChoice(u.Id, u.ShortName))
            .ToListAsync(ct);
        var specialities = await db.FilterSpecialities.AsNoTracking()
            .Where(f => f.TelegramUserId == telegramUserId)
            .Join(db.Specialities, f => f.SpecialityId, s => s.Id, (_, s) => new FilterChoice(s.Id, s.Code + " " + s.Name))
            .ToListAsync(ct);
        return new FilterSet(
            [.. universities.OrderBy(c => c.Label, StringComparer.CurrentCulture)],
            [.. specialities.OrderBy(c => c.Label, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Universities by name or short name, specialities by code or name; case-insensitive, at most 8.
    /// Matched in memory: the lists are a few hundred rows, and PostgreSQL's lower()/ILIKE fold Cyrillic only under a
    /// non-C collation, which this code cannot assume.
    /// </summary>
    public async Task<IReadOnlyList<FilterChoice>> SearchAsync(FilterDimension dimension, string query, CancellationToken ct)
    {
        bool Has(string value) => value.Contains(query, StringComparison.CurrentCultureIgnoreCase);
        if (dimension == FilterDimension.University)
        {
            var universities = await db.Universities.AsNoTracking().ToListAsync(ct);
            return [.. universities
                .Where(u => Has(u.ShortName) || Has(u.Name))
                .OrderBy(u => u.ShortName.StartsWith(query, StringComparison.CurrentCultureIgnoreCase) ? 0 : 1)
                .ThenBy(u => u.ShortName, StringComparer.CurrentCulture)
                .Take(FilterQuery.MaxResults)
                .Select(u => new FilterChoice(u.Id, u.ShortName))];
        }

        var specialities = await db.Specialities.AsNoTracking().ToListAsync(ct);
        return [.. specialities
            .Where(s => Has(s.Code) || Has(s.Name))
            .OrderBy(s => s.Code.Equals(query, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(s => s.Code, StringComparer.Ordinal)
            .Take(FilterQuery.MaxResults)
            .Select(s => new FilterChoice(s.Id, s.Code + " " + s.Name))];
    }

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

    public async Task RemoveAsync(long telegramUserId, FilterDimension dimension, int id, CancellationToken ct)
    {
        if (dimension == FilterDimension.University)
        {
            await db.FilterUniversities.Where(f => f.TelegramUserId == telegramUserId && f.UniversityId == id).ExecuteDeleteAsync(ct);
        }
        else
        {
            await db.FilterSpecialities.Where(f => f.TelegramUserId == telegramUserId && f.SpecialityId == id).ExecuteDeleteAsync(ct);
        }
    }

    public async Task ClearAsync(long telegramUserId, CancellationToken ct)
    {
        await db.FilterUniversities.Where(f => f.TelegramUserId == telegramUserId).ExecuteDeleteAsync(ct);
        await db.FilterSpecialities.Where(f => f.TelegramUserId == telegramUserId).ExecuteDeleteAsync(ct);
    }
}
