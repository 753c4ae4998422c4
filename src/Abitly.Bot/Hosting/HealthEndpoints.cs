using Abitly.Bot.Configuration;
using Abitly.Bot.Telegram;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;
using StackExchange.Redis;

namespace Abitly.Bot.Hosting;

/// <summary>/healthcheck (liveness, up before anything else) and /readyz (PostgreSQL, Redis, receiving).</summary>
public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this WebApplication app)
    {
        app.MapGet("/healthcheck", () => Results.Text("OK"));
        app.MapGet("/readyz", async (AbitlySettings settings, IServiceProvider services, CancellationToken ct) =>
        {
            var checks = new Dictionary<string, string>
            {
                ["postgres"] = await ProbeAsync(async token =>
                {
                    await using var connection = new NpgsqlConnection(settings.DatabaseConnectionString);
                    await connection.OpenAsync(token);
                    await using var command = new NpgsqlCommand("SELECT 1", connection);
                    await command.ExecuteScalarAsync(token);
                }, ct),
                ["redis"] = await ProbeAsync(async _ =>
                {
                    var redis = services.GetRequiredService<IConnectionMultiplexer>();
                    await redis.GetDatabase().PingAsync();
                }, ct),
                ["receiving"] = services.GetRequiredService<IUpdateReceiver>().IsRunning ? "ok" : "stopped",
            };
            var ready = checks.Values.All(v => v == "ok");
            return Results.Json(checks, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
    }

    private static async Task<string> ProbeAsync(Func<CancellationToken, Task> probe, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await probe(timeout.Token).WaitAsync(timeout.Token);
            return "ok";
        }
        catch (Exception ex)
        {
            return "down: " + ex.GetType().Name;
        }
    }
}
