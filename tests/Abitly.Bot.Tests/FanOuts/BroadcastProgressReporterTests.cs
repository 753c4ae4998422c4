using Abitly.Bot.FanOuts;
using Abitly.Bot.Rendering;
using Microsoft.Extensions.Time.Testing;

namespace Abitly.Bot.Tests.FanOuts;

/// <summary>Progress edits of a broadcast, on a fake clock: at most one per interval, only on change, the closing one spaced too.</summary>
public sealed class BroadcastProgressReporterTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 7, 20, 9, 0, 0, TimeSpan.Zero));
    private readonly List<(DateTimeOffset At, string Html)> _edits = [];
    private readonly SemaphoreSlim _edited = new(0);

    public void Dispose() => _edited.Dispose();

    private BroadcastProgressReporter Reporter() => new(message =>
    {
        lock (_edits)
        {
            _edits.Add((_clock.GetUtcNow(), message.Html));
        }

        _edited.Release();
        return Task.CompletedTask;
    }, _clock);

    [Fact]
    public async Task Edits_come_at_most_once_an_interval_and_only_when_the_text_changed()
    {
        var reporter = Reporter();
        var start = _clock.GetUtcNow();
        var text = "1";
        var done = new TaskCompletionSource();
        var follow = reporter.FollowAsync(() => new RenderedMessage(text), done.Task);

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Empty(_edits);                              // not before the interval

        _clock.Advance(TimeSpan.FromSeconds(1.2));         // 3.2 s: past 3 s and the 100 ms margin
        await NextEditAsync();
        Assert.Equal((start.AddSeconds(3.2), "1"), _edits[0]);

        _clock.Advance(TimeSpan.FromSeconds(3.2));         // the text did not change: no edit
        text = "2";
        _clock.Advance(TimeSpan.FromSeconds(3.2));
        await NextEditAsync();
        Assert.Equal("2", _edits[^1].Html);

        done.SetResult();
        await follow;
        await FinishAfterAsync(reporter, "done");

        Assert.Equal(["1", "2", "done"], _edits.Select(e => e.Html));
        for (var i = 1; i < _edits.Count; i++)
        {
            Assert.True(_edits[i].At - _edits[i - 1].At >= BroadcastProgressReporter.Interval, $"edits {i - 1} and {i} were {(_edits[i].At - _edits[i - 1].At).TotalSeconds} s apart");
        }
    }

    [Fact]
    public async Task A_batch_that_ends_within_the_first_interval_gets_only_the_closing_edit_after_the_interval()
    {
        var reporter = Reporter();
        var start = _clock.GetUtcNow();
        await reporter.FollowAsync(() => new RenderedMessage("never shown"), Task.CompletedTask);
        await FinishAfterAsync(reporter, "done");

        Assert.Equal([(start.AddSeconds(3.1), "done")], _edits);
    }

    /// <summary>The closing edit is due one interval (and the margin) after the last one; the clock is moved exactly there.</summary>
    private async Task FinishAfterAsync(BroadcastProgressReporter reporter, string final)
    {
        var finish = reporter.FinishAsync(new RenderedMessage(final));
        _clock.Advance(BroadcastProgressReporter.Interval + TimeSpan.FromMilliseconds(100));
        await finish.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task NextEditAsync()
    {
        Assert.True(await _edited.WaitAsync(TimeSpan.FromSeconds(10)), "no edit came");
    }
}
