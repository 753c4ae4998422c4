using Abitly.Bot.Callbacks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Telegram.Bot.Types;

namespace Abitly.Bot.Telegram;

/// <summary>A handler of one or more slash commands; which ones is said where it is registered.</summary>
public interface ICommandHandler
{
    Task HandleAsync(BotContext context, CancellationToken ct);
}

/// <summary>A handler of the buttons whose callback data is a <typeparamref name="TData"/>.</summary>
public interface ICallbackHandler<in TData>
{
    Task HandleAsync(BotContext context, TData data, CancellationToken ct);
}

/// <summary>A handler of plain private-chat text (not a command); the first, by order, that accepts the text wins.</summary>
public interface ITextHandler
{
    Task<bool> TryHandleAsync(BotContext context, string text, CancellationToken ct);
}

/// <summary>A /start deep-link payload kind, such as "link_"; gets the text after the prefix.</summary>
public interface IStartPayloadHandler
{
    Task HandleAsync(BotContext context, string value, CancellationToken ct);
}

/// <summary>Reacts to the bot being blocked or unblocked in a private chat.</summary>
public interface IChatMemberHandler
{
    Task HandleAsync(BotContext context, ChatMemberUpdated change, CancellationToken ct);
}

/// <summary>One entry of the route table: what it matches, which handler type serves it, and how to call it.</summary>
public sealed record Route(
    RouteKind Kind,
    string Key,
    Type HandlerType,
    bool AdminOnly,
    int Order,
    Func<object, BotContext, string, CancellationToken, Task<bool>> Invoke);

/// <summary>What a route matches.</summary>
public enum RouteKind
{
    Command,
    Callback,
    Text,
    StartPayload,
    ChatMember,
}

/// <summary>
/// Registers handlers with the route they serve. Only the route table is a singleton; a handler (and what it depends on)
/// is built from the update's scope when, and only when, an update matches its route.
/// </summary>
public static class RouteRegistration
{
    public static IServiceCollection AddCommand<THandler>(this IServiceCollection services, params string[] commands)
        where THandler : class, ICommandHandler =>
        AddCommands<THandler>(services, adminOnly: false, commands);

    /// <summary>Commands only ADMIN_IDS may run; anyone else gets the unknown-command hint, and the attempt is logged.</summary>
    public static IServiceCollection AddAdminCommand<THandler>(this IServiceCollection services, params string[] commands)
        where THandler : class, ICommandHandler =>
        AddCommands<THandler>(services, adminOnly: true, commands);

    public static IServiceCollection AddCallback<THandler, TData>(this IServiceCollection services, bool adminOnly = false)
        where THandler : class, ICallbackHandler<TData>
        where TData : class, ICallbackData<TData>
    {
        services.TryAddScoped<THandler>();
        return services.AddSingleton(new Route(RouteKind.Callback, TData.Prefix, typeof(THandler), adminOnly, 0, static async (handler, context, data, ct) =>
        {
            if (CallbackData.Unpack<TData>(data) is not { } typed)
            {
                return false;
            }

            await ((ICallbackHandler<TData>)handler).HandleAsync(context, typed, ct);
            return true;
        }));
    }

    /// <summary>Plain text handlers run by <paramref name="order"/> (dialogs waiting for input before link patterns).</summary>
    public static IServiceCollection AddTextHandler<THandler>(this IServiceCollection services, int order)
        where THandler : class, ITextHandler
    {
        services.TryAddScoped<THandler>();
        return services.AddSingleton(new Route(RouteKind.Text, typeof(THandler).Name, typeof(THandler), false, order,
            static (handler, context, text, ct) => ((ITextHandler)handler).TryHandleAsync(context, text, ct)));
    }

    public static IServiceCollection AddStartPayload<THandler>(this IServiceCollection services, string prefix)
        where THandler : class, IStartPayloadHandler
    {
        services.TryAddScoped<THandler>();
        return services.AddSingleton(new Route(RouteKind.StartPayload, prefix, typeof(THandler), false, 0, static async (handler, context, value, ct) =>
        {
            await ((IStartPayloadHandler)handler).HandleAsync(context, value, ct);
            return true;
        }));
    }

    public static IServiceCollection AddChatMemberHandler<THandler>(this IServiceCollection services)
        where THandler : class, IChatMemberHandler
    {
        services.TryAddScoped<THandler>();
        return services.AddSingleton(new Route(RouteKind.ChatMember, "", typeof(THandler), false, 0, static async (handler, context, _, ct) =>
        {
            await ((IChatMemberHandler)handler).HandleAsync(context, context.Update.MyChatMember!, ct);
            return true;
        }));
    }

    private static IServiceCollection AddCommands<THandler>(IServiceCollection services, bool adminOnly, string[] commands)
        where THandler : class, ICommandHandler
    {
        services.TryAddScoped<THandler>();
        foreach (var command in commands)
        {
            services.AddSingleton(new Route(RouteKind.Command, command.ToLowerInvariant(), typeof(THandler), adminOnly, 0, static async (handler, context, _, ct) =>
            {
                await ((ICommandHandler)handler).HandleAsync(context, ct);
                return true;
            }));
        }

        return services;
    }
}

/// <summary>The route table, built once from the registrations: lookups only, no handler instances.</summary>
public sealed class UpdateRoutes
{
    private readonly Dictionary<string, Route> _commands;
    private readonly Route[] _callbacks;
    private readonly Route[] _payloads;

    public UpdateRoutes(IEnumerable<Route> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var all = routes.ToList();
        _commands = all.Where(r => r.Kind == RouteKind.Command).ToDictionary(r => r.Key, StringComparer.Ordinal);
        // Longest prefix first, so "profile:unlink-yes" is not taken by "profile:unlink".
        _callbacks = [.. all.Where(r => r.Kind == RouteKind.Callback).OrderByDescending(r => r.Key.Length)];
        _payloads = [.. all.Where(r => r.Kind == RouteKind.StartPayload).OrderByDescending(r => r.Key.Length)];
        Texts = [.. all.Where(r => r.Kind == RouteKind.Text).OrderBy(r => r.Order)];
        ChatMember = all.FirstOrDefault(r => r.Kind == RouteKind.ChatMember);
    }

    public IReadOnlyList<Route> Texts { get; }

    public Route? ChatMember { get; }

    public Route? Command(string name) => _commands.GetValueOrDefault(name);

    public Route? Callback(string data) => _callbacks.FirstOrDefault(r => CallbackData.HasPrefix(data, r.Key));

    public Route? StartPayload(string payload) => _payloads.FirstOrDefault(r => payload.StartsWith(r.Key, StringComparison.Ordinal));
}
