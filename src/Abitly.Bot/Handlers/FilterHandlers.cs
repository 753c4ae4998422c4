using Abitly.Bot.Callbacks;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.State;
using Abitly.Bot.Telegram;
using Abitly.Domain.Filters;

namespace Abitly.Bot.Handlers;

/// <summary>/filters and its buttons: remove, clear, and the search dialog's start, pick and cancel.</summary>
public sealed class FiltersHandler(FilterService filters, FilterDialogStore dialogs) :
    ICommandHandler,
    ICallbackHandler<FiltersShow>,
    ICallbackHandler<FiltersClear>,
    ICallbackHandler<FilterRemove>,
    ICallbackHandler<FilterSearchStart>,
    ICallbackHandler<FilterPick>,
    ICallbackHandler<FilterSearchCancel>
{
    public async Task HandleAsync(BotContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Reply(FiltersRenderer.View(await filters.GetAsync(context.UserId, ct)));
    }

    public Task HandleAsync(BotContext context, FiltersShow data, CancellationToken ct) => ShowAsync(context, null, ct);

    public async Task HandleAsync(BotContext context, FiltersClear data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        await filters.ClearAsync(context.UserId, ct);
        await ShowAsync(context, FiltersRenderer.Cleared, ct);
    }

    public async Task HandleAsync(BotContext context, FilterRemove data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        await filters.RemoveAsync(context.UserId, data.Dimension, data.Id, ct);
        await ShowAsync(context, null, ct);
    }

    public async Task HandleAsync(BotContext context, FilterSearchStart data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        var dialog = FilterDialog.Start(data.Dimension);
        await dialogs.SaveAsync(context.UserId, dialog);
        context.Reply(FiltersRenderer.Ask(dialog));
        context.Answer();
    }

    public async Task HandleAsync(BotContext context, FilterPick data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        if (await OwnDialogAsync(context, data.Nonce) is not { } dialog || dialog.Dimension != data.Dimension)
        {
            return;
        }

        if (await filters.AddAsync(context.UserId, data.Dimension, data.Id, ct) is not { } added)
        {
            context.Answer(FiltersRenderer.ChoiceGone);
            return;
        }

        await dialogs.ClearAsync(context.UserId);
        await ShowAsync(context, FiltersRenderer.Added(added), ct);
    }

    public async Task HandleAsync(BotContext context, FilterSearchCancel data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        if (await OwnDialogAsync(context, data.Nonce) is null)
        {
            return;
        }

        await dialogs.ClearAsync(context.UserId);
        await ShowAsync(context, FiltersRenderer.SearchCancelled, ct);
    }

    /// <summary>The user's waiting dialog when the button belongs to it; otherwise answers with a notice and returns null.</summary>
    private async Task<FilterDialog?> OwnDialogAsync(BotContext context, string nonce)
    {
        var dialog = await dialogs.GetAsync(context.UserId);
        if (dialog is not null && dialog.Nonce == nonce)
        {
            return dialog;
        }

        context.Answer(FiltersRenderer.DialogStale);
        return null;
    }

    /// <summary>Turns the pressed message into the filters view.</summary>
    private async Task ShowAsync(BotContext context, string? notice, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.EditOrKeep(FiltersRenderer.View(await filters.GetAsync(context.UserId, ct), notice));
    }
}

/// <summary>Free text while a /filters dialog waits for input: a search by name, short name or code, answered with buttons.</summary>
public sealed class FilterSearchHandler(FilterService filters, FilterDialogStore dialogs) : ITextHandler
{
    public async Task<bool> TryHandleAsync(BotContext context, string text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await dialogs.GetAsync(context.UserId) is not { } dialog)
        {
            return false;
        }

        var query = FilterQuery.From(text);
        if (query.TooShort)
        {
            context.Reply(FiltersRenderer.TooShort(dialog));
            return true;
        }

        var found = await filters.SearchAsync(dialog.Dimension, query.Text!, ct);
        context.Reply(found.Count == 0 ? FiltersRenderer.NothingFound(dialog, query.Text!) : FiltersRenderer.Results(dialog, query.Text!, found));
        return true;
    }
}
