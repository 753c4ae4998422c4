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

/// <summary>
/// <see cref="ApplicationStatuses.IsActive"/> over the rows of one list, each distinct status read once: a list has
/// thousands of rows and a handful of statuses. One per pass; not thread-safe.
/// </summary>
public sealed class ActiveStatusMemo
{
    private const int Capacity = 16;
    private readonly string?[] _statuses = new string?[Capacity];
    private readonly bool[] _active = new bool[Capacity];
    private int _count;

    /// <summary>Whether an application with this status still competes (the same answer as <see cref="ApplicationStatuses.IsActive"/>).</summary>
    public bool IsActive(string? status)
    {
        for (var i = 0; i < _count; i++)
        {
            if (string.Equals(_statuses[i], status, StringComparison.Ordinal))
            {
                return _active[i];
            }
        }

        var active = ApplicationStatuses.IsActive(status);
        if (_count < Capacity)
        {
            // Beyond that many distinct texts (an odd list) the rest are simply classified each time.
            _statuses[_count] = status;
            _active[_count] = active;
            _count++;
        }

        return active;
    }
}
