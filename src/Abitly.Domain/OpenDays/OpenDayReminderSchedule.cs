namespace Abitly.Domain.OpenDays;

/// <summary>When open-day reminders go out: on the local dates 3 and 1 days before.</summary>
public static class OpenDayReminderSchedule
{
    /// <summary>Days before the open day that get a reminder, earliest first.</summary>
    public static IReadOnlyList<int> ReminderDays { get; } = [3, 1];

    /// <summary>Whether an open day this many calendar days away gets a reminder today.</summary>
    public static bool IsDue(int daysAway) => KindFor(daysAway) is not null;

    /// <summary>The reminder due for an open day this many calendar days away, if any.</summary>
    public static ReminderKind? KindFor(int daysAway) => daysAway switch
    {
        3 => ReminderKind.ThreeDays,
        1 => ReminderKind.OneDay,
        _ => null,
    };

    /// <summary>How many days before the open day a reminder kind is sent.</summary>
    public static int DaysBefore(ReminderKind kind) => kind switch
    {
        ReminderKind.ThreeDays => 3,
        ReminderKind.OneDay => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown reminder kind."),
    };
}
