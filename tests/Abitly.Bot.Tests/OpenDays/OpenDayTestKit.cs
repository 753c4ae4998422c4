using Abitly.Bot.Data;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.BotApiEmulator;

namespace Abitly.Bot.Tests.OpenDays;

/// <summary>Helpers shared by the open-day, filter and admin fan-out tests.</summary>
internal static class OpenDayTestKit
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    /// <summary>Presses a button and waits for the bot's answer to that press.</summary>
    public static async Task<CallbackAnswer> PressAsync(BotTestHost host, long userId, EmulatedMessage message, string data)
    {
        var query = host.Emulator.PressButton(userId, message.ChatId, message.MessageId, data);
        CallbackAnswer? answer = null;
        await FoundationTests.WaitUntilAsync(() => (answer = host.Emulator.CallbackAnswers.FirstOrDefault(a => a.CallbackQueryId == query)) is not null);
        await FoundationTests.WaitForIdleAsync(host);
        return answer!;
    }

    /// <summary>The current state of a message (edits included).</summary>
    public static EmulatedMessage Current(BotTestHost host, EmulatedMessage message) =>
        host.Emulator.MessagesIn(message.ChatId).Single(m => m.MessageId == message.MessageId);

    /// <summary>Telegram users as if they had written to the bot.</summary>
    public static async Task AddUsersAsync(BotTestHost host, IEnumerable<long> ids, DateTime? blockedAt = null)
    {
        await using var db = host.OpenDb();
        var now = DateTime.UtcNow;
        db.TelegramUsers.AddRange(ids.Select(id => new TelegramUser { Id = id, FirstName = "U" + id, BlockedAt = blockedAt, CreatedAt = now, UpdatedAt = now, LastSeenAt = now }));
        await db.SaveChangesAsync();
    }

    public static void AssertNoFailedUpdates(BotTestHost host) =>
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("failed; rolled back", StringComparison.Ordinal));
}
