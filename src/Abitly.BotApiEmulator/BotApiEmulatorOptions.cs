namespace Abitly.BotApiEmulator;

/// <summary>Settings for a <see cref="BotApiEmulator"/> instance.</summary>
public sealed class BotApiEmulatorOptions
{
    /// <summary>Loopback port to listen on; 0 picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>Username that <c>getMe</c> reports for the bot.</summary>
    public string BotUsername { get; set; } = "AbitlyTestBot";

    /// <summary>
    /// When set, more than this many send/edit calls within any sliding one-second window
    /// get 429 with <c>retry_after</c> 1, like Telegram's bulk limit.
    /// </summary>
    public int? GlobalRateLimitPerSecond { get; set; }

    /// <summary>When set, the same sliding-window limit applied to each chat separately.</summary>
    public int? PerChatRateLimitPerSecond { get; set; }

    /// <summary>
    /// Clock for message dates, call timestamps, rate windows, long-poll timeouts and delay faults.
    /// The test-side waits (<c>WaitFor…</c>) always use real time so a fake clock cannot hang a test.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>When set, the emulator also serves a web chat page at <c>/</c> for people to talk to the bot; null serves none.</summary>
    public WebChatOptions? WebChat { get; set; }
}
