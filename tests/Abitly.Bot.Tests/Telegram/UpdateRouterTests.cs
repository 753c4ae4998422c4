using Abitly.Bot.Callbacks;
using Abitly.Bot.Rendering;
using Abitly.Bot.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Abitly.Bot.Tests.Telegram;

/// <summary>The router's decisions, without a bot: which handler runs (and which are never built), admin gating, stale buttons.</summary>
public sealed class UpdateRouterTests
{
    private const long Person = 501;

    [Fact]
    public async Task Only_the_matched_handler_is_built()
    {
        var (router, services, built) = Build();
        var context = Message("/beta args here");

        await router.RouteAsync(context, services, CancellationToken.None);

        Assert.Equal(["beta"], built.Names);
        Assert.Equal("beta:args here", Assert.IsType<SendReply>(Assert.Single(context.Replies.Replies)).Message.Html);
    }

    [Fact]
    public async Task An_admin_command_from_anyone_else_gets_the_unknown_command_hint_and_builds_nothing()
    {
        var (router, services, built) = Build();
        var context = Message("/secret");

        await router.RouteAsync(context, services, CancellationToken.None);

        Assert.Empty(built.Names);
        Assert.Equal(Texts.UnknownCommand, Assert.IsType<SendReply>(Assert.Single(context.Replies.Replies)).Message.Html);

        var admin = Message("/secret", isAdmin: true);
        await router.RouteAsync(admin, services, CancellationToken.None);
        Assert.Equal(["secret"], built.Names);
    }

    [Fact]
    public async Task A_start_payload_goes_to_its_handler_with_the_prefix_removed()
    {
        var (router, services, built) = Build();
        var context = Message("/start link_TOKEN-1");

        await router.RouteAsync(context, services, CancellationToken.None);

        Assert.Equal(["payload"], built.Names);
        Assert.Equal("payload:TOKEN-1", Assert.IsType<SendReply>(Assert.Single(context.Replies.Replies)).Message.Html);
    }

    [Theory]
    [InlineData("zz:1")]            // no such prefix
    [InlineData("offer:r:abc")]     // a known prefix with a malformed field
    [InlineData("offer:rr:1")]      // not on a field boundary
    public async Task A_button_nobody_can_read_is_answered_as_stale(string data)
    {
        var (router, services, _) = Build();
        var context = Callback(data);

        await router.RouteAsync(context, services, CancellationToken.None);

        Assert.Equal(Texts.StaleButton, Assert.IsType<CallbackAnswerReply>(Assert.Single(context.Replies.Replies)).Text);
    }

    [Fact]
    public async Task A_readable_button_reaches_its_handler_typed()
    {
        var (router, services, built) = Build();
        var context = Callback("offer:r:1402001");

        await router.RouteAsync(context, services, CancellationToken.None);

        Assert.Equal(["refresh"], built.Names);
        Assert.Equal("refresh:1402001", Assert.IsType<CallbackAnswerReply>(Assert.Single(context.Replies.Replies)).Text);
    }

    [Fact]
    public async Task Text_handlers_run_in_order_until_one_takes_the_text_and_group_talk_is_not_ours()
    {
        var (router, services, built) = Build();
        var context = Message("plain words");

        await router.RouteAsync(context, services, CancellationToken.None);

        Assert.Equal(["first-text", "second-text"], built.Names);
        Assert.Equal("second:plain words", Assert.IsType<SendReply>(Assert.Single(context.Replies.Replies)).Message.Html);

        var group = Message("plain words", chatType: ChatType.Group);
        await router.RouteAsync(group, services, CancellationToken.None);
        Assert.Empty(group.Replies.Replies);
    }

    private static (UpdateRouter Router, IServiceProvider Services, BuiltHandlers Built) Build()
    {
        var built = new BuiltHandlers();
        var services = new ServiceCollection().AddSingleton(built);
        services.AddCommand<AlphaHandler>("alpha");
        services.AddCommand<BetaHandler>("beta");
        services.AddAdminCommand<SecretHandler>("secret");
        services.AddStartPayload<PayloadHandler>("link_");
        services.AddCallback<RefreshHandler, OfferRefresh>();
        services.AddTextHandler<SecondTextHandler>(order: 20);
        services.AddTextHandler<FirstTextHandler>(order: 10);
        var provider = services.BuildServiceProvider();
        var router = new UpdateRouter(new UpdateRoutes(provider.GetServices<Route>()), new BotIdentity { Username = "AbitlyTestBot" }, NullLogger<UpdateRouter>.Instance);
        return (router, provider.CreateScope().ServiceProvider, built);
    }

    private static BotContext Message(string text, bool isAdmin = false, ChatType chatType = ChatType.Private)
    {
        var update = new Update
        {
            Id = 1,
            Message = new Message { Id = 1, Text = text, Chat = new Chat { Id = Person, Type = chatType }, From = new User { Id = Person, FirstName = "Олена" } },
        };
        return new BotContext(update, null, isAdmin, new ReplySink());
    }

    private static BotContext Callback(string data)
    {
        var update = new Update
        {
            Id = 2,
            CallbackQuery = new CallbackQuery
            {
                Id = "cb1",
                Data = data,
                From = new User { Id = Person, FirstName = "Олена" },
                Message = new Message { Id = 7, Chat = new Chat { Id = Person, Type = ChatType.Private } },
            },
        };
        return new BotContext(update, null, false, new ReplySink());
    }

    /// <summary>Which handlers were constructed, in order.</summary>
    private sealed class BuiltHandlers
    {
        public List<string> Names { get; } = [];
    }

    private sealed class AlphaHandler : ICommandHandler
    {
        public AlphaHandler(BuiltHandlers built) => built.Names.Add("alpha");

        public Task HandleAsync(BotContext context, CancellationToken ct)
        {
            context.Reply(new RenderedMessage("alpha"));
            return Task.CompletedTask;
        }
    }

    private sealed class BetaHandler : ICommandHandler
    {
        public BetaHandler(BuiltHandlers built) => built.Names.Add("beta");

        public Task HandleAsync(BotContext context, CancellationToken ct)
        {
            context.Reply(new RenderedMessage("beta:" + context.CommandArgs));
            return Task.CompletedTask;
        }
    }

    private sealed class SecretHandler : ICommandHandler
    {
        public SecretHandler(BuiltHandlers built) => built.Names.Add("secret");

        public Task HandleAsync(BotContext context, CancellationToken ct) => Task.CompletedTask;
    }

    private sealed class PayloadHandler : IStartPayloadHandler
    {
        public PayloadHandler(BuiltHandlers built) => built.Names.Add("payload");

        public Task HandleAsync(BotContext context, string value, CancellationToken ct)
        {
            context.Reply(new RenderedMessage("payload:" + value));
            return Task.CompletedTask;
        }
    }

    private sealed class RefreshHandler : ICallbackHandler<OfferRefresh>
    {
        public RefreshHandler(BuiltHandlers built) => built.Names.Add("refresh");

        public Task HandleAsync(BotContext context, OfferRefresh data, CancellationToken ct)
        {
            context.Answer("refresh:" + data.OfferId);
            return Task.CompletedTask;
        }
    }

    private sealed class FirstTextHandler : ITextHandler
    {
        public FirstTextHandler(BuiltHandlers built) => built.Names.Add("first-text");

        public Task<bool> TryHandleAsync(BotContext context, string text, CancellationToken ct) => Task.FromResult(false);
    }

    private sealed class SecondTextHandler : ITextHandler
    {
        public SecondTextHandler(BuiltHandlers built) => built.Names.Add("second-text");

        public Task<bool> TryHandleAsync(BotContext context, string text, CancellationToken ct)
        {
            context.Reply(new RenderedMessage("second:" + text));
            return Task.FromResult(true);
        }
    }
}
