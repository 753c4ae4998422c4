using System.Diagnostics.Metrics;

namespace Abitly.Bot.Hosting;

/// <summary>The bot's own instruments, exported on /metrics.</summary>
public sealed class BotMetrics : IDisposable
{
    public const string MeterName = "Abitly.Bot";
    private readonly Meter _meter;
    private readonly Counter<long> _updates;
    private readonly Histogram<double> _updateDuration;
    private readonly Counter<long> _sends;
    private readonly Counter<long> _sendPauses;
    private readonly Counter<double> _sendPauseSeconds;
    private readonly Counter<long> _webhook;
    private readonly Histogram<double> _sendBatchDuration;
    private readonly Counter<long> _charts;
    private readonly Histogram<double> _chartRenderDuration;
    private long _outboxReplies;
    private long _outboxFanOut;

    public BotMetrics(IMeterFactory factory)
    {
        _meter = factory.Create(MeterName);
        _updates = _meter.CreateCounter<long>("abitly_updates", description: "Updates handled, by type and outcome");
        _updateDuration = _meter.CreateHistogram<double>("abitly_update_duration", unit: "s", description: "Time to handle one update");
        _sends = _meter.CreateCounter<long>("abitly_sends", description: "Fan-out sends, by outcome");
        _sendPauses = _meter.CreateCounter<long>("abitly_send_pauses", description: "429 answers that paused all fan-out sending");
        _sendPauseSeconds = _meter.CreateCounter<double>("abitly_send_pause", unit: "s", description: "Pause time asked for by 429 answers");
        _webhook = _meter.CreateCounter<long>("abitly_webhook_deliveries", description: "Webhook deliveries, by outcome (accepted, unavailable, stopping, unauthorized, invalid)");
        _sendBatchDuration = _meter.CreateHistogram<double>("abitly_fan_out_duration", unit: "s", description: "Time from the start of a fan-out to its last message, by kind");
        _meter.CreateObservableGauge("abitly_outbox_pending", () => new[]
        {
            new Measurement<long>(Interlocked.Read(ref _outboxReplies), new KeyValuePair<string, object?>("lane", "reply")),
            new Measurement<long>(Interlocked.Read(ref _outboxFanOut), new KeyValuePair<string, object?>("lane", "fan_out")),
        }, description: "Outbox rows waiting to be sent, by lane (all instances)");
        _charts = _meter.CreateCounter<long>("abitly_charts", description: "Score charts asked for, by how they were answered (rendered, cached, busy)");
        _chartRenderDuration = _meter.CreateHistogram<double>("abitly_chart_render_duration", unit: "s", description: "Time to draw one score chart as a PNG");
    }

    public void UpdateHandled(string type, string outcome, TimeSpan duration)
    {
        var tags = new KeyValuePair<string, object?>[] { new("type", type), new("outcome", outcome) };
        _updates.Add(1, tags);
        _updateDuration.Record(duration.TotalSeconds, tags);
    }

    public void WebhookDelivery(string outcome) => _webhook.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Sent(string outcome, long count = 1) => _sends.Add(count, new KeyValuePair<string, object?>("outcome", outcome));

    public void SendPaused(TimeSpan pause)
    {
        _sendPauses.Add(1);
        _sendPauseSeconds.Add(pause.TotalSeconds);
    }

    public void FanOutCompleted(string kind, TimeSpan elapsed) =>
        _sendBatchDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));

    public void OutboxDepth(int replies, int fanOut)
    {
        Interlocked.Exchange(ref _outboxReplies, replies);
        Interlocked.Exchange(ref _outboxFanOut, fanOut);
    }

    /// <summary>One chart drawn as a PNG, and how long it took.</summary>
    public void ChartRendered(TimeSpan duration) => _chartRenderDuration.Record(duration.TotalSeconds);

    /// <summary>A chart asked for: "rendered", "cached" (an upload's file id sent again), "busy" (too many renders waiting).</summary>
    public void ChartAnswered(string answer) => _charts.Add(1, new KeyValuePair<string, object?>("answer", answer));

    public void Dispose() => _meter.Dispose();
}
