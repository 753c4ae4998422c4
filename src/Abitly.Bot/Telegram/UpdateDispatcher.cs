using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Microsoft.Extensions.Logging;
using Telegram.Bot.Types;

namespace Abitly.Bot.Telegram;

/// <summary>
/// Runs updates: different chats concurrently up to a bound, one chat strictly in order, and keeps
/// the confirmable offset (lowest update id still running, or one past the newest seen).
/// </summary>
public sealed class UpdateDispatcher(UpdatePipeline pipeline, AbitlySettings settings, ILogger<UpdateDispatcher> logger) : IDisposable
{
    private readonly CancellationTokenSource _giveUp = new();
    private readonly SemaphoreSlim _slots = new(settings.UpdateConcurrency, settings.UpdateConcurrency);
    private readonly Lock _gate = new();
    private readonly SortedSet<int> _running = [];
    private readonly Dictionary<long, Task> _chatTails = [];
    private readonly int _backlogLimit = Math.Max(100, settings.UpdateConcurrency * 8);
    private int _newestSeen = -1;
    private TaskCompletionSource _progress = NewSignal();

    /// <summary>The offset to pass to getUpdates: everything below it has been handled.</summary>
    public int Offset
    {
        get
        {
            lock (_gate)
            {
                return _running.Count > 0 ? _running.Min : _newestSeen + 1;
            }
        }
    }

    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running.Count;
            }
        }
    }

    /// <summary>Starts the new updates of a batch (re-deliveries of running ones are skipped); returns how many started.</summary>
    public int Dispatch(IReadOnlyList<Update> updates)
    {
        var started = 0;
        lock (_gate)
        {
            foreach (var update in updates)
            {
                if (update.Id <= _newestSeen)
                {
                    continue;
                }

                _newestSeen = update.Id;
                _running.Add(update.Id);
                var key = ChatKey(update);
                var previous = _chatTails.GetValueOrDefault(key, Task.CompletedTask);
                var task = RunAfterAsync(previous, update, key);
                _chatTails[key] = task;
                started++;
            }
        }

        return started;
    }

    /// <summary>
    /// Webhook: starts one update behind its chat's running ones. Deliveries arrive in any order and on any instance, so
    /// there is no offset; the update log keeps them once and in order. False when it is already running here.
    /// <paramref name="afterwards"/> runs in the chat's turn once the update is done (the next one of the chat from the inbox).
    /// </summary>
    public bool Enqueue(Update update, Func<Update, Task>? afterwards)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_gate)
        {
            if (!_running.Add(update.Id))
            {
                return false;
            }

            var key = ChatKey(update);
            var previous = _chatTails.GetValueOrDefault(key, Task.CompletedTask);
            _chatTails[key] = RunAfterAsync(previous, update, key, afterwards);
            return true;
        }
    }

    /// <summary>Whether the backlog has room for more updates (webhook deliveries beyond it wait in the inbox).</summary>
    public bool HasCapacity => Running < _backlogLimit;

    /// <summary>Chats with an update running or waiting here.</summary>
    public IReadOnlySet<long> BusyChats
    {
        get
        {
            lock (_gate)
            {
                return _chatTails.Keys.ToHashSet();
            }
        }
    }

    private async Task RunAfterAsync(Task previous, Update update, long key, Func<Update, Task>? afterwards = null)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
        // Shutdown stops the intake, not the updates already taken: they finish within the grace period.
        await _slots.WaitAsync(CancellationToken.None);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await pipeline.HandleAsync(update, CancellationToken.None);
                    if (afterwards is not null)
                    {
                        await afterwards(update);
                    }

                    break;
                }
                catch (DatabaseUnavailableException ex)
                {
                    // Not confirmed: the offset stays below this update until it is handled (or Telegram delivers it again
                    // after a restart). The chat's later updates wait behind it, so their order holds.
                    var delay = LongPollingReceiver.Backoff(attempt);
                    if (attempt == 1 || attempt % 10 == 0)
                    {
                        logger.LogWarning("{Error}; trying again in {Delay} (attempt {Attempt})", ex.Message, delay, attempt);
                    }

                    await Task.Delay(delay, _giveUp.Token);
                }
            }
        }
        catch (OperationCanceledException) when (_giveUp.IsCancellationRequested)
        {
            // Shutdown while the database was away: left unconfirmed for the next start.
        }
        catch (Exception)
        {
            // The pipeline is the error boundary; nothing reaches here but a bug in it, and the chat must go on.
        }
        finally
        {
            _slots.Release();
            TaskCompletionSource signal;
            lock (_gate)
            {
                _running.Remove(update.Id);
                if (_chatTails.TryGetValue(key, out var tail) && tail.IsCompleted)
                {
                    _chatTails.Remove(key);
                }

                signal = _progress;
                _progress = NewSignal();
            }

            signal.TrySetResult();
        }
    }

    /// <summary>Waits while too many updates are queued, so a slow database cannot make memory grow without end.</summary>
    public async Task WaitForCapacityAsync(CancellationToken ct)
    {
        while (Running >= _backlogLimit)
        {
            await WaitForProgressAsync(TimeSpan.FromSeconds(1), ct);
        }
    }

    public async Task WaitForProgressAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return;
        }

        Task signal;
        lock (_gate)
        {
            if (_running.Count == 0)
            {
                return;
            }

            signal = _progress.Task;
        }

        await signal.WaitAsync(timeout, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>Waits for running updates up to <paramref name="grace"/>; returns how many did not finish.</summary>
    public async Task<int> DrainAsync(TimeSpan grace, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + grace;
        while (Running > 0 && DateTime.UtcNow < deadline && !ct.IsCancellationRequested)
        {
            await WaitForProgressAsync(deadline - DateTime.UtcNow, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // Updates still waiting for the database stop waiting; they stay unconfirmed.
        await _giveUp.CancelAsync();
        return Running;
    }

    /// <summary>Updates of one chat (or one user where there is no chat) share a key and run in order.</summary>
    public static long ChatKey(Update update) =>
        update.Message?.Chat.Id
        ?? update.EditedMessage?.Chat.Id
        ?? update.CallbackQuery?.Message?.Chat.Id
        ?? update.CallbackQuery?.From.Id
        ?? update.MyChatMember?.Chat.Id
        ?? update.ChannelPost?.Chat.Id
        ?? 0;

    public void Dispose()
    {
        _slots.Dispose();
        _giveUp.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
