using System.Globalization;
using Abitly.Bot.Configuration;
using Abitly.Bot.Services;
using Abitly.Bot.State;
using StackExchange.Redis;
using Telegram.Bot;

namespace Abitly.Bot.Hosting;

/// <summary>`link-token --web-user N [--ttl SECONDS] [--bot USERNAME]`: mints a token as the web backend does and prints the deep link.</summary>
public static class LinkTokenCommand
{
    public static async Task<int> RunAsync(AbitlySettings settings, string[] args)
    {
        long? webUser = null;
        var ttl = LinkToken.DefaultTtl;
        string? botUsername = null;
        for (var i = 0; i < args.Length - 1; i += 2)
        {
            switch (args[i])
            {
                case "--web-user" when long.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0:
                    webUser = id;
                    break;
                case "--ttl" when int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
                    ttl = TimeSpan.FromSeconds(seconds);
                    break;
                case "--bot":
                    botUsername = args[i + 1].TrimStart('@');
                    break;
                default:
                    return Usage($"bad option '{args[i]} {args[i + 1]}'");
            }
        }

        if (webUser is null)
        {
            return Usage("--web-user is required");
        }

        await using var redis = await ConnectionMultiplexer.ConnectAsync(settings.RedisConfiguration);
        var token = await LinkingService.MintAsync(new LinkTokenStore(new RedisKeyValueStore(redis)), webUser.Value, DateTimeOffset.UtcNow, ttl);
        botUsername ??= await BotUsernameAsync(settings);
        Console.WriteLine($"https://t.me/{botUsername}?start={LinkToken.StartPayloadPrefix}{token}");
        Console.Error.WriteLine($"Valid for {ttl.TotalSeconds:0} s, once, for web user {webUser}.");
        return 0;
    }

    private static async Task<string> BotUsernameAsync(AbitlySettings settings)
    {
        if (string.IsNullOrEmpty(settings.BotToken))
        {
            return "<bot>";
        }

        try
        {
            var bot = new TelegramBotClient(new TelegramBotClientOptions(settings.BotToken, settings.TelegramApiUrl));
            return (await bot.GetMe()).Username ?? "<bot>";
        }
        catch (Exception)
        {
            return "<bot>";
        }
    }

    private static int Usage(string problem)
    {
        Console.Error.WriteLine($"link-token: {problem}. Usage: link-token --web-user <id> [--ttl <seconds>] [--bot <username>]");
        return 2;
    }
}
