using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Rendering;
using Abitly.Bot.Telegram;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Abitly.Bot.Hosting;

/// <summary>
/// The startup and shutdown order of runtime-flows.txt, after the health endpoint is already up:
/// database check (fail → exit 1) → scheduler → setMyCommands → receiving; on stop the reverse.
/// </summary>
public sealed class BotRuntime(
    AbitlySettings settings,
    ITelegramBotClient bot,
    BotIdentity identity,
    IUpdateReceiver receiver,
    IEnumerable<IRuntimeComponent> components,
    ILogger<BotRuntime> logger)
{
    /// <summary>Runs until <paramref name="stopping"/> fires; returns the process exit code.</summary>
    public async Task<int> RunAsync(CancellationToken stopping)
    {
        try
        {
            await Database.CheckAsync(settings.DatabaseProvider, settings.DatabaseConnectionString, TimeSpan.FromSeconds(settings.DatabaseCheckTimeoutSeconds), stopping);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            logger.LogCritical("{Database} is unreachable ({Error}); exiting with code 1 so the platform restarts the bot", DatabaseName, ex.GetBaseException().Message);
            return 1;
        }

        logger.LogInformation("{Database} reachable", DatabaseName);
        var started = new List<IRuntimeComponent>();
        try
        {
            foreach (var component in components)
            {
                await component.StartAsync(stopping);
                started.Add(component);
            }
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            logger.LogCritical(ex, "Startup failed in {Component}; exiting with code 1", ex.TargetSite?.DeclaringType?.Name);
            foreach (var component in Enumerable.Reverse(started))
            {
                await component.StopAsync(CancellationToken.None);
            }

            return 1;
        }

        await LearnIdentityAsync(stopping);
        await PublishCommandsAsync(stopping);
        await receiver.StartAsync(stopping);
        logger.LogInformation("Receiving updates as @{Username}", identity.Username);

        try
        {
            await Task.Delay(Timeout.Infinite, stopping);
        }
        catch (OperationCanceledException)
        {
        }

        logger.LogInformation("Stopping: receiving first, then background work");
        using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(settings.ShutdownGraceSeconds + 15));
        await receiver.StopAsync(shutdown.Token);
        foreach (var component in components.Reverse())
        {
            await component.StopAsync(shutdown.Token);
        }

        logger.LogInformation("Stopped cleanly");
        return 0;
    }

    private string DatabaseName => settings.DatabaseProvider == DatabaseProvider.Sqlite ? "SQLite database" : "PostgreSQL";

    private async Task LearnIdentityAsync(CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var me = await bot.GetMe(timeout.Token);
            identity.Username = me.Username ?? "";
            identity.Id = me.Id;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("getMe failed ({Error}); commands addressed as /cmd@bot will not be recognised until restart", ex.Message);
        }
    }

    private async Task PublishCommandsAsync(CancellationToken ct)
    {
        try
        {
            await bot.SetMyCommands(Texts.PublicCommands.Select(c => new BotCommand(c.Command, c.Description)), cancellationToken: ct);
            foreach (var admin in settings.AdminIds)
            {
                await bot.SetMyCommands(
                    Texts.PublicCommands.Concat(Texts.AdminCommands).Select(c => new BotCommand(c.Command, c.Description)),
                    new BotCommandScopeChat { ChatId = admin },
                    cancellationToken: ct);
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Not fatal: the menu is a convenience; the commands work without it.
            logger.LogWarning("setMyCommands failed ({Error}); continuing", ex.Message);
        }
    }
}

/// <summary>Background work started after the database check and stopped after receiving (scheduler, sender).</summary>
public interface IRuntimeComponent
{
    Task StartAsync(CancellationToken ct);
    Task StopAsync(CancellationToken ct);
}
