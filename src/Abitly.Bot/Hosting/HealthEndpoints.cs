using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Messaging;
using Abitly.Bot.Services;
using Abitly.Bot.State;
using Abitly.Bot.Telegram;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Hosting;

/// <summary>
/// /healthcheck (liveness, up before anything else) and /readyz: the checks that decide readiness (database, Redis when
/// used, receiving) and, beside them, how sends are paced (shared with the other instances, or alone) and the outbox depth.
/// </summary>
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
            var report = checks.ToDictionary(c => c.Key, c => (object)c.Value);
            report["send_pacing"] = services.GetRequiredService<ISendSlots>().IsShared
                ? (settings.UsesRedis ? "shared" : "this instance only")
                : $"alone at {settings.SendLocalSharePercent}% of the cap (Redis unreachable)";
            if (services.GetRequiredService<OutboxWorker>().Depth is { } depth)
            {
                report["outbox"] = new Dictionary<string, object?>
                {
                    ["replies_pending"] = depth.Replies,
                    ["fan_out_pending"] = depth.FanOut,
                    ["oldest_due"] = depth.OldestDue,
                };
            }

            if (services.GetRequiredService<IUpdateReceiver>() is WebhookReceiver webhook)
            {
                report["webhook"] = webhook.Registered ? "set" : "not set yet (retrying setWebhook)";
                try
                {
                    await using var scope = services.CreateAsyncScope();
                    report["inbox_pending"] = await scope.ServiceProvider.GetRequiredService<UpdateLog>().InboxDepthAsync(ct);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    report["inbox_pending"] = ex.GetBaseException().Message;
                }
            }

            return Results.Json(report, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
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
