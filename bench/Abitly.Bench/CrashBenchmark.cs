using System.Globalization;
using Abitly.Tests.Shared;
using Emulator = Abitly.BotApiEmulator.BotApiEmulator;

namespace Abitly.Bench;

/// <summary>
/// kill -9 at campaign size: a broadcast to 3,000 users at the cap of 25/s killed about 40 s in, and a burst of 200
/// /start killed half-way; each started again on the same database and Redis. Telegram answers in 50–200 ms.
/// </summary>
internal static class CrashBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var recipients = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3000;
        var cap = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 25;
        var redis = Environment.GetEnvironmentVariable("REDIS_URL");
        if (redis is null)
        {
            Console.Error.WriteLine("REDIS_URL: set it to a Redis server");
            return 2;
        }

        var timeout = TimeSpan.FromSeconds(30 + (recipients / cap * 2));
        await using (var database = await BenchDatabase.CreateAsync("crash_broadcast"))
        {
            if (database is null)
            {
                return 2;
            }

            await using var emulator = await Emulator.StartAsync(new() { LatencyMs = 50, LatencyJitterMs = 150, GlobalRateLimitPerSecond = 30 });
            var broadcast = await CrashScenarios.BroadcastAsync(emulator, database.ConnectionString, redis, recipients, cap, concurrency: 8, killAfterSent: Math.Min(recipients / 2, cap * 40), timeout);
            var tooMany = emulator.Calls.Count(c => c.Method == "sendMessage" && c.StatusCode == 429);
            Console.WriteLine($"broadcast killed: {broadcast.Recipients} recipients at {cap}/s, {broadcast.SentBeforeKill} had it at the kill; lost {broadcast.Lost}, doubled {broadcast.Doubled} (bound: SEND_MAX_CONCURRENCY 8); first send {broadcast.ResumeSeconds:0.0} s after the restart; summary to the admin: {(broadcast.Summary ? "yes" : "NO")}; 429s: {tooMany}; {broadcast.TotalSeconds:0} s in all");
            BenchFigures.Report("crash.broadcast.lost", "SIGKILL mid-broadcast: messages lost", broadcast.Lost, "messages", Better.Lower, 0);
            BenchFigures.Report("crash.broadcast.doubled", "SIGKILL mid-broadcast: messages doubled", broadcast.Doubled, "messages", Better.Lower, 8);
            BenchFigures.Report("crash.broadcast.resume_s", "SIGKILL mid-broadcast: first send after the restart", broadcast.ResumeSeconds, "s", Better.Lower);
        }

        await using (var database = await BenchDatabase.CreateAsync("two_instances"))
        {
            if (database is null)
            {
                return 2;
            }

            await using var emulator = await Emulator.StartAsync(new() { LatencyMs = 50, LatencyJitterMs = 150, GlobalRateLimitPerSecond = 30 });
            var two = await CrashScenarios.TwoInstanceBroadcastAsync(emulator, database.ConnectionString, redis, recipients, cap, timeout);
            Console.WriteLine($"two instances, one webhook: {two.Recipients} recipients at a shared cap of {cap}/s; peak {two.PeakPerSecond} in one second, mean {two.MeanPerSecond:0.0}/s ({two.MeanPerSecond / cap:P0} of the cap); lost {two.Lost}, doubled {two.Doubled}, 429s {two.TooManyRequests}; sent by {two.Senders} instances; summary: {(two.Summary ? "yes" : "NO")}");
            BenchFigures.Report(new BenchFigure("crash.two_instances.rate", "two instances behind a webhook: mean rate", two.MeanPerSecond, "msg/s", Better.Higher,
                AnchorLabel: "shared cap", Anchor: cap, RatioTarget: 0.95));
            BenchFigures.Report("crash.two_instances.peak", "two instances: most sends in one second", two.PeakPerSecond, "msg", Better.Lower, cap);
            BenchFigures.Report("crash.two_instances.lost_doubled", "two instances: lost + doubled", two.Lost + two.Doubled, "messages", Better.Lower, 0);
        }

        await using (var database = await BenchDatabase.CreateAsync("crash_burst"))
        {
            if (database is null)
            {
                return 2;
            }

            await using var emulator = await Emulator.StartAsync(new() { LatencyMs = 50, LatencyJitterMs = 150 });
            var burst = await CrashScenarios.BurstAsync(emulator, database.ConnectionString, redis, users: 200, killAfterAnswered: 100, TimeSpan.FromSeconds(90));
            Console.WriteLine($"burst killed: {burst.Users} users sent /start, {burst.AnsweredBeforeKill} answered at the kill; after the restart {burst.Unanswered} unanswered, {burst.AnsweredTwice} answered twice (bound: UPDATE_MAX_CONCURRENCY 32), {burst.UsersWithRow} with a row; all answered {burst.RecoverSeconds:0.0} s after the restart");
            BenchFigures.Report("crash.burst.unanswered", "SIGKILL mid-burst of /start: unanswered after the restart", burst.Unanswered, "updates", Better.Lower, 0);
            BenchFigures.Report("crash.burst.twice", "SIGKILL mid-burst of /start: answered twice", burst.AnsweredTwice, "updates", Better.Lower, 32);
        }

        return 0;
    }
}
