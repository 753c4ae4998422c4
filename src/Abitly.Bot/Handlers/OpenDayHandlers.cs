using Abitly.Bot.Callbacks;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.Telegram;

namespace Abitly.Bot.Handlers;

/// <summary>/opendays and its buttons: pages, the followed list, follow and unfollow (then the same view again).</summary>
public sealed class OpenDaysHandler(OpenDayService openDays) :
    ICommandHandler,
    ICallbackHandler<OpenDaysPage>,
    ICallbackHandler<OpenDaysFollowed>,
    ICallbackHandler<OpenDayFollow>,
    ICallbackHandler<OpenDayUnfollow>
{
    public async Task HandleAsync(BotContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Reply(OpenDayRenderer.Page(await openDays.GetPageAsync(context.UserId, 0, ct)));
    }

    public async Task HandleAsync(BotContext context, OpenDaysPage data, CancellationToken ct) =>
        await ShowAsync(context, new OpenDaysView(data.Page), null, ct);

    public async Task HandleAsync(BotContext context, OpenDaysFollowed data, CancellationToken ct) =>
        await ShowAsync(context, OpenDaysView.Followed, null, ct);

    public async Task HandleAsync(BotContext context, OpenDayFollow data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        var outcome = await openDays.FollowAsync(context.UserId, data.OpenDayId, ct);
        await ShowAsync(context, data.Back, outcome == FollowOutcome.OpenDayGone ? OpenDayRenderer.Gone : OpenDayRenderer.Followed, ct);
    }

    public async Task HandleAsync(BotContext context, OpenDayUnfollow data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        var outcome = await openDays.UnfollowAsync(context.UserId, data.OpenDayId, ct);
        await ShowAsync(context, data.Back, outcome == FollowOutcome.OpenDayGone ? OpenDayRenderer.Gone : OpenDayRenderer.Unfollowed, ct);
    }

    /// <summary>Turns the pressed message into <paramref name="view"/>; a second press of the same button leaves it as it is.</summary>
    private async Task ShowAsync(BotContext context, OpenDaysView view, string? notice, CancellationToken ct)
    {
        var message = view.Page is { } page
            ? OpenDayRenderer.Page(await openDays.GetPageAsync(context.UserId, page, ct))
            : OpenDayRenderer.FollowedList(await openDays.GetFollowedAsync(context.UserId, ct));
        context.EditOrKeep(message, notice);
    }
}
