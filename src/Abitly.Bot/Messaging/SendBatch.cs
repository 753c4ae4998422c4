namespace Abitly.Bot.Messaging;

/// <summary>One fan-out of a <see cref="MessageSender"/>: add messages, <see cref="Start"/>, then await <see cref="Completion"/>.</summary>
public sealed class SendBatch
{
    private readonly MessageSender _owner;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<Job> _jobs = [];
    private readonly List<long> _blocked = [];
    private readonly TaskCompletionSource<SendBatchResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int[] _counts = new int[Enum.GetValues<SendOutcome>().Length];
    private long _startedAt;
    private int _remaining;
    private bool _started;
    private bool _closed;

    internal SendBatch(MessageSender owner, string name, TimeProvider time)
    {
        _owner = owner;
        _time = time;
        Name = name;
    }

    /// <summary>Name for logs, metrics and the admin's report (e.g. "broadcast", "daily-reminders").</summary>
    public string Name { get; }

    /// <summary>Messages added so far.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _jobs.Count;
            }
        }
    }

    /// <summary>The result, once every message has an outcome (or the rest was left unsent at cancellation or shutdown).</summary>
    public Task<SendBatchResult> Completion => _done.Task;

    internal CancellationToken Cancellation { get; private set; }

    /// <summary>Adds a message; only before <see cref="Start"/>.</summary>
    public void Add(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            if (_started)
            {
                throw new InvalidOperationException($"Batch '{Name}' has started; add messages before Start.");
            }

            _jobs.Add(new Job(message, this));
        }
    }

    /// <summary>Adds messages; only before <see cref="Start"/>.</summary>
    public void AddRange(IEnumerable<OutgoingMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            Add(message);
        }
    }

    /// <summary>Hands the messages to the sender's queue. Cancelling <paramref name="ct"/> leaves the not-yet-sent rest unsent.</summary>
    public void Start(CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (_started)
            {
                throw new InvalidOperationException($"Batch '{Name}' has already started.");
            }

            _started = true;
            _remaining = _jobs.Count;
        }

        Cancellation = ct;
        _startedAt = _time.GetTimestamp();
        if (_jobs.Count == 0)
        {
            CloseRemaining();
            return;
        }

        _owner.Enqueue(this, _jobs, ct);
    }

    /// <summary>
    /// Records the final outcome of one message; false when it already had one (or the batch was closed).
    /// <paramref name="recorded"/> runs once the outcome is counted and before the batch can complete, so whoever awaits
    /// <see cref="Completion"/> also sees its logs and metrics.
    /// </summary>
    internal bool Finish(Job job, SendOutcome outcome, Action? recorded = null)
    {
        (SendBatchResult Result, long[] Blocked)? closing = null;
        lock (_gate)
        {
            if (job.Done || _closed)
            {
                return false;
            }

            job.Done = true;
            _counts[(int)outcome]++;
            if (outcome == SendOutcome.Blocked)
            {
                _blocked.Add(job.Message.ChatId);
            }

            if (--_remaining == 0)
            {
                closing = Close();
            }
        }

        recorded?.Invoke();
        Notify(job, outcome);
        if (closing is { } c)
        {
            _ = CompleteAsync(c.Result, c.Blocked);
        }

        return true;
    }

    /// <summary>Counts every message without an outcome as unsent and completes the batch; returns how many that was.</summary>
    internal int CloseRemaining()
    {
        List<Job> left;
        (SendBatchResult Result, long[] Blocked) closing;
        lock (_gate)
        {
            if (_closed)
            {
                return 0;
            }

            left = _jobs.FindAll(j => !j.Done);
            foreach (var job in left)
            {
                job.Done = true;
            }

            _counts[(int)SendOutcome.Unsent] += left.Count;
            closing = Close();
        }

        foreach (var job in left)
        {
            Notify(job, SendOutcome.Unsent);
        }

        _ = CompleteAsync(closing.Result, closing.Blocked);
        return left.Count;
    }

    private (SendBatchResult, long[]) Close()
    {
        _closed = true;
        var result = new SendBatchResult(
            Name,
            _jobs.Count,
            _counts[(int)SendOutcome.Sent],
            _counts[(int)SendOutcome.Blocked],
            _counts[(int)SendOutcome.DroppedAfterRetries],
            _counts[(int)SendOutcome.Failed],
            _counts[(int)SendOutcome.Unsent],
            _time.GetElapsedTime(_startedAt));
        return (result, [.. _blocked]);
    }

    private async Task CompleteAsync(SendBatchResult result, long[] blocked)
    {
        await _owner.CompleteAsync(this, result, blocked);
        _done.TrySetResult(result);
    }

    private void Notify(Job job, SendOutcome outcome)
    {
        try
        {
            job.Message.OnOutcome?.Invoke(job.Message, outcome);
        }
        catch (Exception ex)
        {
            // A caller's bookkeeping bug must not stop the drain.
            _owner.CallbackFailed(ex, job);
        }
    }
}

/// <summary>A message on its way: which batch it belongs to and how many 429s it has had.</summary>
internal sealed class Job(OutgoingMessage message, SendBatch batch)
{
    public OutgoingMessage Message { get; } = message;

    public SendBatch Batch { get; } = batch;

    /// <summary>429 answers so far; touched only by the one send in flight for this job.</summary>
    public int Attempts { get; set; }

    /// <summary>Has an outcome; guarded by the batch's lock.</summary>
    public bool Done { get; set; }
}
