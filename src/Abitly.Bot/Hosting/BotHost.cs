using Abitly.Bot.Callbacks;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.FanOuts;
using Abitly.Bot.Handlers;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.State;
using Abitly.Bot.Telegram;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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

    /// <summary>
    /// The host for validated <paramref name="settings"/>. With <paramref name="configuration"/> (the production path) the
    /// configured options are bound again and validated when the host starts (ValidateOnStart), so a host is never started
    /// on settings its configuration would not pass. With <paramref name="listenHandle"/> Kestrel, when it starts, listens on
    /// the socket it hands over (the early health listener's, already listening on PORT) instead of binding PORT itself.
    /// </summary>
    public static WebApplication Build(AbitlySettings settings, IConfiguration? configuration = null, Action<WebApplicationBuilder>? customize = null, Func<ulong>? listenHandle = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        if (listenHandle is not null)
        {
            builder.WebHost.ConfigureKestrel(k => k.ListenHandle(listenHandle()));
        }
        else
        {
            builder.WebHost.UseUrls($"http://0.0.0.0:{settings.Port}");
        }

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
        if (configuration is not null)
        {
            builder.Services.AddOptions<AbitlyOptions>().Bind(configuration).ValidateOnStart();
            builder.Services.AddSingleton<IValidateOptions<AbitlyOptions>>(new AbitlyOptionsValidator(SettingsRequirements.Run, TimeProvider.System));
        }
        builder.Services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(BotMetrics.MeterName)
            .AddPrometheusExporter());

        customize?.Invoke(builder);

        var app = builder.Build();
        app.MapHealthEndpoints();
        if (settings.WebhookMode)
        {
            app.MapWebhookEndpoint(settings);
        }

        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>Every service of the bot, area by area, in the order an update meets them.</summary>
    public static IServiceCollection AddAbitlyServices(this IServiceCollection services, AbitlySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<BotMetrics>();
        services.AddSingleton<BotIdentity>();
        services.AddSingleton<InstanceIdentity>();
        services.AddSingleton<BotRuntime>();
        AddTelegramClients(services, settings);
        services.AddAbitlyDatabase(settings.DatabaseProvider, settings.DatabaseConnectionString);
        AddState(services, settings);
        AddUpdatePipeline(services, settings);
        AddServices(services);
        AddCharts(services);
        AddRoutes(services);
        // Runtime components start in this order and stop in reverse: the outbox acknowledger (with the pipeline) stops last,
        // so it records what the workers and the sender hand back; the workers stop after the scheduler, whose jobs queue work.
        AddFanOuts(services, settings);
        AddScheduling(services, settings);
        services.AddCampaignImport(settings);
        services.AddSimulation();
        // After an import completes here, simulate at once rather than at the next catch-up.
        services.AddSingleton<Import.IImportRunObserver, Simulation.SimulationNudge>();
        return services;
    }

    /// <summary>The allocation simulation over the imported lists, for the bot's job and for the `simulate` command.</summary>
    public static IServiceCollection AddSimulation(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InstanceIdentity>();
        services.AddScoped<Simulation.SimulationRunner>();
        return services;
    }

    /// <summary>The importer of campaign snapshots, for the bot's sync job and admin commands and for the import command.</summary>
    public static IServiceCollection AddCampaignImport(this IServiceCollection services, AbitlySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(settings);
        services.AddHttpClient(Import.CampaignImporter.HttpClientName);
        services.AddSingleton<Data.Import.IImportWriterFactory>(new Data.Import.ImportWriterFactory(settings.DatabaseProvider, settings.DatabaseConnectionString));
        services.AddScoped<ImportRunStore>();
        services.AddScoped<Import.CampaignImporter>();
        return services;
    }

    private static void AddTelegramClients(IServiceCollection services, AbitlySettings settings)
    {
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
    }

    /// <summary>Short-lived shared state: Redis in production, process memory in the sandbox.</summary>
    private static void AddState(IServiceCollection services, AbitlySettings settings)
    {
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
            services.AddSingleton<IKeyValueStore, RedisKeyValueStore>();
        }
        else
        {
            services.AddSingleton<IKeyValueStore, MemoryKeyValueStore>();
        }

        services.AddSingleton<PhotoFileIds>();
        services.AddSingleton<LinkTokenStore>();
        services.AddSingleton<FilterDialogStore>();
        services.AddSingleton<BroadcastDrafts>();
    }

    private static void AddUpdatePipeline(IServiceCollection services, AbitlySettings settings)
    {
        if (settings.WebhookMode)
        {
            services.AddSingleton<WebhookReceiver>();
            services.AddSingleton<IUpdateReceiver>(sp => sp.GetRequiredService<WebhookReceiver>());
        }
        else
        {
            services.AddSingleton<IUpdateReceiver, LongPollingReceiver>();
        }

        services.AddSingleton<OutboxAcknowledger>();
        services.AddSingleton<IRuntimeComponent>(sp => sp.GetRequiredService<OutboxAcknowledger>());
        services.AddSingleton<UpdateDispatcher>();
        services.AddSingleton<UpdatePipeline>();
        services.AddSingleton<UpdateRouter>();
        services.AddSingleton<UpdateRoutes>();
    }

    /// <summary>Services do the work and return data; they never see Telegram types.</summary>
    private static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<LocalCalendar>();
        services.AddSingleton(sp => new OfferApplicationsCache(sp.GetRequiredService<AbitlySettings>()));
        services.AddScoped<OfferService>();
        services.AddScoped<OfferChartService>();
        services.AddScoped<ProfileService>();
        services.AddScoped<LinkingService>();
        services.AddScoped<OpenDayService>();
        services.AddScoped<FilterService>();
        services.AddScoped<OpenDayReminderService>();
        services.AddScoped<OpenDayUpdateService>();
        services.AddScoped<BroadcastService>();
        services.AddScoped<CampaignDataService>();
        services.AddScoped<TrackingService>();
        services.AddScoped<TrackedAlertService>();
        services.AddSingleton(TrackedAlertOptions.Default);
        services.AddScoped<SimulationStandingService>();
    }

    /// <summary>The score chart's painter: a couple of renders at a time, warmed in the background at start.</summary>
    private static void AddCharts(IServiceCollection services)
    {
        services.AddSingleton<ScoreChartPainter>();
        services.AddSingleton<IRuntimeComponent>(sp => sp.GetRequiredService<ScoreChartPainter>());
    }

    /// <summary>The route table: each handler is built only for the updates that match it.</summary>
    private static void AddRoutes(IServiceCollection services)
    {
        services.AddCommand<StartHandler>("start", "help");
        services.AddStartPayload<LinkPayloadHandler>(LinkToken.StartPayloadPrefix);
        services.AddChatMemberHandler<ChatMemberHandler>();
        services.AddTextHandler<FilterSearchHandler>(order: 10);   // a dialog waiting for input comes first
        services.AddTextHandler<OfferLinkHandler>(order: 100);
        services.AddCallback<OfferRefreshHandler, OfferRefresh>();
        services.AddCallback<OfferChartHandler, OfferChart>();
        services.AddCommand<ProfileHandler>("profile");
        services.AddCallback<ProfileHandler, ProfileShow>();
        services.AddCallback<ProfileHandler, ProfileUnlink>();
        services.AddCallback<ProfileHandler, ProfileUnlinkConfirmed>();
        services.AddCommand<OpenDaysHandler>("opendays");
        services.AddCallback<OpenDaysHandler, OpenDaysPage>();
        services.AddCallback<OpenDaysHandler, OpenDaysFollowed>();
        services.AddCallback<OpenDaysHandler, OpenDayFollow>();
        services.AddCallback<OpenDaysHandler, OpenDayUnfollow>();
        services.AddCommand<FiltersHandler>("filters");
        services.AddCallback<FiltersHandler, FiltersShow>();
        services.AddCallback<FiltersHandler, FiltersClear>();
        services.AddCallback<FiltersHandler, FilterRemove>();
        services.AddCallback<FiltersHandler, FilterSearchStart>();
        services.AddCallback<FiltersHandler, FilterPick>();
        services.AddCallback<FiltersHandler, FilterSearchCancel>();
        services.AddAdminCommand<BroadcastHandler>("broadcast");
        services.AddCallback<BroadcastHandler, BroadcastConfirm>(adminOnly: true);
        services.AddCallback<BroadcastHandler, BroadcastCancel>(adminOnly: true);
        services.AddCallback<BroadcastHandler, FanOutStop>(adminOnly: true);
        services.AddAdminCommand<AdminRunHandler>("notifyopendaysupdate", "rundailynow");
        services.AddAdminCommand<ImportRunsHandler>("imports");
        services.AddAdminCommand<SyncNowHandler>("syncnow");
        services.AddCommand<TrackedHandler>("tracked");
        services.AddCallback<TrackedHandler, TrackFollow>();
        services.AddCallback<TrackedHandler, TrackUnfollow>();
        services.AddCallback<TrackedHandler, TrackedPage>();
        services.AddCallback<TrackedHandler, TrackedOpen>();
        services.AddCallback<TrackedHandler, TrackedSettings>();
        services.AddCallback<TrackedHandler, TrackedSetMode>();
        services.AddCallback<TrackedHandler, TrackedSetThreshold>();
    }

    /// <summary>
    /// Every fan-out is written to the outbox and sent by its workers through the one paced MessageSender; the pace is
    /// shared by all instances through Redis when there is one.
    /// </summary>
    private static void AddFanOuts(IServiceCollection services, AbitlySettings settings)
    {
        services.AddSingleton<BackgroundRuns>();
        services.AddSingleton<IRuntimeComponent>(sp => sp.GetRequiredService<BackgroundRuns>());
        services.AddScoped<DailyReminderRun>();
        services.AddScoped<OpenDayUpdateRun>();
        services.AddScoped<TrackedAlertRun>();
        services.AddSingleton<Import.IImportRunObserver, TrackedAlertObserver>();
        services.AddScoped<NotificationFanOut>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton(MessageSenderOptions.From(settings));
        services.AddSingleton(new OutboxOptions { Retention = TimeSpan.FromHours(settings.OutboxRetentionHours) });
        if (settings.UsesRedis)
        {
            services.AddSingleton<ISendSlots>(sp => new RedisSendSlots(
                sp.GetRequiredService<IConnectionMultiplexer>(), settings.SendRatePerSecond, settings.SendLocalSharePercent / 100.0,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RedisSendSlots>>()));
        }
        else
        {
            services.AddSingleton<ISendSlots>(sp => new MemorySendSlots(settings.SendRatePerSecond, sp.GetRequiredService<TimeProvider>()));
        }

        services.AddSingleton<MessageSender>();
        services.AddSingleton<IRuntimeComponent>(sp => sp.GetRequiredService<MessageSender>());
        // After the sender, so they stop before it: the worker stops leasing, then hands back what the sender did not send.
        services.AddSingleton<OutboxWorker>();
        services.AddSingleton<IRuntimeComponent>(sp => sp.GetRequiredService<OutboxWorker>());
        services.AddSingleton<FanOutMonitor>();
        services.AddSingleton<IRuntimeComponent>(sp => sp.GetRequiredService<FanOutMonitor>());
    }

    private static void AddScheduling(IServiceCollection services, AbitlySettings settings)
    {
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
    }
}
