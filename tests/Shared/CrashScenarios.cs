using System.Diagnostics;
using System.Globalization;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Emulator = Abitly.BotApiEmulator.BotApiEmulator;

namespace Abitly.Tests.Shared;

/// <summary>What a broadcast killed with SIGKILL half-way and started again delivered.</summary>
/// <param name="SentBeforeKill">Recipients that had the message when the process died.</param>
/// <param name="Lost">Recipients that never got it.</param>
/// <param name="Doubled">Recipients that got it more than once.</param>
/// <param name="ResumeSeconds">From the second start to its first broadcast message.</param>
/// <param name="Summary">Whether the admin got the summary after the restart.</param>
internal sealed record BroadcastKillResult(int Recipients, int SentBeforeKill, int Lost, int Doubled, double ResumeSeconds, double TotalSeconds, bool Summary);

/// <summary>What a burst of /start killed with SIGKILL half-way and started again answered.</summary>
internal sealed record BurstKillResult(int Users, int AnsweredBeforeKill, int Unanswered, int AnsweredTwice, int UsersWithRow, double RecoverSeconds);

/// <summary>A broadcast sent by two instances behind one webhook URL, as the emulator's log saw it.</summary>
/// <param name="PeakPerSecond">Most recipients' messages that arrived within any one second.</param>
/// <param name="MeanPerSecond">Messages per second from the first to the last.</param>
/// <param name="Senders">Instances whose workers sent part of it.</param>
internal sealed record TwoInstanceBroadcastResult(int Recipients, int Lost, int Doubled, int TooManyRequests, int PeakPerSecond, double MeanPerSecond, int Senders, bool Summary);

/// <summary>
/// The bot as a real process, killed with SIGKILL in the middle of work and started again on the same database, Redis
/// and emulator (which, like Telegram, delivers again every update above the confirmed offset) — what an operator sees.
/// </summary>
internal static class CrashScenarios
{
    private const long Admin = 910001;
    private const string Text = "Перевірка: розсилка переживає аварійний перезапуск";

    private static Dictionary<string, string?> Environment(Emulator emulator, string database, string redis, int cap, int concurrency) => new()
    {
        ["BOT_TOKEN"] = "123456:CRASH-token_secret",
        ["DATABASE_URL"] = database,
        ["REDIS_URL"] = redis,
        ["TELEGRAM_API_URL"] = emulator.BaseUrl,
        ["PORT"] = BotExecutable.FreePort().ToString(CultureInfo.InvariantCulture),
        ["ADMIN_IDS"] = Admin.ToString(CultureInfo.InvariantCulture),
        ["POLL_TIMEOUT_SECONDS"] = "1",
        ["SEND_RATE_PER_SECOND"] = cap.ToString(CultureInfo.InvariantCulture),
        ["SEND_MAX_CONCURRENCY"] = concurrency.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Broadcast to <paramref name="recipients"/> users, SIGKILL once <paramref name="killAfterSent"/> have it, start again.</summary>
    public static async Task<BroadcastKillResult> BroadcastAsync(Emulator emulator, string database, string redis, int recipients, int cap, int concurrency, int killAfterSent, TimeSpan timeout)
    {
        var users = Enumerable.Range(1, recipients).Select(i => 5_000_000L + i).ToArray();
        await AddUsersAsync(database, users);

        var environment = Environment(emulator, database, redis, cap, concurrency);
        var total = Stopwatch.StartNew();
        int sentAtKill;
        using (var first = BotExecutable.Start(environment))
        {
            await emulator.WaitForCallAsync(c => c.Method == "getUpdates", TimeSpan.FromSeconds(60));
            emulator.SendText(Admin, "/broadcast " + Text);
            var preview = await emulator.WaitForBotMessageAsync(Admin, m => m.Text!.Contains("Розсилка", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            emulator.PressButton(Admin, Admin, preview.MessageId, preview.CallbackData.Single(d => d.StartsWith("bc:go:", StringComparison.Ordinal)));
            await WaitUntilAsync(() => Received(emulator, users).Count(n => n > 0) >= killAfterSent, timeout);
            await first.SignalAsync("KILL");
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
            sentAtKill = Received(emulator, users).Count(n => n > 0);
        }

        var resume = Stopwatch.StartNew();
        using var second = BotExecutable.Start(environment);
        await WaitUntilAsync(() => Received(emulator, users).Count(n => n > 0) > sentAtKill || sentAtKill == recipients, timeout);
        var resumeSeconds = resume.Elapsed.TotalSeconds;
        var summary = false;
        try
        {
            await emulator.WaitForBotMessageAsync(Admin, m => m.Text!.Contains("Підсумок розсилки", StringComparison.Ordinal), timeout);
            summary = true;
        }
        catch (TimeoutException)
        {
        }

        var received = Received(emulator, users);
        await second.SignalAsync("TERM");
        await second.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return new BroadcastKillResult(recipients, sentAtKill, received.Count(n => n == 0), received.Count(n => n > 1), resumeSeconds, total.Elapsed.TotalSeconds, summary);
    }

    /// <summary><paramref name="users"/> users send /start at once, SIGKILL once <paramref name="killAfterAnswered"/> are answered, start again.</summary>
    public static async Task<BurstKillResult> BurstAsync(Emulator emulator, string database, string redis, int users, int killAfterAnswered, TimeSpan timeout)
    {
        var chats = Enumerable.Range(1, users).Select(i => 6_000_000L + i).ToArray();
        var environment = Environment(emulator, database, redis, cap: 25, concurrency: 8);
        int answeredAtKill;
        using (var first = BotExecutable.Start(environment))
        {
            await emulator.WaitForCallAsync(c => c.Method == "getUpdates", TimeSpan.FromSeconds(60));
            foreach (var chat in chats)
            {
                emulator.SendText(chat, "/start");
            }

            await WaitUntilAsync(() => Replies(emulator, chats).Count(n => n > 0) >= killAfterAnswered, timeout);
            await first.SignalAsync("KILL");
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
            answeredAtKill = Replies(emulator, chats).Count(n => n > 0);
        }

        var recover = Stopwatch.StartNew();
        using var second = BotExecutable.Start(environment);
        try
        {
            await WaitUntilAsync(() => Replies(emulator, chats).All(n => n > 0), timeout);
        }
        catch (TimeoutException)
        {
            // Reported as unanswered below.
        }

        var recoverSeconds = recover.Elapsed.TotalSeconds;
        var replies = Replies(emulator, chats);
        await second.SignalAsync("TERM");
        await second.WaitForExitAsync(TimeSpan.FromSeconds(30));
        int withRow;
        await using (var db = Database.Open(DatabaseProvider.Postgres, database))
        {
            withRow = db.TelegramUsers.Count(u => chats.Contains(u.Id));
        }

        return new BurstKillResult(users, answeredAtKill, replies.Count(n => n == 0), replies.Count(n => n > 1), withRow, recoverSeconds);
    }

    /// <summary>Two bot processes in webhook mode behind the emulator (a round-robin load balancer) send one broadcast.</summary>
    public static async Task<TwoInstanceBroadcastResult> TwoInstanceBroadcastAsync(Emulator emulator, string database, string redis, int recipients, int cap, TimeSpan timeout)
    {
        var users = Enumerable.Range(1, recipients).Select(i => 7_000_000L + i).ToArray();
        await AddUsersAsync(database, users);

        BotExecutable Start(out string target)
        {
            var environment = Environment(emulator, database, redis, cap, concurrency: 8);
            environment["WEBHOOK_URL"] = "https://bot.example/telegram/webhook";
            environment["WEBHOOK_SECRET"] = "two_instances-secret";
            target = $"http://127.0.0.1:{environment["PORT"]}/telegram/webhook";
            return BotExecutable.Start(environment);
        }

        using var first = Start(out var firstTarget);
        using var second = Start(out var secondTarget);
        try
        {
            await WaitUntilAsync(() => emulator.Calls.Count(c => c.Method == "setWebhook" && c.StatusCode == 200) >= 2, TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"both instances did not set the webhook: {string.Join(", ", emulator.Calls.Select(c => $"{c.Method} {c.StatusCode}"))}\n{first.Stdout}{first.Stderr}\n{second.Stdout}{second.Stderr}", ex);
        }
        emulator.WebhookTargets = [firstTarget, secondTarget];

        emulator.SendText(Admin, "/broadcast " + Text);
        var preview = await emulator.WaitForBotMessageAsync(Admin, m => m.Text!.Contains("Розсилка", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        emulator.PressButton(Admin, Admin, preview.MessageId, preview.CallbackData.Single(d => d.StartsWith("bc:go:", StringComparison.Ordinal)));
        var summary = false;
        try
        {
            await emulator.WaitForBotMessageAsync(Admin, m => m.Text!.Contains("Підсумок розсилки", StringComparison.Ordinal), timeout);
            summary = true;
        }
        catch (TimeoutException)
        {
        }

        var received = Received(emulator, users);
        var recipientSet = users.ToHashSet();
        var sends = emulator.Calls.Where(c => c.Method == "sendMessage" && c.ChatId is { } chat && recipientSet.Contains(chat)).ToList();
        var arrivals = sends.Where(c => c.StatusCode == 200).Select(c => c.StartedAt).Order().ToList();
        var peak = 0;
        for (int from = 0, to = 0; to < arrivals.Count; to++)
        {
            while (arrivals[to] - arrivals[from] >= TimeSpan.FromSeconds(1))
            {
                from++;
            }

            peak = Math.Max(peak, to - from + 1);
        }

        var span = arrivals.Count > 1 ? (arrivals[^1] - arrivals[0]).TotalSeconds : 0;
        int senders;
        await using (var db = Database.Open(DatabaseProvider.Postgres, database))
        {
            senders = db.Outbox.Where(m => m.BatchId != null && m.Status == OutboxStatus.Sent).Select(m => m.LeaseOwner).Distinct().Count();
        }

        await Task.WhenAll(first.SignalAsync("TERM"), second.SignalAsync("TERM"));
        await Task.WhenAll(first.WaitForExitAsync(TimeSpan.FromSeconds(30)), second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        return new TwoInstanceBroadcastResult(recipients, received.Count(n => n == 0), received.Count(n => n > 1), sends.Count(c => c.StatusCode == 429),
            peak, span > 0 ? (arrivals.Count - 1) / span : 0, senders, summary);
    }

    // Telegram users as if they had written to the bot: the broadcast's recipients.
    private static async Task AddUsersAsync(string database, long[] users)
    {
        await using var db = Database.Open(DatabaseProvider.Postgres, database);
        var now = DateTime.UtcNow;
        db.TelegramUsers.AddRange(users.Select(id => new TelegramUser { Id = id, FirstName = "U" + id, CreatedAt = now, UpdatedAt = now, LastSeenAt = now }));
        await db.SaveChangesAsync();
    }

    private static int[] Received(Emulator emulator, long[] users) =>
        [.. users.Select(u => emulator.MessagesIn(u).Count(m => m.FromBot && m.Text == Text))];

    private static int[] Replies(Emulator emulator, long[] chats) =>
        [.. chats.Select(c => emulator.MessagesIn(c).Count(m => m.FromBot))];

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"condition not met within {timeout.TotalSeconds} s");
            }

            await Task.Delay(50);
        }
    }
}
