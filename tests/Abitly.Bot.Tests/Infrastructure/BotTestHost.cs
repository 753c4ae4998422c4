using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Emulator = Abitly.BotApiEmulator.BotApiEmulator;
using EmulatorOptions = Abitly.BotApiEmulator.BotApiEmulatorOptions;

namespace Abitly.Bot.Tests.Infrastructure;

/// <summary>
/// The real bot host, in process, with the Bot API emulator and a fresh database: PostgreSQL with real Redis (production),
/// or a SQLite file with in-memory state (the sandbox's configuration).
/// </summary>
public sealed class BotTestHost : IAsyncDisposable
{
    private readonly bool _ownsEmulator;
    private WebApplication? _app;
    private Task<int>? _run;

    private BotTestHost(Emulator emulator, string databaseConnectionString, AbitlySettings settings, bool ownsEmulator = true)
    {
        Emulator = emulator;
        DatabaseConnectionString = databaseConnectionString;
        Settings = settings;
        _ownsEmulator = ownsEmulator;
    }

    /// <summary>Webhook mode: where this instance takes Telegram's deliveries (what a load balancer would send to).</summary>
    public string WebhookTarget => new Uri(BaseAddress, new Uri(Settings.WebhookUrl!).AbsolutePath).ToString();

    /// <summary>Another instance of the bot: the same emulator, database and Redis, its own process-like host.</summary>
    public async Task<BotTestHost> StartAnotherInstanceAsync(Action<WebApplicationBuilder>? customize = null)
    {
        var other = new BotTestHost(Emulator, DatabaseConnectionString, Settings, ownsEmulator: false);
        await other.StartBotAsync(customize);
        return other;
    }

    public Emulator Emulator { get; }
    public string DatabaseConnectionString { get; }
    public AbitlySettings Settings { get; private set; }
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("not started");
    public Uri BaseAddress { get; private set; } = null!;
    public TestLogSink Logs { get; } = new();

    public const long AdminId = 900001;

    public static async Task<BotTestHost> StartAsync(
        Func<AbitlySettings, AbitlySettings>? configure = null,
        Action<WebApplicationBuilder>? customize = null,
        EmulatorOptions? emulatorOptions = null,
        string? databaseConnectionString = null,
        DatabaseProvider provider = DatabaseProvider.Postgres)
    {
        var emulator = await Emulator.StartAsync(emulatorOptions);
        var cs = databaseConnectionString
            ?? (provider == DatabaseProvider.Sqlite ? await TestServices.CreateSqliteDatabaseAsync() : await TestServices.CreateDatabaseAsync());
        var settings = DefaultSettings(emulator.BaseUrl, cs);
        if (provider == DatabaseProvider.Sqlite)
        {
            settings = settings with { DatabaseProvider = DatabaseProvider.Sqlite, RedisConfiguration = "" };
        }

        if (configure is not null)
        {
            settings = configure(settings);
        }

        var host = new BotTestHost(emulator, cs, settings);
        await host.StartBotAsync(customize);
        return host;
    }

    public static AbitlySettings DefaultSettings(string apiUrl, string databaseConnectionString) => new()
    {
        BotToken = "123456:TEST-token_secret",
        DatabaseConnectionString = databaseConnectionString,
        RedisConfiguration = TestServices.RedisConfiguration,
        Port = 0,
        TelegramApiUrl = apiUrl,
        AdminIds = new HashSet<long> { AdminId },
        CampaignYear = TestServices.CampaignYear,
        PollTimeoutSeconds = 2,
        ShutdownGraceSeconds = 5,
        LinkWebUrl = "https://abitly.example/profile",
    };

    /// <summary>Starts (or restarts, after <see cref="StopBotAsync"/>) the bot against the same emulator and database.</summary>
    public async Task StartBotAsync(Action<WebApplicationBuilder>? customize = null)
    {
        var since = DateTimeOffset.UtcNow;
        _app = BotHost.Build(Settings, customize: builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.AddProvider(Logs);
            customize?.Invoke(builder);
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseAddress = new Uri(address);
        var runtime = _app.Services.GetRequiredService<BotRuntime>();
        var stopping = _app.Lifetime.ApplicationStopping;
        _run = Task.Run(() => runtime.RunAsync(stopping));
        // Wait until the bot receives (the first getUpdates, or its setWebhook), so tests start with a receiving bot.
        var method = Settings.WebhookMode ? "setWebhook" : "getUpdates";
        try
        {
            await Emulator.WaitForCallAsync(c => c.Method == method && c.StartedAt >= since && c.StatusCode == 200, TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException ex)
        {
            // What the bot said while it did not start is the only clue a CI log will have.
            throw new TimeoutException($"{ex.Message}{Environment.NewLine}Bot log:{Environment.NewLine}{string.Join(Environment.NewLine, Logs.Lines.TakeLast(40))}", ex);
        }
    }

    /// <summary>Graceful stop, as on SIGTERM; returns the runtime's exit code.</summary>
    public async Task<int> StopBotAsync()
    {
        if (_app is null || _run is null)
        {
            return -1;
        }

        _app.Lifetime.StopApplication();
        var code = await _run.WaitAsync(TimeSpan.FromSeconds(60));
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
        _run = null;
        return code;
    }

    public AbitlyDbContext OpenDb() => Database.Open(Settings.DatabaseProvider, DatabaseConnectionString);

    /// <summary>
    /// Waits until no row of the fan-out is pending (every outcome is recorded: the rows' statuses are the signal) and
    /// returns its tally; an empty tally when <paramref name="batchId"/> is null (nothing was queued).
    /// </summary>
    public async Task<FanOutTally> WaitForFanOutAsync(long? batchId, TimeSpan? timeout = null)
    {
        if (batchId is not { } id)
        {
            return new FanOutTally(0, 0, 0, 0, 0);
        }

        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            await using (var db = OpenDb())
            {
                var counts = await db.Outbox.Where(m => m.BatchId == id).GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() })
                    .ToDictionaryAsync(g => g.Key, g => g.Count);
                var tally = FanOutTally.From(counts);
                if (tally.Pending == 0)
                {
                    return tally;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"fan-out {id} still has pending rows");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopBotAsync();
        if (_ownsEmulator)
        {
            await Emulator.DisposeAsync();
        }

        if (Settings.DatabaseProvider == DatabaseProvider.Postgres)
        {
            // Idle pooled connections would outlive the test by minutes; many finished tests' pools add up to the server's limit.
            using var connection = new Npgsql.NpgsqlConnection(DatabaseConnectionString);
            Npgsql.NpgsqlConnection.ClearPool(connection);
        }
    }
}
