namespace Abitly.Domain.OpenDays;

/// <summary>Resolves the configured time zone, accepting both spellings of Kyiv's IANA id.</summary>
public static class OpenDayZone
{
    /// <summary>The current IANA id for Kyiv.</summary>
    public const string Kyiv = "Europe/Kyiv";

    /// <summary>The older IANA id that tz databases before 2022 only know.</summary>
    public const string Kiev = "Europe/Kiev";

    /// <summary>Finds the zone by id, then by the other Kyiv spelling; throws <see cref="TimeZoneNotFoundException"/> naming both when neither exists.</summary>
    public static TimeZoneInfo Resolve(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var trimmed = id.Trim();
        if (TryFind(trimmed, out var zone))
        {
            return zone;
        }

        string? alternative = null;
        if (string.Equals(trimmed, Kyiv, StringComparison.OrdinalIgnoreCase))
        {
            alternative = Kiev;
        }
        else if (string.Equals(trimmed, Kiev, StringComparison.OrdinalIgnoreCase))
        {
            alternative = Kyiv;
        }

        if (alternative is not null && TryFind(alternative, out zone))
        {
            return zone;
        }

        var tried = alternative is null ? $"'{trimmed}'" : $"'{trimmed}' or '{alternative}'";
        throw new TimeZoneNotFoundException($"Time zone {tried} was not found on this machine; set TIMEZONE to an IANA id such as {Kyiv}.");
    }

    private static bool TryFind(string id, out TimeZoneInfo zone) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone!);
}
