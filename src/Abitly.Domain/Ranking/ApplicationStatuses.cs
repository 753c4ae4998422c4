namespace Abitly.Domain.Ranking;

/// <summary>Reads published application statuses.</summary>
public static class ApplicationStatuses
{
    // Prefixes, because the lists append reasons: «Скасовано (втрата пріоритету)», «Відмова у зарахуванні», «Відмовлено».
    private static readonly string[] InactivePrefixes = ["скасовано", "відмов", "відхилено", "деактивовано"];

    /// <summary>Whether an application still competes: anything but cancelled, refused, rejected or deactivated.</summary>
    public static bool IsActive(string? status)
    {
        if (string.IsNullOrWhiteSpace(status))
        {
            return true;
        }

        var trimmed = status.AsSpan().TrimStart();
        foreach (var prefix in InactivePrefixes)
        {
            if (trimmed.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }
}
