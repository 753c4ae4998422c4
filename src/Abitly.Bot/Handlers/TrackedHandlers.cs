using Abitly.Bot.Callbacks;
using Abitly.Bot.Configuration;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.Telegram;

namespace Abitly.Bot.Handlers;

/// <summary>
/// Following offers: ⭐ under an offer view, /tracked with its pages, open and unfollow buttons (also on alerts), and the
/// alert settings. A press edits the message it came from; a refusal (the limit, another year, a withdrawn or vanished
/// offer) is an alert on the press and changes nothing.
/// </summary>
public sealed class TrackedHandler(TrackingService tracking, OfferService offers, AbitlySettings settings) :
    ICommandHandler,
    ICallbackHandler<TrackFollow>,
    ICallbackHandler<TrackUnfollow>,
    ICallbackHandler<TrackedPage>,
    ICallbackHandler<TrackedOpen>,
    ICallbackHandler<TrackedSettings>,
    ICallbackHandler<TrackedSetMode>,
    ICallbackHandler<TrackedSetThreshold>
{
    /// <summary>/tracked: the first page.</summary>
    public async Task HandleAsync(BotContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Reply(TrackedRenderer.List(await tracking.GetListAsync(context.User!, ct), 0));
    }

    public async Task HandleAsync(BotContext context, TrackFollow data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        var outcome = await tracking.FollowAsync(context.User!, data.OfferId, ct);
        if (outcome is not (TrackOutcome.Followed or TrackOutcome.AlreadyFollowing))
        {
            context.Answer(TrackedRenderer.Refusal(outcome, settings.CampaignYear), alert: true);
            return;
        }

        var view = await offers.BuildOfferViewAsync(data.OfferId, null, context.User, ct);
        context.EditOrKeep(OfferViewRenderer.Render(view), outcome == TrackOutcome.Followed ? TrackedRenderer.Followed : TrackedRenderer.AlreadyFollowing);
    }

    public async Task HandleAsync(BotContext context, TrackUnfollow data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        var removed = await tracking.UnfollowAsync(context.UserId, data.OfferId, ct);
        var notice = removed ? TrackedRenderer.Unfollowed : TrackedRenderer.NotFollowing;
        if (data.From.Page is { } page)
        {
            context.EditOrKeep(TrackedRenderer.List(await tracking.GetListAsync(context.User!, ct), page), notice);
        }
        else if (data.From.FromAlert)
        {
            // The alert stays as it was: it tells what happened then.
            context.Answer(notice);
        }
        else
        {
            var view = await offers.BuildOfferViewAsync(data.OfferId, null, context.User, ct);
            context.EditOrKeep(OfferViewRenderer.Render(view), notice);
        }
    }

    public async Task HandleAsync(BotContext context, TrackedPage data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        context.EditOrKeep(TrackedRenderer.List(await tracking.GetListAsync(context.User!, ct), data.Page));
    }

    public async Task HandleAsync(BotContext context, TrackedOpen data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        context.Reply(OfferViewRenderer.Render(await offers.BuildOfferViewAsync(data.OfferId, null, context.User, ct)));
    }

    public async Task HandleAsync(BotContext context, TrackedSettings data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.EditOrKeep(TrackedRenderer.Settings(await tracking.GetPreferenceAsync(context.UserId, ct)));
    }

    public async Task HandleAsync(BotContext context, TrackedSetMode data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        context.EditOrKeep(TrackedRenderer.Settings(await tracking.SetModeAsync(context.User!, data.Mode, ct)), TrackedRenderer.Saved);
    }

    public async Task HandleAsync(BotContext context, TrackedSetThreshold data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(data);
        context.EditOrKeep(TrackedRenderer.Settings(await tracking.SetThresholdAsync(context.UserId, data.Places, ct)), TrackedRenderer.Saved);
    }
}
