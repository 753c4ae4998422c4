using Abitly.Bot.Data;
using Abitly.Domain.Filters;

namespace Abitly.Bot.Services;

/// <summary>One university (by short name) or speciality (by code and name) as filters show it.</summary>
public sealed record FilterChoice(int Id, string Code, string? Name);

/// <summary>The user's current filters, sorted.</summary>
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

/// <summary>The universities and specialities a user wants open-day updates about.</summary>
public sealed class FilterService(FilterStore store)
{
    public async Task<FilterSet> GetAsync(long telegramUserId, CancellationToken ct)
    {
        var universities = await store.ChosenAsync(telegramUserId, FilterDimension.University, ct);
        var specialities = await store.ChosenAsync(telegramUserId, FilterDimension.Speciality, ct);
        return new FilterSet(
            [.. universities.OrderBy(u => u.Code, StringComparer.CurrentCulture).Select(u => new FilterChoice(u.Id, u.Code, null))],
            [.. specialities.OrderBy(s => s.Code, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).Select(s => new FilterChoice(s.Id, s.Code, s.Name))]);
    }

    /// <summary>
    /// Universities by name or short name, specialities by code or name; case-insensitive, at most 8. Matched in memory:
    /// the lists are a few hundred rows, and PostgreSQL's lower()/ILIKE fold Cyrillic only under a non-C collation.
    /// </summary>
    public async Task<IReadOnlyList<FilterChoice>> SearchAsync(FilterDimension dimension, string query, CancellationToken ct)
    {
        bool Has(string value) => value.Contains(query, StringComparison.CurrentCultureIgnoreCase);
        var options = await store.OptionsAsync(dimension, ct);
        if (dimension == FilterDimension.University)
        {
            return [.. options
                .Where(u => Has(u.Code) || Has(u.Name))
                .OrderBy(u => u.Code.StartsWith(query, StringComparison.CurrentCultureIgnoreCase) ? 0 : 1)
                .ThenBy(u => u.Code, StringComparer.CurrentCulture)
                .Take(FilterQuery.MaxResults)
                .Select(u => new FilterChoice(u.Id, u.Code, null))];
        }

        return [.. options
            .Where(s => Has(s.Code) || Has(s.Name))
            .OrderBy(s => s.Code.Equals(query, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(s => s.Code, StringComparer.Ordinal)
            .Take(FilterQuery.MaxResults)
            .Select(s => new FilterChoice(s.Id, s.Code, s.Name))];
    }

    /// <summary>Adds a filter and returns it; null when the university or speciality no longer exists. Adding twice is harmless.</summary>
    public async Task<FilterChoice?> AddAsync(long telegramUserId, FilterDimension dimension, int id, CancellationToken ct)
    {
        if (!await store.AddAsync(telegramUserId, dimension, id, ct))
        {
            return null;
        }

        var current = await GetAsync(telegramUserId, ct);
        return (dimension == FilterDimension.University ? current.Universities : current.Specialities).FirstOrDefault(c => c.Id == id);
    }

    public Task RemoveAsync(long telegramUserId, FilterDimension dimension, int id, CancellationToken ct) =>
        store.RemoveAsync(telegramUserId, dimension, id, ct);

    public Task ClearAsync(long telegramUserId, CancellationToken ct) => store.ClearAsync(telegramUserId, ct);
}
