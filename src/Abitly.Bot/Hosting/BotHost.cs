using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Handlers;
using Abitly.Bot.Messaging;
using Abitly.Bot.Telegram;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using OpenTelemetry.Metrics;
using Quartz;
using StackExchange.Redis;
using Telegram.Bot;

namespace Abitly.Bot.Hosting;

/// <summary>Builds the web host with every service of the bot registered and nothing started.</summary>
public static class BotHost
{
    /// <summary>The client that answers users (small automatic 429 retry) and the sender's client (no automatic retry).</summary>
    public const string SenderClientKey = "sender";

    public static WebApplication Build(AbitlySettings settings, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls($"http://0.0.0.0:{settings.Port}");
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        // Telegram.Bot puts the token in every request URL: HTTP client logs must never print it.
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Quartz", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(settings.ShutdownGraceSeconds + 20));

        builder.Services.AddAbitlyServices(settings);
        builder.Services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(BotMetrics.MeterName)
            .AddPrometheusExporter());

        customize?.Invoke(builder);

        var app = builder.Build();
        app.MapHealthEndpoints();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    public static IServiceCollection AddAbitlyServices(this IServiceCollection services, AbitlySettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<BotMetrics>();
        services.AddSingleton<BotIdentity>();

        // One shared handler: Telegram.Bot clients are thread-safe, and no IHttpClientFactory logging sees the token.
        services.AddSingleton(_ => new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 256,
        })
        {
            Timeout = TimeSpan.FromSeconds(settings.PollTimeoutSeconds + 30),
        });
        services.AddSingleton<ITelegramBotClient>(sp => new TelegramBotClient(
            new TelegramBotClientOptions(settings.BotToken, settings.TelegramApiUrl) { RetryThreshold = 5, RetryCount = 2 },
            sp.GetRequiredService<HttpClient>()));
        services.AddKeyedSingleton<ITelegramBotClient>(SenderClientKey, (sp, _) => new TelegramBotClient(
            new TelegramBotClientOptions(settings.BotToken, settings.TelegramApiUrl) { RetryThreshold = 0, RetryCount = 0 },
            sp.GetRequiredService<HttpClient>()));

        services.AddAbitlyDatabase(settings.DatabaseProvider, settings.DatabaseConnectionString);

        if (settings.UsesRedis)
        {
            services.AddSingleton<IConnectionMultiplexer>(_ =>
            {
                var options = ConfigurationOptions.Parse(settings.RedisConfiguration);
                options.AbortOnConnectFail = false;
                options.ConnectTimeout = 3000;
                options.SyncTimeout = 3000;
                options.AsyncTimeout = 3000;
                return ConnectionMultiplexer.Connect(options);
            });
            services.AddSingleton<Services.IKeyValueStore, Services.RedisKeyValueStore>();
        }
        else
        {
            services.AddSingleton<Services.IKeyValueStore, Services.MemoryKeyValueStore>();
        }

        services.AddSingleton<UpdatePipeline>();
        services.AddSingleton<UpdateDispatcher>();
        services.AddSingleton<IUpdateReceiver, LongPollingReceiver>();
        services.AddScoped<UpdateRouter>();
        services.AddScoped<ICommandHandler, StartHandler>();
        services.AddScoped<IChatMemberHandler, ChatMemberHandler>();
        services.AddScoped<ITextHandler, OfferLinkHandler>();
        services.AddScoped<ICallbackHandler, OfferRefreshHandler>();
        services.AddScoped<Services.OfferService>();
        services.AddSingleton<Services.OfferApplicationsCache>();
        services.AddScoped<Services.LinkingService>();
        services.AddSingleton<Services.LinkTokenStore>();
        services.AddScoped<IStartPayloadHandler, LinkPayloadHandler>();
        services.AddScoped<ProfileHandler>();
        services.AddScoped<ICommandHandler>(sp => sp.GetRequiredService<ProfileHandler>());
        services.AddScoped<ICallbackHandler>(sp => sp.GetRequiredService<ProfileHandler>());
        // Open days, filters and the admin fan-outs (issue 7). The fan-out runner is a runtime component registered
        // before the sender, so it stops after it and can still report what the sender could not send.
        services.AddScoped<Services.OpenDayService>();
        services.AddScoped<Services.OpenDayUpdateService>();
        services.AddScoped<Services.FilterService>();
        services.AddSingleton<Services.FilterDialogStore>();
        services.AddSingleton<Services.BroadcastDrafts>();
        services.AddSingleton<Services.BroadcastRunner>();
        services.AddSingleton<IRuntimeComponent>(sp => sp.GetRequiredService<Services.BroadcastRunner>());
        services.AddScoped<OpenDaysHandler>();
        services.AddScoped<ICommandHandler>(sp => sp.GetRequiredService<OpenDaysHandler>());
        services.AddScoped<ICallbackHandler>(sp => sp.GetRequiredService<OpenDaysHandler>());
        services.AddScoped<FiltersHandler>();
        services.AddScoped<ICommandHandler>(sp => sp.GetRequiredService<FiltersHandler>());
        services.AddScoped<ICallbackHandler>(sp => sp.GetRequiredService<FiltersHandler>());
        services.AddScoped<ITextHandler, FilterSearchHandler>();
        services.AddScoped<BroadcastHandler>();
        services.AddScoped<ICommandHandler>(sp => sp.GetRequiredService<BroadcastHandler>());
        services.AddScoped<ICallbackHandler>(sp => sp.GetRequiredService<BroadcastHandler>());
        services.AddScoped<ICommandHandler, AdminRunHandler>();
        // The sender is a runtime component registered before the scheduler, so it stops after it (components stop in reverse).
        services.AddSingleton(MessageSenderOptions.From(settings));
        services.AddSingleton<IRecipientBlocklist, DbRecipientBlocklist>();
        services.AddSingleton<MessageSender>();
        services.AddSingleton<IRuntimeComponent>(sp => sp.GetRequiredService<MessageSender>());
        services.AddScoped<Services.NotificationService>();
        services.AddScoped<Services.NotificationClaims>();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o => o.GenerateInstanceId = true);
            if (settings.DatabaseProvider == DatabaseProvider.Postgres)
            {
                q.UsePersistentStore(store =>
                {
                    store.UsePostgres(settings.DatabaseConnectionString);
                    store.UseClustering();
                    store.ProvisionSchema();
                    store.ConfigureStore(o => o.MisfireThreshold = Scheduling.DailyScheduler.MisfireThreshold);
                });
            }
            else
            {
                // The sandbox: one process, nothing to survive a restart, so the trigger lives in memory.
                q.UseInMemoryStore();
            }
        });
        services.AddSingleton<IRuntimeComponent, Scheduling.DailyScheduler>();
        services.AddSingleton<BotRuntime>();
        return services;
    }
}
