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

    public BotMetrics(IMeterFactory factory)
    {
        _meter = factory.Create(MeterName);
        _updates = _meter.CreateCounter<long>("abitly_updates", description: "Updates handled, by type and outcome");
        _updateDuration = _meter.CreateHistogram<double>("abitly_update_duration", unit: "s", description: "Time to handle one update");
        _sends = _meter.CreateCounter<long>("abitly_sends", description: "Fan-out sends, by outcome");
    }

    public void UpdateHandled(string type, string outcome, TimeSpan duration)
    {
        var tags = new KeyValuePair<string, object?>[] { new("type", type), new("outcome", outcome) };
        _updates.Add(1, tags);
        _updateDuration.Record(duration.TotalSeconds, tags);
    }

    public void Sent(string outcome, long count = 1) => _sends.Add(count, new KeyValuePair<string, object?>("outcome", outcome));

    public void Dispose() => _meter.Dispose();
}
