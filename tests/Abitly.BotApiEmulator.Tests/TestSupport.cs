using Telegram.Bot;

namespace Abitly.BotApiEmulator.Tests;

/// <summary>Helpers shared by the emulator tests.</summary>
internal static class TestSupport
{
    public const string Token = "123456:test-token";

    /// <summary>A real Telegram.Bot client aimed at the emulator, with its 429 auto-retry off so tests see every 429.</summary>
    public static TelegramBotClient Client(BotApiEmulator emulator, string token = Token) =>
        new(new TelegramBotClientOptions(token, emulator.BaseUrl) { RetryThreshold = 0 });
}

/// <summary>A clock that moves only when a test says so; timers still run on real time.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }
}
