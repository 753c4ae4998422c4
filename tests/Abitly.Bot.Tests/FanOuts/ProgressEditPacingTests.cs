using Abitly.Bot.FanOuts;
using Microsoft.Extensions.Time.Testing;

namespace Abitly.Bot.Tests.FanOuts;

/// <summary>When a fan-out's progress message is edited, on a fake clock: only on change, at most once per interval, the closing edit spaced too.</summary>
public sealed class ProgressEditPacingTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 7, 20, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_first_edit_waits_an_interval_after_the_message_got_its_text()
    {
        var pacing = new ProgressEditPacing(_clock);
        var started = _clock.GetUtcNow();

        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.False(pacing.ShouldEdit(1, "1", started));      // 3.0 s: not past the 100 ms margin yet
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(pacing.ShouldEdit(1, "1", started));
    }

    [Fact]
    public void Edits_come_only_on_change_and_at_most_once_an_interval()
    {
        var pacing = new ProgressEditPacing(_clock);
        var started = _clock.GetUtcNow() - TimeSpan.FromMinutes(1);
        Assert.True(pacing.ShouldEdit(1, "1", started));
        pacing.Edited(1, "1");

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(pacing.ShouldEdit(1, "2", started));      // changed, but too soon
        _clock.Advance(TimeSpan.FromSeconds(1.2));
        Assert.False(pacing.ShouldEdit(1, "1", started));      // in time, but unchanged
        Assert.True(pacing.ShouldEdit(1, "2", started));
        Assert.True(pacing.ShouldEdit(2, "1", started));       // another fan-out has its own spacing
    }

    [Fact]
    public void The_closing_edit_waits_out_the_rest_of_the_interval()
    {
        var pacing = new ProgressEditPacing(_clock);
        pacing.Edited(1, "1");
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(2.1), pacing.UntilNextEdit(1));
        Assert.Equal(TimeSpan.Zero, pacing.UntilNextEdit(2));
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.Zero, pacing.UntilNextEdit(1));
    }
}
