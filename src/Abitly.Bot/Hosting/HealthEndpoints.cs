using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Services;
using Abitly.Bot.State;
using Abitly.Bot.Telegram;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Hosting;

/// <summary>/healthcheck (liveness, up before anything else) and /readyz (database, Redis when used, receiving).</summary>
public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this WebApplication app)
    {
        app.MapGet("/healthcheck", () => Results.Text("OK"));
        app.MapGet("/readyz", async (AbitlySettings settings, IServiceProvider services, CancellationToken ct) =>
        {
            var database = settings.DatabaseProvider == DatabaseProvider.Sqlite ? "sqlite" : "postgres";
            var checks = new Dictionary<string, string>
            {
                // Through the bot's own pooled context: a probe every few seconds should not open a fresh connection each time.
                [database] = await ProbeAsync(async token =>
                {
                    await using var scope = services.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<AbitlyDbContext>().Database.ExecuteSqlRawAsync("SELECT 1", token);
                }, ct),
            };
            if (settings.UsesRedis)
            {
                checks["redis"] = await ProbeAsync(_ => services.GetRequiredService<IKeyValueStore>().PingAsync(), ct);
            }

            checks["receiving"] = services.GetRequiredService<IUpdateReceiver>().IsRunning ? "ok" : "stopped";
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
