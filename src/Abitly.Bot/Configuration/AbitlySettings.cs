using System.Globalization;
using Npgsql;

namespace Abitly.Bot.Configuration;

/// <summary>The one typed configuration model of the bot: what <see cref="AbitlyOptions"/> holds, parsed and validated.</summary>
public sealed record AbitlySettings
{
    /// <summary>Telegram's public Bot API.</summary>
    public const string TelegramDefaultApiUrl = "https://api.telegram.org";

    public required string BotToken { get; init; }
    public required string DatabaseConnectionString { get; init; }
    /// <summary>PostgreSQL unless the sandbox says SQLite.</summary>
    public Data.DatabaseProvider DatabaseProvider { get; init; } = Data.DatabaseProvider.Postgres;
    /// <summary>Empty only in the sandbox: short-lived state then lives in process memory (see <c>IKeyValueStore</c>).</summary>
    public required string RedisConfiguration { get; init; }
    public int Port { get; init; } = 8080;
    public IReadOnlySet<long> AdminIds { get; init; } = new HashSet<long>();
    public string TelegramApiUrl { get; init; } = TelegramDefaultApiUrl;
    public string? WebhookUrl { get; init; }
    public string? WebhookSecret { get; init; }
    public int SendMaxConcurrency { get; init; } = 8;
    public int SendRatePerSecond { get; init; } = 25;
    public int SendMaxRetry { get; init; } = 3;
    public int CampaignYear { get; init; }
    public string DailyJobCron { get; init; } = "0 0 7 * * ?";
    public string TimeZoneId { get; init; } = "Europe/Kyiv";
    public string? LinkWebUrl { get; init; }
    /// <summary>Updates of different chats handled at once.</summary>
    public int UpdateConcurrency { get; init; } = 32;
    /// <summary>Seconds a getUpdates long poll waits for news.</summary>
    public int PollTimeoutSeconds { get; init; } = 25;
    /// <summary>Seconds the startup database check may take before the process gives up (exit 1).</summary>
    public int DatabaseCheckTimeoutSeconds { get; init; } = 10;
    /// <summary>Seconds in-flight updates get to finish on shutdown.</summary>
    public int ShutdownGraceSeconds { get; init; } = 10;
    /// <summary>Where the scheduled sync reads campaign snapshots (a file, a folder or an http(s) URL); null: no sync.</summary>
    public string? ImportSource { get; init; }
    /// <summary>Quartz cron of the scheduled sync (in TIMEZONE).</summary>
    public string ImportCron { get; init; } = DefaultImportCron;
    /// <summary>Sent as "Authorization: Bearer …" to an http(s) import source; never logged.</summary>
    public string? ImportBearerToken { get; init; }
    /// <summary>Seconds an http(s) import source may take to deliver the whole snapshot.</summary>
    public int ImportTimeoutSeconds { get; init; } = 300;
    /// <summary>The share of SEND_RATE_PER_SECOND one instance uses alone while Redis (the shared pace) is unreachable.</summary>
    public int SendLocalSharePercent { get; init; } = 50;
    public int OutboxRetentionHours { get; init; } = 168;
    /// <summary>Megabytes the offer view's prepared lists may take in memory (estimated); 0 keeps none.</summary>
    public int OfferCacheMegabytes { get; init; } = DefaultOfferCacheMegabytes;

    /// <summary>The offer cache's budget when OFFER_CACHE_MB is not set (chosen from the Zipf hit rates in the README).</summary>
    public const int DefaultOfferCacheMegabytes = 24;

    /// <summary>Every 30 minutes.</summary>
    public const string DefaultImportCron = "0 0/30 * * * ?";

    public bool WebhookMode => !string.IsNullOrEmpty(WebhookUrl);

    public bool UsesRedis => !string.IsNullOrEmpty(RedisConfiguration);

    /// <summary>Admission campaign of a date: the campaign of year Y runs from its summer, so before June it is still last year's.</summary>
    public static int CampaignYearOf(DateTimeOffset now) => now.Month >= 6 ? now.Year : now.Year - 1;

    /// <summary>Parses and validates the configured values; the settings, or one line per problem naming the variable.</summary>
    public static (AbitlySettings? Settings, IReadOnlyList<string> Errors) Create(AbitlyOptions options, DateTimeOffset now, SettingsRequirements requirements)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(requirements);
        var errors = new List<string>();
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["BOT_TOKEN"] = options.BotToken,
            ["DATABASE_URL"] = options.DatabaseUrl,
            ["REDIS_URL"] = options.RedisUrl,
            ["PORT"] = options.Port,
            ["ADMIN_IDS"] = options.AdminIds,
            ["TELEGRAM_API_URL"] = options.TelegramApiUrl,
            ["WEBHOOK_URL"] = options.WebhookUrl,
            ["WEBHOOK_SECRET"] = options.WebhookSecret,
            ["SEND_MAX_CONCURRENCY"] = options.SendMaxConcurrency,
            ["SEND_RATE_PER_SECOND"] = options.SendRatePerSecond,
            ["SEND_MAX_RETRY"] = options.SendMaxRetry,
            ["CAMPAIGN_YEAR"] = options.CampaignYear,
            ["DAILY_JOB_CRON"] = options.DailyJobCron,
            ["TIMEZONE"] = options.TimeZone,
            ["LINK_WEB_URL"] = options.LinkWebUrl,
            ["UPDATE_MAX_CONCURRENCY"] = options.UpdateMaxConcurrency,
            ["POLL_TIMEOUT_SECONDS"] = options.PollTimeoutSeconds,
            ["DATABASE_CHECK_TIMEOUT_SECONDS"] = options.DatabaseCheckTimeoutSeconds,
            ["SHUTDOWN_GRACE_SECONDS"] = options.ShutdownGraceSeconds,
            ["IMPORT_SOURCE"] = options.ImportSource,
            ["IMPORT_CRON"] = options.ImportCron,
            ["IMPORT_BEARER_TOKEN"] = options.ImportBearerToken,
            ["IMPORT_TIMEOUT_SECONDS"] = options.ImportTimeoutSeconds,
            ["SEND_LOCAL_SHARE_PERCENT"] = options.SendLocalSharePercent,
            ["OUTBOX_RETENTION_HOURS"] = options.OutboxRetentionHours,
            ["OFFER_CACHE_MB"] = options.OfferCacheMegabytes,
        };
        string? Get(string name)
        {
            var v = values[name];
            return string.IsNullOrWhiteSpace(v) ? null : v.Trim();
        }

        int Int(string name, int fallback, int min, int max)
        {
            var raw = Get(name);
            if (raw is null)
            {
                return fallback;
            }

            if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                errors.Add($"{name}: expected a whole number from {min} to {max}, got '{raw}'");
                return fallback;
            }

            return value;
        }

        var token = Get("BOT_TOKEN");
        if (token is null)
        {
            if (requirements.Token)
            {
                errors.Add("BOT_TOKEN: required (the token from @BotFather, like 123456:ABC...)");
            }
        }
        else if (!IsTokenShaped(token))
        {
            // The value itself is never echoed: it is a secret.
            errors.Add("BOT_TOKEN: malformed, expected '<digits>:<letters, digits, _ or ->'");
        }

        string? database = null;
        var databaseRaw = Get("DATABASE_URL");
        if (databaseRaw is null)
        {
            errors.Add("DATABASE_URL: required (postgres://user:password@host:5432/db or an Npgsql connection string)");
        }
        else if (!ConnectionStrings.TryPostgres(databaseRaw, out database, out var why))
        {
            errors.Add($"DATABASE_URL: {why}");
        }

        string? redis = null;
        var redisRaw = Get("REDIS_URL");
        if (redisRaw is null && requirements.Redis)
        {
            errors.Add("REDIS_URL: required (redis://host:6379/0 or a StackExchange.Redis configuration string)");
        }
        else if (redisRaw is not null && !ConnectionStrings.TryRedis(redisRaw, out redis, out var why))
        {
            errors.Add($"REDIS_URL: {why}");
        }

        var admins = new HashSet<long>();
        foreach (var part in (Get("ADMIN_IDS") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (long.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                admins.Add(id);
            }
            else
            {
                errors.Add($"ADMIN_IDS: '{part}' is not a Telegram user id (comma-separated positive numbers)");
            }
        }

        var apiUrl = Get("TELEGRAM_API_URL") ?? TelegramDefaultApiUrl;
        if (!IsHttpUrl(apiUrl))
        {
            errors.Add($"TELEGRAM_API_URL: expected an http(s) URL, got '{apiUrl}'");
        }

        var webhookUrl = Get("WEBHOOK_URL");
        var webhookSecret = Get("WEBHOOK_SECRET");
        if (webhookUrl is not null && !IsHttpUrl(webhookUrl))
        {
            errors.Add("WEBHOOK_URL: expected an https URL");
        }

        if (webhookUrl is not null && (webhookSecret is null || !webhookSecret.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') || webhookSecret.Length > 256))
        {
            errors.Add("WEBHOOK_SECRET: required with WEBHOOK_URL, 1-256 characters of A-Z a-z 0-9 _ -");
        }

        var timeZone = Get("TIMEZONE") ?? "Europe/Kyiv";
        if (!TryResolveZone(timeZone))
        {
            errors.Add($"TIMEZONE: '{timeZone}' is not a known time zone on this machine");
        }

        var cron = Get("DAILY_JOB_CRON") ?? "0 0 7 * * ?";
        if (!IsValidCron(cron))
        {
            errors.Add($"DAILY_JOB_CRON: '{cron}' is not a valid Quartz cron expression (sec min hour day month weekday)");
        }

        var linkWeb = Get("LINK_WEB_URL");
        if (linkWeb is not null && !IsHttpUrl(linkWeb))
        {
            errors.Add($"LINK_WEB_URL: expected an http(s) URL, got '{linkWeb}'");
        }

        var importSource = Get("IMPORT_SOURCE");
        if (importSource is not null && (importSource.Contains("://", StringComparison.Ordinal) && !IsHttpUrl(importSource)))
        {
            errors.Add("IMPORT_SOURCE: expected a file, a folder or an http(s) URL");
        }

        var importCron = Get("IMPORT_CRON") ?? DefaultImportCron;
        if (!IsValidCron(importCron))
        {
            errors.Add($"IMPORT_CRON: '{importCron}' is not a valid Quartz cron expression (sec min hour day month weekday)");
        }

        var settings = new AbitlySettings
        {
            BotToken = token ?? "",
            DatabaseConnectionString = database ?? "",
            RedisConfiguration = redis ?? "",
            Port = Int("PORT", 8080, 0, 65535),
            AdminIds = admins,
            TelegramApiUrl = apiUrl.TrimEnd('/'),
            WebhookUrl = webhookUrl,
            WebhookSecret = webhookSecret,
            SendMaxConcurrency = Int("SEND_MAX_CONCURRENCY", 8, 1, 256),
            SendRatePerSecond = Int("SEND_RATE_PER_SECOND", 25, 1, 1000),
            SendMaxRetry = Int("SEND_MAX_RETRY", 3, 0, 20),
            CampaignYear = Int("CAMPAIGN_YEAR", CampaignYearOf(now), 2000, 2100),
            DailyJobCron = cron,
            TimeZoneId = timeZone,
            LinkWebUrl = linkWeb,
            UpdateConcurrency = Int("UPDATE_MAX_CONCURRENCY", 32, 1, 1024),
            PollTimeoutSeconds = Int("POLL_TIMEOUT_SECONDS", 25, 0, 50),
            DatabaseCheckTimeoutSeconds = Int("DATABASE_CHECK_TIMEOUT_SECONDS", 10, 1, 60),
            ShutdownGraceSeconds = Int("SHUTDOWN_GRACE_SECONDS", 10, 0, 120),
            ImportSource = importSource,
            ImportCron = importCron,
            ImportBearerToken = Get("IMPORT_BEARER_TOKEN"),
            ImportTimeoutSeconds = Int("IMPORT_TIMEOUT_SECONDS", 300, 5, 3600),
            SendLocalSharePercent = Int("SEND_LOCAL_SHARE_PERCENT", 50, 1, 100),
            OutboxRetentionHours = Int("OUTBOX_RETENTION_HOURS", 168, 1, 24 * 365),
            OfferCacheMegabytes = Int("OFFER_CACHE_MB", DefaultOfferCacheMegabytes, 0, 4096),
        };
        return errors.Count == 0 ? (settings, errors) : (null, errors);
    }

    /// <summary>Telegram tokens are '&lt;bot id&gt;:&lt;secret&gt;'; the client library rejects anything else.</summary>
    public static bool IsTokenShaped(string token)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            && token[..colon].All(char.IsAsciiDigit)
            && colon < token.Length - 1
            && token[(colon + 1)..].All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
    }

    private static bool IsValidCron(string expression)
    {
        try
        {
            _ = new Quartz.CronExpression(expression);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static bool TryResolveZone(string id)
    {
        try
        {
            _ = Domain.OpenDays.OpenDayZone.Resolve(id);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
