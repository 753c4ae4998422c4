using Abitly.Bot.Callbacks;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.Telegram;

namespace Abitly.Bot.Handlers;

/// <summary>/start link_&lt;token&gt;: redeems a one-time token from the web backend.</summary>
public sealed class LinkPayloadHandler(LinkingService linking) : IStartPayloadHandler
{
    public async Task HandleAsync(BotContext context, string value, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Reply(ProfileRenderer.LinkOutcome(await linking.RedeemAsync(value, context.User!, ct)));
    }
}

/// <summary>/profile and its unlink buttons (with confirmation).</summary>
public sealed class ProfileHandler(ProfileService profiles) :
    ICommandHandler,
    ICallbackHandler<ProfileShow>,
    ICallbackHandler<ProfileUnlink>,
    ICallbackHandler<ProfileUnlinkConfirmed>
{
    public async Task HandleAsync(BotContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Reply(ProfileRenderer.View(await profiles.GetAsync(context.User!, ct)));
    }

    public async Task HandleAsync(BotContext context, ProfileShow data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.EditOrKeep(ProfileRenderer.View(await profiles.GetAsync(context.User!, ct)));
    }

    public async Task HandleAsync(BotContext context, ProfileUnlink data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.EditOrKeep(context.User!.WebUserId is null
            ? ProfileRenderer.View(await profiles.GetAsync(context.User, ct))
            : ProfileRenderer.UnlinkConfirm());
    }

    public async Task HandleAsync(BotContext context, ProfileUnlinkConfirmed data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ProfileService.Unlink(context.User!);
        context.EditOrKeep(ProfileRenderer.View(await profiles.GetAsync(context.User!, ct), ProfileRenderer.Unlinked));
    }
}
