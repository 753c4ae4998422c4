using Abitly.Domain.OpenDays;

namespace Abitly.Domain.Tests.OpenDays;

public class OpenDayReminderScheduleTests
{
    [Theory]
    [InlineData(3, true)]
    [InlineData(1, true)]
    [InlineData(0, false)]
    [InlineData(2, false)]
    [InlineData(4, false)]
    [InlineData(-1, false)]
    public void Reminders_are_due_3_and_1_days_before(int daysAway, bool due)
    {
        Assert.Equal(due, OpenDayReminderSchedule.IsDue(daysAway));
    }

    [Fact]
    public void Each_reminder_day_has_its_kind()
    {
        Assert.Equal([3, 1], OpenDayReminderSchedule.ReminderDays);
        Assert.Equal(ReminderKind.ThreeDays, OpenDayReminderSchedule.KindFor(3));
        Assert.Equal(ReminderKind.OneDay, OpenDayReminderSchedule.KindFor(1));
        Assert.Null(OpenDayReminderSchedule.KindFor(2));
        Assert.All(OpenDayReminderSchedule.ReminderDays, d => Assert.Equal(d, OpenDayReminderSchedule.DaysBefore(OpenDayReminderSchedule.KindFor(d)!.Value)));
    }
}
