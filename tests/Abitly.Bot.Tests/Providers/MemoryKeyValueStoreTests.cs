using Abitly.Bot.Services;
using Abitly.Bot.State;
using Microsoft.Extensions.Time.Testing;

namespace Abitly.Bot.Tests.Providers;

/// <summary>The sandbox's store keeps the Redis semantics the link tokens, dialogs and drafts rely on.</summary>
public sealed class MemoryKeyValueStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Take_returns_the_value_once()
    {
        var store = new MemoryKeyValueStore(_time);
        await store.SetAsync("abitly:link:t", "v", TimeSpan.FromMinutes(10));
        Assert.Equal("v", await store.TakeAsync("abitly:link:t"));
        Assert.Null(await store.TakeAsync("abitly:link:t"));
    }

    [Fact]
    public async Task Concurrent_takes_give_the_value_to_exactly_one_caller()
    {
        var store = new MemoryKeyValueStore(_time);
        await store.SetAsync("k", "v", TimeSpan.FromMinutes(10));
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => store.TakeAsync("k"))));
        Assert.Single(results, r => r == "v");
    }

    [Fact]
    public async Task Values_expire_after_their_ttl_and_refresh_pushes_the_expiry()
    {
        var store = new MemoryKeyValueStore(_time);
        await store.SetAsync("token", "v", TimeSpan.FromSeconds(600));
        await store.SetAsync("dialog", "d", TimeSpan.FromMinutes(15));
        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal("d", await store.GetAndRefreshAsync("dialog", TimeSpan.FromMinutes(15)));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await store.TakeAsync("token"));
        _time.Advance(TimeSpan.FromMinutes(13));   // 23 min: alive only because of the refresh at 9 min
        Assert.Equal("d", await store.GetAndRefreshAsync("dialog", TimeSpan.FromMinutes(15)));
        _time.Advance(TimeSpan.FromMinutes(15));
        Assert.Null(await store.GetAndRefreshAsync("dialog", TimeSpan.FromMinutes(15)));
    }

    [Fact]
    public async Task Delete_reports_whether_a_live_key_was_there()
    {
        var store = new MemoryKeyValueStore(_time);
        await store.SetAsync("draft", "x", TimeSpan.FromSeconds(5));
        Assert.True(await store.DeleteAsync("draft"));
        Assert.False(await store.DeleteAsync("draft"));
        await store.SetAsync("old", "x", TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(await store.DeleteAsync("old"));
    }
}
