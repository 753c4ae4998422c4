using Abitly.Bot.Rendering;

namespace Abitly.Bot.FanOuts;

/// <summary>
/// Keeps a broadcast's progress message current without flooding it: an edit only when the text changed and at least
/// <see cref="Interval"/> after the previous one (Telegram limits edits of one message), the closing edit included.
/// </summary>
public sealed class BroadcastProgressReporter(Func<RenderedMessage, Task> edit, TimeProvider time)
{
    /// <summary>The progress message is edited at most this often.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    // Timers and Telegram's clock differ by milliseconds; the margin keeps edits strictly apart.
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(100);

    private DateTimeOffset _lastEdit = time.GetUtcNow();
    private DateTimeOffset _nextCheck = time.GetUtcNow() + Interval + Slack;
    private string _shown = "";

    /// <summary>Edits with <paramref name="current"/>'s latest text every interval until <paramref name="completion"/> finishes.</summary>
    public async Task FollowAsync(Func<RenderedMessage> current, Task completion)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(completion);
        while (!completion.IsCompleted)
        {
            var wait = _nextCheck - time.GetUtcNow();
            await Task.WhenAny(Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time), completion);
            if (completion.IsCompleted)
            {
                return;
            }

            await EditIfChangedAsync(current());
            // Checked whether or not it changed: an unchanged text (e.g. during a 429 pause) waits a whole interval again.
            _nextCheck = time.GetUtcNow() + Interval + Slack;
        }
    }

    /// <summary>The closing edit, keeping the same spacing as the others.</summary>
    public async Task FinishAsync(RenderedMessage final)
    {
        var wait = _lastEdit + Interval + Slack - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time);
        }

        await EditIfChangedAsync(final);
    }

    private async Task EditIfChangedAsync(RenderedMessage message)
    {
        if (message.Html == _shown)
        {
            return;
        }

        await edit(message);
        _shown = message.Html;
        _lastEdit = time.GetUtcNow();
    }
}
