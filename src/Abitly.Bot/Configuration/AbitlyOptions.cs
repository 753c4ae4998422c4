using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Abitly.Bot.Configuration;

/// <summary>
/// The bot's settings as configuration holds them, by their variable names (environment variables first, then
/// appsettings.json). Values stay text here so that a malformed one is reported by <see cref="AbitlyOptionsValidator"/>
/// in one clear line, never as a binder exception; <see cref="AbitlySettings"/> is the parsed model the code uses.
/// </summary>
public sealed class AbitlyOptions
{
    [ConfigurationKeyName("BOT_TOKEN")]
    public string? BotToken { get; set; }

    [ConfigurationKeyName("DATABASE_URL")]
    public string? DatabaseUrl { get; set; }

    [ConfigurationKeyName("REDIS_URL")]
    public string? RedisUrl { get; set; }

    [ConfigurationKeyName("PORT")]
    public string? Port { get; set; }

    [ConfigurationKeyName("ADMIN_IDS")]
    public string? AdminIds { get; set; }

    [ConfigurationKeyName("TELEGRAM_API_URL")]
    public string? TelegramApiUrl { get; set; }

    [ConfigurationKeyName("WEBHOOK_URL")]
    public string? WebhookUrl { get; set; }

    [ConfigurationKeyName("WEBHOOK_SECRET")]
    public string? WebhookSecret { get; set; }

    [ConfigurationKeyName("SEND_MAX_CONCURRENCY")]
    public string? SendMaxConcurrency { get; set; }

    [ConfigurationKeyName("SEND_RATE_PER_SECOND")]
    public string? SendRatePerSecond { get; set; }

    [ConfigurationKeyName("SEND_MAX_RETRY")]
    public string? SendMaxRetry { get; set; }

    [ConfigurationKeyName("CAMPAIGN_YEAR")]
    public string? CampaignYear { get; set; }

    [ConfigurationKeyName("DAILY_JOB_CRON")]
    public string? DailyJobCron { get; set; }

    [ConfigurationKeyName("TIMEZONE")]
    public string? TimeZone { get; set; }

    [ConfigurationKeyName("LINK_WEB_URL")]
    public string? LinkWebUrl { get; set; }

    [ConfigurationKeyName("UPDATE_MAX_CONCURRENCY")]
    public string? UpdateMaxConcurrency { get; set; }

    [ConfigurationKeyName("POLL_TIMEOUT_SECONDS")]
    public string? PollTimeoutSeconds { get; set; }

    [ConfigurationKeyName("DATABASE_CHECK_TIMEOUT_SECONDS")]
    public string? DatabaseCheckTimeoutSeconds { get; set; }

    [ConfigurationKeyName("SHUTDOWN_GRACE_SECONDS")]
    public string? ShutdownGraceSeconds { get; set; }

    [ConfigurationKeyName("IMPORT_SOURCE")]
    public string? ImportSource { get; set; }

    [ConfigurationKeyName("IMPORT_CRON")]
    public string? ImportCron { get; set; }

    [ConfigurationKeyName("IMPORT_BEARER_TOKEN")]
    public string? ImportBearerToken { get; set; }

    [ConfigurationKeyName("IMPORT_TIMEOUT_SECONDS")]
    public string? ImportTimeoutSeconds { get; set; }

    [ConfigurationKeyName("SEND_LOCAL_SHARE_PERCENT")]
    public string? SendLocalSharePercent { get; set; }

    [ConfigurationKeyName("OUTBOX_RETENTION_HOURS")]
    public string? OutboxRetentionHours { get; set; }

    [ConfigurationKeyName("OFFER_CACHE_MB")]
    public string? OfferCacheMegabytes { get; set; }
}

/// <summary>Which settings a command cannot do without (the bot needs a token and Redis; <c>migrate</c> needs neither).</summary>
public sealed record SettingsRequirements(bool Token, bool Redis)
{
    public static SettingsRequirements Run { get; } = new(Token: true, Redis: true);

    public static SettingsRequirements DatabaseOnly { get; } = new(Token: false, Redis: false);
}

/// <summary>Validates <see cref="AbitlyOptions"/> at start: one failure per problem, each naming its variable, secrets never echoed.</summary>
public sealed class AbitlyOptionsValidator(SettingsRequirements requirements, TimeProvider time) : IValidateOptions<AbitlyOptions>
{
    public ValidateOptionsResult Validate(string? name, AbitlyOptions options)
    {
        var (_, errors) = AbitlySettings.Create(options, time.GetUtcNow(), requirements);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Where settings come from: appsettings.json (beside the program, then in the working directory), then environment variables, which win.</summary>
public static class AbitlyConfiguration
{
    public const string FileName = "appsettings.json";

    public static IConfiguration Build(string? workingDirectory = null) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, FileName), optional: true, reloadOnChange: false)
            .AddJsonFile(Path.Combine(workingDirectory ?? Directory.GetCurrentDirectory(), FileName), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .Build();

    /// <summary>Binds and validates; the settings, or one line per problem.</summary>
    public static (AbitlySettings? Settings, IReadOnlyList<string> Errors) Load(IConfiguration configuration, SettingsRequirements requirements, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(time);
        var options = new AbitlyOptions();
        configuration.Bind(options);
        return AbitlySettings.Create(options, time.GetUtcNow(), requirements);
    }
}
