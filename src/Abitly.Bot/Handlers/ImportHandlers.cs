using Abitly.Bot.FanOuts;
using Abitly.Bot.Import;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.Telegram;

namespace Abitly.Bot.Handlers;

/// <summary>/imports: the last import runs (when, source, offers added/changed/unchanged/withdrawn, duration, errors).</summary>
public sealed class ImportRunsHandler(CampaignDataService data) : ICommandHandler
{
    public const int Shown = 10;

    public async Task HandleAsync(BotContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Reply(AdminRenderer.ImportRuns(await data.RecentRunsAsync(Shown, ct)));
    }
}

/// <summary>/syncnow [source]: imports IMPORT_SOURCE (or the given file or URL) now, in the background; the result follows.</summary>
public sealed class SyncNowHandler(CampaignDataService data, BackgroundRuns runs, IServiceScopeFactory scopes) : ICommandHandler
{
    public Task HandleAsync(BotContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var source = context.CommandArgs.Length > 0 ? context.CommandArgs : data.SyncSource;
        if (source is null)
        {
            context.Reply(new RenderedMessage(AdminRenderer.SyncNoSource));
            return Task.CompletedTask;
        }

        var chatId = context.ChatId!.Value;
        context.Reply(AdminRenderer.SyncStarted(source));
        context.Replies.AfterCommit(committed =>
        {
            _ = runs.Start("sync " + source, chatId, async () =>
            {
                await using var scope = scopes.CreateAsyncScope();
                var report = await scope.ServiceProvider.GetRequiredService<CampaignImporter>().ImportAsync(new ImportRequest(source, "admin"), CancellationToken.None);
                await runs.NotifyAsync(chatId, AdminRenderer.ImportReport(report));
            });
            return Task.CompletedTask;
        });
        return Task.CompletedTask;
    }
}
