namespace Abitly.Domain.OpenDays;

/// <summary>Which open-day reminder a message is.</summary>
public enum ReminderKind
{
    /// <summary>Three calendar days before the open day.</summary>
    ThreeDays,

    /// <summary>One calendar day before the open day.</summary>
    OneDay,
}
