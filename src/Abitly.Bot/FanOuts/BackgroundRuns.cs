using System.Collections.Concurrent;
using Abitly.Bot.Hosting;
using Abitly.Bot.Rendering;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;

namespace Abitly.Bot.FanOuts;

/// <summary>
/// Runs admin-started fan-outs in the background, so the update that started one is answered at once, and reports to
/// the admin. Registered as a runtime component before the sender, so it stops after it: by then the sender has
/// finished or counted as unsent what it could not send, and a run can still report that.
/// </summary>
public sealed partial class BackgroundRuns(ITelegramBotClient bot, ILogger<BackgroundRuns> logger) : IRuntimeComponent
{
    private readonly ConcurrentDictionary<Task, string> _running = new();

    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken ct)
    {
        try
        {
            await Task.WhenAll(_running.Keys).WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            LogAbandoned(_running.Count);
        }
    }

    /// <summary>Starts <paramref name="run"/>; a failure is logged and the admin gets the apology.</summary>
    public Task Start(string name, long adminChatId, Func<Task> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var task = Task.Run(async () =>
        {
            try
            {
                await run();
            }
            catch (Exception ex)
            {
                LogRunFailed(ex, name);
                await NotifyAsync(adminChatId, new RenderedMessage(Texts.Apology));
            }
        });
        _running.TryAdd(task, name);
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
        return task;
    }

    /// <summary>A message to the admin who started a run (not a fan-out: one message, outside any update).</summary>
    public async Task NotifyAsync(long chatId, RenderedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            await bot.SendMessage(chatId, message.Html, ParseMode.Html, replyMarkup: message.Keyboard);
        }
        catch (Exception ex)
        {
            LogNotifyFailed(ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Background run {Name} failed")]
    private partial void LogRunFailed(Exception ex, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report to the admin: {Error}")]
    private partial void LogNotifyFailed(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} background runs were still going at shutdown")]
    private partial void LogAbandoned(int count);
}
