using System.Collections.Concurrent;
using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace Abitly.Bot.Services;

/// <summary>
/// Runs the admin fan-outs (/broadcast, /notifyOpenDaysUpdate) in the background, so the update pipeline answers the
/// admin at once and the chat stays responsive; every message goes through the <see cref="MessageSender"/>.
/// </summary>
/// <remarks>
/// Registered as a runtime component before the sender, so it stops after it: by then the sender has finished or
/// counted as unsent what it could not send, and the runs here can still report that to the admin.
/// </remarks>
public sealed partial class BroadcastRunner(
    IServiceScopeFactory scopes,
    MessageSender sender,
    ITelegramBotClient bot,
    TimeProvider time,
    ILogger<BroadcastRunner> logger) : IRuntimeComponent
{
    /// <summary>The progress message is edited at most this often.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(3);

    // Timers and the emulator's (or Telegram's) clock differ by milliseconds; the margin keeps edits strictly apart.
    private static readonly TimeSpan ProgressSlack = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<Task, bool> _running = new();

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

    /// <summary>Sends a claimed draft to every non-blocked user; edits <paramref name="progressMessageId"/> as it goes.</summary>
    public void StartBroadcast(BroadcastDraft draft, long adminChatId, int progressMessageId) =>
        Track(adminChatId, () => BroadcastAsync(draft, adminChatId, progressMessageId));

    /// <summary>Sends today's open-day updates to the users whose filters match, then a summary to the admin.</summary>
    public void StartOpenDayUpdate(long adminChatId) => Track(adminChatId, () => OpenDayUpdateAsync(adminChatId));

    /// <summary>/runDailyNow: the daily reminder job's work, now, with the result sent to the admin.</summary>
    public void StartDailyReminders(long adminChatId) => Track(adminChatId, async () =>
    {
        await using var scope = scopes.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<NotificationService>().SendDailyOpenDayNotificationsAsync(CancellationToken.None);
        await SendToAdminAsync(adminChatId, Texts.DailyRunSummary(result));
    });

    private void Track(long adminChatId, Func<Task> run)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await run();
            }
            catch (Exception ex)
            {
                LogRunFailed(ex);
                await SendToAdminAsync(adminChatId, Texts.Apology);
            }
        });
        _running.TryAdd(task, true);
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
    }

    private async Task BroadcastAsync(BroadcastDraft draft, long adminChatId, int progressMessageId)
    {
        long[] recipients;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AbitlyDbContext>();
            recipients = await db.TelegramUsers.AsNoTracking().Where(u => u.BlockedAt == null).OrderBy(u => u.Id).Select(u => u.Id).ToArrayAsync();
        }

        var parts = BroadcastText.SplitToHtml(draft.Text);
        var tally = new Tally();
        var batch = sender.CreateBatch("broadcast");
        foreach (var recipient in recipients)
        {
            foreach (var part in parts)
            {
                batch.Add(new OutgoingMessage(recipient, part, Tag: "broadcast " + draft.Id, OnOutcome: (_, outcome) => tally.Record(outcome)));
            }
        }

        LogBroadcastStarted(draft.Id, draft.AdminId, recipients.Length, parts.Count);
        var total = batch.Count;
        var lastEdit = time.GetUtcNow();
        var shown = "";
        batch.Start();
        while (!batch.Completion.IsCompleted)
        {
            var due = lastEdit + ProgressInterval + ProgressSlack - time.GetUtcNow();
            await Task.WhenAny(Task.Delay(due > TimeSpan.Zero ? due : TimeSpan.Zero, time), batch.Completion);
            if (batch.Completion.IsCompleted)
            {
                break;
            }

            var progress = tally.Progress(total, finished: false);
            if (progress != shown)
            {
                await EditProgressAsync(adminChatId, progressMessageId, progress);
                shown = progress;
                lastEdit = time.GetUtcNow();
            }
        }

        var result = await batch.Completion;
        // The closing edit keeps the same spacing as the others.
        var wait = lastEdit + ProgressInterval + ProgressSlack - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time);
        }

        await EditProgressAsync(adminChatId, progressMessageId,
            Texts.BroadcastProgress(result.Sent, result.Blocked, result.Failed + result.DroppedAfterRetries, total, finished: true));
        await SendToAdminAsync(adminChatId, Texts.BroadcastSummary(result, recipients.Length));
    }

    private async Task OpenDayUpdateAsync(long adminChatId)
    {
        OpenDayUpdatePlan plan;
        await using (var scope = scopes.CreateAsyncScope())
        {
            plan = await scope.ServiceProvider.GetRequiredService<OpenDayUpdateService>().PrepareAsync(CancellationToken.None);
        }

        var notSent = new ConcurrentBag<OpenDayMatch>();
        var result = await sender.SendAsync("open-day-updates", plan.Messages.Select(m => new OutgoingMessage(
            m.TelegramUserId, m.Html, Tag: $"open-day {m.OpenDayId} update",
            OnOutcome: (_, outcome) =>
            {
                if (outcome != SendOutcome.Sent)
                {
                    notSent.Add(new OpenDayMatch(m.TelegramUserId, m.OpenDayId));
                }
            })));

        await using (var scope = scopes.CreateAsyncScope())
        {
            // Only successful sends stay logged; the rest may go out on a later run today.
            await scope.ServiceProvider.GetRequiredService<OpenDayUpdateService>().ReleaseAsync(notSent, plan.Today, CancellationToken.None);
        }

        LogOpenDayUpdate(plan.UpdatedDays, plan.Matched, plan.Messages.Count, result.Sent);
        await SendToAdminAsync(adminChatId, Texts.OpenDaysUpdateSummary(plan.Today, plan.UpdatedDays, plan.Matched, plan.Matched - plan.Messages.Count, result));
    }

    private async Task EditProgressAsync(long chatId, int messageId, string html)
    {
        try
        {
            await bot.EditMessageText(chatId, messageId, html, ParseMode.Html);
        }
        catch (ApiRequestException ex) when (ex.Message.Contains("message is not modified", StringComparison.OrdinalIgnoreCase))
        {
        }
        catch (Exception ex)
        {
            // Progress is a courtesy: a failed edit must not stop the broadcast.
            LogEditFailed(ex.Message);
        }
    }

    private async Task SendToAdminAsync(long chatId, string html)
    {
        try
        {
            await bot.SendMessage(chatId, html, ParseMode.Html);
        }
        catch (Exception ex)
        {
            LogEditFailed(ex.Message);
        }
    }

    /// <summary>Outcomes so far, updated from the sender's threads.</summary>
    private sealed class Tally
    {
        private int _sent;
        private int _blocked;
        private int _failed;

        public void Record(SendOutcome outcome)
        {
            switch (outcome)
            {
                case SendOutcome.Sent:
                    Interlocked.Increment(ref _sent);
                    break;
                case SendOutcome.Blocked:
                    Interlocked.Increment(ref _blocked);
                    break;
                case SendOutcome.Failed or SendOutcome.DroppedAfterRetries:
                    Interlocked.Increment(ref _failed);
                    break;
                default:
                    break;
            }
        }

        public string Progress(int total, bool finished) =>
            Texts.BroadcastProgress(Volatile.Read(ref _sent), Volatile.Read(ref _blocked), Volatile.Read(ref _failed), total, finished);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Broadcast {DraftId} by {AdminId}: {Recipients} recipients, {Parts} parts each")]
    private partial void LogBroadcastStarted(string draftId, long adminId, int recipients, int parts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Open-day update: {Days} days updated today, {Matched} matches, {New} not sent before, {Sent} sent")]
    private partial void LogOpenDayUpdate(int days, int matched, int @new, int sent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not update the admin's progress or summary: {Error}")]
    private partial void LogEditFailed(string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "An admin fan-out failed")]
    private partial void LogRunFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} admin fan-outs still running at shutdown; abandoned")]
    private partial void LogAbandoned(int count);
}
