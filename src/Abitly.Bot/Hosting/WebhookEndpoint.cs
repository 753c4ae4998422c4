using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Abitly.Bot.Configuration;
using Abitly.Bot.Telegram;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Abitly.Bot.Hosting;

/// <summary>
/// POST at the path of WEBHOOK_URL: Telegram's secret header checked in constant time (a wrong one is 401, logged
/// without its value), the update stored in the inbox before 200, and 503 when it cannot be (the database is away, or
/// this instance is stopping), so Telegram delivers it again.
/// </summary>
public static partial class WebhookEndpoint
{
    /// <summary>The header Telegram sends the secret_token of setWebhook in.</summary>
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    // Telegram's updates are a few kilobytes; anything far larger is not from Telegram.
    private const int MaxBody = 1 << 20;

    public static void MapWebhookEndpoint(this WebApplication app, AbitlySettings settings)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);
        var path = new Uri(settings.WebhookUrl!).AbsolutePath;
        var secret = Encoding.UTF8.GetBytes(settings.WebhookSecret!);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookEndpoint));
        var metrics = app.Services.GetRequiredService<BotMetrics>();

        app.MapPost(path, async (HttpContext http, WebhookReceiver receiver, CancellationToken ct) =>
        {
            var given = http.Request.Headers[SecretHeader].ToString();
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), secret))
            {
                LogUnauthorized(logger, http.Connection.RemoteIpAddress?.ToString() ?? "unknown", given.Length > 0 ? "wrong" : "missing");
                metrics.WebhookDelivery("unauthorized");
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }

            if (http.Request.ContentLength > MaxBody)
            {
                metrics.WebhookDelivery("invalid");
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }

            string json;
            using (var reader = new StreamReader(http.Request.Body, Encoding.UTF8))
            {
                json = await reader.ReadToEndAsync(ct);
            }

            Update? update;
            try
            {
                update = JsonSerializer.Deserialize<Update>(json, JsonBotAPI.Options);
            }
            catch (JsonException ex)
            {
                update = null;
                LogInvalid(logger, ex.Message);
            }

            if (update is null || update.Id <= 0)
            {
                // Not an update at all: another try would not make it one.
                metrics.WebhookDelivery("invalid");
                return Results.BadRequest();
            }

            return await receiver.AcceptAsync(update, json, ct) switch
            {
                WebhookAcceptance.Accepted => Results.Ok(),
                _ => Results.StatusCode(StatusCodes.Status503ServiceUnavailable),
            };
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook request from {Remote} refused: the secret token is {Problem}")]
    private static partial void LogUnauthorized(ILogger logger, string remote, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook request with a body that is not an update ({Error}); refused")]
    private static partial void LogInvalid(ILogger logger, string error);
}
