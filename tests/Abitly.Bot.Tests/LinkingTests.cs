using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Abitly.Bot.Callbacks;
using Abitly.Bot.Data;
using Abitly.Bot.Handlers;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.State;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Abitly.Bot.Tests;

/// <summary>Account linking against real Redis and PostgreSQL, end to end through the emulator.</summary>
public sealed class LinkingTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private BotTestHost _host = null!;
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync()
    {
        _host = await BotTestHost.StartAsync();
        _redis = await ConnectionMultiplexer.ConnectAsync(TestServices.RedisConfiguration);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _redis.DisposeAsync();
    }

    /// <summary>Writes the key exactly as the web backend does (the contract of runtime-flows.txt).</summary>
    private async Task<string> BackendMintsAsync(string json, TimeSpan? ttl = null)
    {
        var token = LinkToken.NewToken();
        await _redis.GetDatabase().StringSetAsync("abitly:link:" + token, json, ttl ?? TimeSpan.FromSeconds(600));
        return token;
    }

    private Task<long?> WebUserOfAsync(long telegramId) => WaitForCommittedAsync(telegramId);

    private async Task<long?> WaitForCommittedAsync(long telegramId)
    {
        await FoundationTests.WaitForIdleAsync(_host);
        await using var db = _host.OpenDb();
        return (await db.TelegramUsers.SingleAsync(u => u.Id == telegramId)).WebUserId;
    }

    [Fact]
    public async Task Happy_path_links_once_and_a_replay_is_refused()
    {
        var token = await BackendMintsAsync("""{"web_user_id": 1, "created_at": "2026-11-28T10:00:00Z"}""");
        _host.Emulator.SendText(9001, "/start link_" + token);
        var linked = await _host.Emulator.WaitForBotMessageAsync(9001, timeout: Wait);
        Assert.Contains("Олена Демченко", linked.Text);
        Assert.Equal(DemoData.Ids.DemoWebUser, await WebUserOfAsync(9001));
        Assert.False(await _redis.GetDatabase().KeyExistsAsync("abitly:link:" + token));

        _host.Emulator.SendText(9002, "/start link_" + token);
        var replay = await _host.Emulator.WaitForBotMessageAsync(9002, timeout: Wait);
        Assert.Equal(ProfileRenderer.LinkInvalid, replay.Text);
        Assert.Null(await WebUserOfAsync(9002));
        Assert.DoesNotContain(_host.Logs.Lines, l => l.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Linked_profile_shows_grades_and_can_be_unlinked_with_confirmation()
    {
        var token = await BackendMintsAsync("""{"web_user_id": 1, "created_at": "2026-11-28T10:00:00Z"}""");
        _host.Emulator.SendText(9003, "/start link_" + token);
        await _host.Emulator.WaitForBotMessageAsync(9003, timeout: Wait);
        await FoundationTests.WaitForIdleAsync(_host);

        _host.Emulator.SendText(9003, "/profile");
        var profile = await _host.Emulator.WaitForBotMessageAsync(9003, m => m.Text!.Contains("Ваш профіль"), Wait);
        Assert.Contains("Математика: <b>167</b>", profile.Text);
        Assert.Contains("Англійська мова: <b>152</b>", profile.Text);

        _host.Emulator.PressButton(9003, 9003, profile.MessageId, CallbackData.Pack(new ProfileUnlink()));
        await FoundationTests.WaitUntilAsync(() => _host.Emulator.MessagesIn(9003).Single(m => m.MessageId == profile.MessageId).Text == ProfileRenderer.UnlinkConfirm().Html);
        Assert.Equal(DemoData.Ids.DemoWebUser, await WebUserOfAsync(9003));

        _host.Emulator.PressButton(9003, 9003, profile.MessageId, CallbackData.Pack(new ProfileUnlinkConfirmed()));
        await FoundationTests.WaitUntilAsync(() => _host.Emulator.MessagesIn(9003).Single(m => m.MessageId == profile.MessageId).Text!.StartsWith(ProfileRenderer.Unlinked, StringComparison.Ordinal));
        Assert.Null(await WebUserOfAsync(9003));
        var after = _host.Emulator.MessagesIn(9003).Single(m => m.MessageId == profile.MessageId);
        Assert.Contains(after.ReplyMarkup!.SelectMany(r => r), b => b.Url == "https://abitly.example/profile");
    }

    [Fact]
    public async Task A_web_user_linked_elsewhere_moves_here_and_relinking_the_same_pair_is_harmless()
    {
        var first = await BackendMintsAsync("""{"web_user_id": 2, "created_at": "2026-11-28T10:00:00Z"}""");
        _host.Emulator.SendText(9004, "/start link_" + first);
        await _host.Emulator.WaitForBotMessageAsync(9004, timeout: Wait);

        var second = await BackendMintsAsync("""{"web_user_id": 2, "created_at": "2026-11-28T10:01:00Z"}""");
        _host.Emulator.SendText(9005, "/start link_" + second);
        var moved = await _host.Emulator.WaitForBotMessageAsync(9005, timeout: Wait);
        Assert.Contains("Від попереднього акаунта", moved.Text);
        Assert.Equal(DemoData.Ids.SecondWebUser, await WebUserOfAsync(9005));
        Assert.Null(await WebUserOfAsync(9004));

        var again = await BackendMintsAsync("""{"web_user_id": 2, "created_at": "2026-11-28T10:02:00Z"}""");
        _host.Emulator.SendText(9005, "/start link_" + again);
        var same = await _host.Emulator.WaitForBotMessageAsync(9005, m => m.MessageId != moved.MessageId, Wait);
        Assert.Equal(ProfileRenderer.LinkOutcome(new LinkResult(LinkOutcome.Linked, "Тарас Коваль")).Html, same.Text);
        Assert.Equal(DemoData.Ids.SecondWebUser, await WebUserOfAsync(9005));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"web_user_id": "1", "created_at": "x"}""")]
    [InlineData("""{"web_user_id": -5}""")]
    [InlineData("""{"web_user_id": 0}""")]
    [InlineData("""{"web_user_id": 99999999999999999999999}""")]
    [InlineData("""{"web_user_id": 1.5}""")]
    [InlineData("""[1]""")]
    [InlineData("""{"user": 1}""")]
    public async Task Malformed_values_are_refused_and_consumed(string json)
    {
        var token = await BackendMintsAsync(json);
        const long chat = 9006;
        _host.Emulator.SendText(chat, "/start link_" + token);
        var reply = await _host.Emulator.WaitForBotMessageAsync(chat, timeout: Wait);
        Assert.Equal(ProfileRenderer.LinkInvalid, reply.Text);
        Assert.Null(await WebUserOfAsync(chat));
        Assert.False(await _redis.GetDatabase().KeyExistsAsync("abitly:link:" + token));
    }

    [Fact]
    public async Task A_token_for_a_missing_web_user_is_consumed_and_nothing_is_written()
    {
        var token = await BackendMintsAsync("""{"web_user_id": 777777, "created_at": "2026-11-28T10:00:00Z"}""");
        _host.Emulator.SendText(9007, "/start link_" + token);
        Assert.Equal(ProfileRenderer.LinkInvalid, (await _host.Emulator.WaitForBotMessageAsync(9007, timeout: Wait)).Text);
        Assert.Null(await WebUserOfAsync(9007));
        Assert.False(await _redis.GetDatabase().KeyExistsAsync("abitly:link:" + token));
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var token = await BackendMintsAsync("""{"web_user_id": 1, "created_at": "2026-11-28T10:00:00Z"}""", TimeSpan.FromMilliseconds(50));
        await FoundationTests.WaitUntilAsync(async () => !await _redis.GetDatabase().KeyExistsAsync("abitly:link:" + token));
        _host.Emulator.SendText(9008, "/start link_" + token);
        Assert.Equal(ProfileRenderer.LinkInvalid, (await _host.Emulator.WaitForBotMessageAsync(9008, timeout: Wait)).Text);
        Assert.Null(await WebUserOfAsync(9008));
    }

    [Fact]
    public async Task A_token_of_the_wrong_shape_never_reaches_redis()
    {
        // A key that a shape-blind redeem would consume.
        const string badToken = "abc.def";
        await _redis.GetDatabase().StringSetAsync("abitly:link:" + badToken, """{"web_user_id": 1}""", TimeSpan.FromSeconds(60));
        _host.Emulator.SendText(9009, "/start link_" + badToken);
        Assert.Equal(ProfileRenderer.LinkInvalid, (await _host.Emulator.WaitForBotMessageAsync(9009, timeout: Wait)).Text);
        Assert.True(await _redis.GetDatabase().KeyExistsAsync("abitly:link:" + badToken));
        Assert.False(LinkToken.IsWellFormed(new string('a', 60)));
        Assert.True(LinkToken.IsWellFormed(new string('a', 59)));
    }

    [Fact]
    public async Task Fifty_concurrent_redeems_of_one_token_link_exactly_one_account()
    {
        var token = await BackendMintsAsync("""{"web_user_id": 1, "created_at": "2026-11-28T10:00:00Z"}""");
        await using (var db = _host.OpenDb())
        {
            db.TelegramUsers.AddRange(Enumerable.Range(0, 50).Select(i => new TelegramUser { Id = 95000 + i }));
            await db.SaveChangesAsync();
        }

        var store = new LinkTokenStore(new RedisKeyValueStore(_redis));
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            await using var db = _host.OpenDb();
            var user = await db.TelegramUsers.SingleAsync(u => u.Id == 95000 + i);
            return (await new LinkingService(new WebUserQueries(db), new TelegramUserStore(db, TimeProvider.System), store, NullLogger<LinkingService>.Instance).RedeemAsync(token, user, CancellationToken.None)).Outcome;
        }));

        Assert.Equal(1, results.Count(r => r == LinkOutcome.Linked));
        Assert.Equal(49, results.Count(r => r == LinkOutcome.Invalid));
        await using var check = _host.OpenDb();
        Assert.Equal(1, await check.TelegramUsers.CountAsync(u => u.WebUserId == DemoData.Ids.DemoWebUser));
    }

    [Fact]
    public async Task Minted_tokens_use_the_backend_format_and_redeem()
    {
        var store = new LinkTokenStore(new RedisKeyValueStore(_redis));
        var token = await LinkingService.MintAsync(store, 2, DateTimeOffset.Parse("2026-11-28T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture), LinkToken.DefaultTtl);
        Assert.Equal(22, token.Length);
        Assert.True(LinkToken.IsWellFormed(token));
        var stored = await _redis.GetDatabase().StringGetAsync("abitly:link:" + token);
        Assert.Equal("""{"web_user_id":2,"created_at":"2026-11-28T10:00:00.000Z"}""", stored.ToString());
        var ttl = await _redis.GetDatabase().KeyTimeToLiveAsync("abitly:link:" + token);
        Assert.InRange(ttl!.Value.TotalSeconds, 590, 600);

        _host.Emulator.SendText(9010, "/start link_" + token);
        Assert.Contains("Тарас Коваль", (await _host.Emulator.WaitForBotMessageAsync(9010, timeout: Wait)).Text);
    }
}

/// <summary>Redis going away mid-run: a clear reply, the token kept, readiness down, the loop alive.</summary>
public sealed class LinkingRedisDownTests
{
    [Fact]
    public async Task Redis_stopped_mid_test_answers_unavailable_and_keeps_the_token()
    {
        var port = FreePort();
        var dir = Directory.CreateTempSubdirectory("abitly-redis-down");
        using (var start = Process.Start("redis-server", $"--bind 127.0.0.1 --port {port} --daemonize yes --save \"\" --appendonly no --dir {dir.FullName}"))
        {
            await start!.WaitForExitAsync();
        }

        // A daemonized redis-server may take a moment to listen, more so on a busy machine.
        await FoundationTests.WaitUntilAsync(async () =>
        {
            using var ping = Process.Start(new ProcessStartInfo("redis-cli", $"-p {port} ping") { RedirectStandardOutput = true })!;
            var answer = await ping.StandardOutput.ReadToEndAsync();
            await ping.WaitForExitAsync();
            return answer.Contains("PONG", StringComparison.Ordinal);
        });
        var configuration = $"127.0.0.1:{port},abortConnect=false,connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000";
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},connectTimeout=5000");
        var token = await LinkingService.MintAsync(new LinkTokenStore(new RedisKeyValueStore(redis)), 1, DateTimeOffset.UtcNow, LinkToken.DefaultTtl);

        await using var host = await BotTestHost.StartAsync(s => s with { RedisConfiguration = configuration });
        using (var stop = Process.Start("redis-cli", $"-p {port} shutdown nosave"))
        {
            await stop!.WaitForExitAsync();
        }

        host.Emulator.SendText(9101, "/start link_" + token);
        var reply = await host.Emulator.WaitForBotMessageAsync(9101, timeout: TimeSpan.FromSeconds(20));
        Assert.Equal(Texts.TemporarilyUnavailable, reply.Text);

        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("redis", await ready.Content.ReadAsStringAsync());

        host.Emulator.SendText(9101, "/help");
        await host.Emulator.WaitForBotMessageAsync(9101, m => m.Text!.Contains("Що я вмію"), TimeSpan.FromSeconds(15));

        // Redis back with the same data is not possible (no persistence); the point is that GETDEL never ran.
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains(token, StringComparison.Ordinal));
        dir.Delete(recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
