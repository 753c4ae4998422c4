using Abitly.Bot.Configuration;
using Abitly.Bot.Services;
using Abitly.Bot.State;
using StackExchange.Redis;
using Telegram.Bot;

namespace Abitly.Bot.Commands;

/// <summary>`link-token --web-user N [--ttl SECONDS] [--bot USERNAME]`: mints a token as the web backend does and prints the deep link.</summary>
public static class LinkTokenCommand
{
    public static async Task<int> RunAsync(AbitlySettings settings, long webUser, TimeSpan ttl, string? botUsername, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(settings.RedisConfiguration);
        var token = await LinkingService.MintAsync(new LinkTokenStore(new RedisKeyValueStore(redis)), webUser, DateTimeOffset.UtcNow, ttl);
        botUsername ??= await BotUsernameAsync(settings);
        await output.WriteLineAsync($"https://t.me/{botUsername.TrimStart('@')}?start={LinkToken.StartPayloadPrefix}{token}");
        await errors.WriteLineAsync($"Valid for {ttl.TotalSeconds:0} s, once, for web user {webUser}.");
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
}
