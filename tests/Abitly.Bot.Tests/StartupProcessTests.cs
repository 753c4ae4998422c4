using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.Tests.Shared;
using Emulator = Abitly.BotApiEmulator.BotApiEmulator;

namespace Abitly.Bot.Tests;

/// <summary>The real bot process, as the platform runs it: exit codes, health before the database, SIGTERM.</summary>
public sealed class StartupProcessTests
{
    private const string Token = "123456:PROCESS-token_secret";

    [Fact]
    public async Task Bad_configuration_exits_2_with_one_line_per_problem_and_no_stack_trace()
    {
        using var bot = BotExecutable.Start(new()
        {
            ["BOT_TOKEN"] = "not-a-token",
            ["DATABASE_URL"] = "",
            ["REDIS_URL"] = "redis://127.0.0.1:6379/x",
            ["SEND_MAX_CONCURRENCY"] = "zero",
        });
        var code = await bot.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(2, code);
        var lines = bot.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("Configuration error: BOT_TOKEN", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Configuration error: DATABASE_URL", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Configuration error: REDIS_URL", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Configuration error: SEND_MAX_CONCURRENCY", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", bot.Stderr + bot.Stdout);
        Assert.DoesNotContain("not-a-token", bot.Stderr + bot.Stdout);
    }

    [Fact]
    public async Task Settings_come_from_appsettings_json_and_environment_variables_win_over_it()
    {
        var directory = Directory.CreateTempSubdirectory("abitly-appsettings-").FullName;
        var closedPort = BotExecutable.FreePort();
        await File.WriteAllTextAsync(Path.Combine(directory, "appsettings.json"), $$"""
            {
              "BOT_TOKEN": "{{Token}}",
              "DATABASE_URL": "postgres://u:p@127.0.0.1:{{closedPort}}/abitly",
              "REDIS_URL": "redis://127.0.0.1:1/0",
              "PORT": "{{BotExecutable.FreePort()}}",
              "SEND_MAX_CONCURRENCY": "zero"
            }
            """);

        // The file alone: its one bad value is reported like an environment variable's.
        using (var fromFile = BotExecutable.Start([], workingDirectory: directory))
        {
            Assert.Equal(2, await fromFile.WaitForExitAsync(TimeSpan.FromSeconds(20)));
            var lines = fromFile.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["Configuration error: SEND_MAX_CONCURRENCY: expected a whole number from 1 to 256, got 'zero'"], lines);
        }

        // An environment variable overrides the file; everything else still comes from it, so the bot gets as far as the
        // (unreachable) database named in the file.
        using var overridden = BotExecutable.Start(new() { ["SEND_MAX_CONCURRENCY"] = "4" }, workingDirectory: directory);
        Assert.Equal(1, await overridden.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("PostgreSQL is unreachable", overridden.Stdout);
        Assert.DoesNotContain("Configuration error", overridden.Stderr);
    }

    [Theory]
    [InlineData("link-token")]                       // --web-user is required
    [InlineData("link-token", "--web-user", "-5")]
    [InlineData("migrate", "--colour", "blue")]
    [InlineData("serve")]
    public async Task Bad_arguments_exit_2_with_the_commands_usage(params string[] args)
    {
        using var bot = BotExecutable.Start([], args);
        Assert.Equal(2, await bot.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("Usage: Abitly.Bot", bot.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", bot.Stderr + bot.Stdout);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("link-token", "--help")]
    [InlineData("migrate", "--help")]
    public async Task Every_command_has_help(params string[] args)
    {
        using var bot = BotExecutable.Start([], args);
        Assert.Equal(0, await bot.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("Usage:", bot.Stdout, StringComparison.Ordinal);
        Assert.Contains(args.Length > 1 ? args[0] : "link-token", bot.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_postgres_exits_1_within_15_seconds()
    {
        var closedPort = BotExecutable.FreePort();
        using var bot = BotExecutable.Start(new()
        {
            ["BOT_TOKEN"] = Token,
            ["DATABASE_URL"] = $"postgres://u:p@127.0.0.1:{closedPort}/abitly",
            ["REDIS_URL"] = "redis://127.0.0.1:1/0",
            ["PORT"] = BotExecutable.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var watch = Stopwatch.StartNew();
        var code = await bot.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, code);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
        Assert.Contains("PostgreSQL is unreachable", bot.Stdout);
    }

    [Fact]
    public async Task Healthcheck_answers_while_the_database_check_is_still_waiting()
    {
        // A server that accepts connections and never answers: the database check hangs until its timeout.
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var accepted = new List<Socket>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    accepted.Add(await blackHole.AcceptSocketAsync());
                }
                catch (Exception)
                {
                    return;
                }
            }
        });
        var port = BotExecutable.FreePort();
        using var bot = BotExecutable.Start(new()
        {
            ["BOT_TOKEN"] = Token,
            ["DATABASE_URL"] = $"Host=127.0.0.1;Port={((IPEndPoint)blackHole.LocalEndpoint).Port};Username=u;Database=d",
            ["REDIS_URL"] = "redis://127.0.0.1:1/0",
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DATABASE_CHECK_TIMEOUT_SECONDS"] = "20",
        });

        // Generous bounds: on a loaded CI machine the process may take seconds to start; what matters is that health
        // answers while the 20 s database check is still waiting.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        HttpStatusCode? status = null;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (status is null && DateTime.UtcNow < deadline)
        {
            try
            {
                status = (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthcheck"))).StatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting to answer within the attempt's 2 s.
                await Task.Delay(50);
            }
        }

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(bot.HasExited, "the database check should still be waiting");
        Assert.Equal(1, await bot.WaitForExitAsync(TimeSpan.FromSeconds(40)));
    }

    [Fact]
    public async Task Sigterm_stops_receiving_and_exits_0_without_logging_the_token()
    {
        await using var emulator = await Emulator.StartAsync();
        var database = await TestServices.CreateDatabaseAsync();
        using var bot = BotExecutable.Start(new()
        {
            ["BOT_TOKEN"] = Token,
            ["DATABASE_URL"] = database,
            ["REDIS_URL"] = Environment.GetEnvironmentVariable("REDIS_URL"),
            ["TELEGRAM_API_URL"] = emulator.BaseUrl,
            ["PORT"] = BotExecutable.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["POLL_TIMEOUT_SECONDS"] = "2",
            ["Logging__LogLevel__Default"] = "Debug",
        });
        await emulator.WaitForCallAsync(c => c.Method == "getUpdates", TimeSpan.FromSeconds(30));
        emulator.SendText(7001, "/start");
        await emulator.WaitForBotMessageAsync(7001, timeout: TimeSpan.FromSeconds(15));

        await bot.SignalAsync("TERM");
        var code = await bot.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, code);
        Assert.Contains("Stopped cleanly", bot.Stdout);
        Assert.Equal(0, emulator.PendingUpdates);
        Assert.DoesNotContain("PROCESS-token_secret", bot.Stdout + bot.Stderr);
    }
}
