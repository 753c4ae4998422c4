using Abitly.Bot.Configuration;
using Abitly.Bot.Services;
using Abitly.Domain.Ranking;

namespace Abitly.Bot.Tests;

/// <summary>The offer view's cache of prepared lists: least recently used out first, bounded by estimated bytes, keyed by list version.</summary>
public sealed class OfferApplicationsCacheTests
{
    private const int Scores = 100;

    // Lists of Scores general scores all weigh the same; a unit of budget is one of them.
    private static readonly long Unit = List(Scores).EstimatedBytes;

    [Fact]
    public void The_least_recently_used_list_goes_first()
    {
        var cache = new OfferApplicationsCache(3 * Unit);
        var (a, b, c, d) = (List(Scores), List(Scores), List(Scores), List(Scores));
        cache.Put(1, "v", a);
        cache.Put(2, "v", b);
        cache.Put(3, "v", c);
        Assert.Same(a, cache.Get(1, "v"));   // 1 is now the most recent: 2 is the oldest

        cache.Put(4, "v", d);

        Assert.Null(cache.Get(2, "v"));
        Assert.Same(a, cache.Get(1, "v"));
        Assert.Same(c, cache.Get(3, "v"));
        Assert.Same(d, cache.Get(4, "v"));
        Assert.Equal((3, 3 * Unit), (cache.Count, cache.SizeBytes));
    }

    [Fact]
    public void A_heavier_list_evicts_the_oldest_until_it_fits_and_no_more()
    {
        var cache = new OfferApplicationsCache(4 * Unit);
        for (var offer = 1; offer <= 4; offer++)
        {
            cache.Put(offer, "v", List(Scores));
        }

        // 150 scores weigh more than one unit and less than two: room for it takes the two oldest lists (1 and 2).
        var heavy = List(Scores + (Scores / 2));
        Assert.InRange(heavy.EstimatedBytes, Unit + 1, 2 * Unit);
        cache.Put(5, "v", heavy);

        Assert.Null(cache.Get(1, "v"));
        Assert.Null(cache.Get(2, "v"));
        Assert.NotNull(cache.Get(3, "v"));
        Assert.NotNull(cache.Get(4, "v"));
        Assert.Same(heavy, cache.Get(5, "v"));
        Assert.Equal((3, (2 * Unit) + heavy.EstimatedBytes), (cache.Count, cache.SizeBytes));
    }

    [Fact]
    public void Eviction_follows_use_not_the_order_lists_were_stored_in()
    {
        var cache = new OfferApplicationsCache(3 * Unit);
        cache.Put(1, "v", List(Scores));
        cache.Put(2, "v", List(Scores));
        cache.Put(3, "v", List(Scores));
        _ = cache.Get(2, "v");
        _ = cache.Get(1, "v");   // recency now 1, 2, 3: 3 goes first, then 2

        cache.Put(4, "v", List(Scores));
        Assert.Null(cache.Get(3, "v"));
        cache.Put(5, "v", List(Scores));
        Assert.Null(cache.Get(2, "v"));
        Assert.NotNull(cache.Get(1, "v"));
    }

    [Fact]
    public void A_list_heavier_than_the_whole_budget_is_not_kept_and_evicts_nothing()
    {
        var cache = new OfferApplicationsCache(2 * Unit);
        var (a, b) = (List(Scores), List(Scores));
        cache.Put(1, "v", a);
        cache.Put(2, "v", b);
        cache.Put(3, "old", List(Scores / 2));   // evicts 1 to make room

        cache.Put(3, "new", List(3 * Scores));

        Assert.Null(cache.Get(3, "new"));
        Assert.Null(cache.Get(3, "old"));      // its older version is out of date and goes too
        Assert.Same(b, cache.Get(2, "v"));
        Assert.Equal((1, Unit), (cache.Count, cache.SizeBytes));
    }

    [Fact]
    public void Another_list_version_misses_and_a_new_version_replaces_the_old_one()
    {
        var cache = new OfferApplicationsCache(10 * Unit);
        var (old, changed) = (List(Scores), List(2 * Scores));
        cache.Put(7, "a1", old);

        Assert.Null(cache.Get(7, "b2"));
        Assert.Same(old, cache.Get(7, "a1"));

        cache.Put(7, "b2", changed);

        Assert.Null(cache.Get(7, "a1"));
        Assert.Same(changed, cache.Get(7, "b2"));
        Assert.Equal((1, changed.EstimatedBytes), (cache.Count, cache.SizeBytes));
        Assert.Equal((2, 2), (cache.Hits, cache.Misses));
    }

    [Fact]
    public void A_lookup_of_another_version_does_not_count_as_use()
    {
        var cache = new OfferApplicationsCache(2 * Unit);
        cache.Put(1, "v1", List(Scores));
        cache.Put(2, "v", List(Scores));
        Assert.Null(cache.Get(1, "v2"));   // a miss: 1 stays the oldest

        cache.Put(3, "v", List(Scores));

        Assert.Null(cache.Get(1, "v1"));
        Assert.NotNull(cache.Get(2, "v"));
    }

    [Fact]
    public void A_zero_budget_keeps_nothing()
    {
        var cache = new OfferApplicationsCache(0);
        cache.Put(1, "v", List(0));
        Assert.Null(cache.Get(1, "v"));
        Assert.Equal(0, cache.SizeBytes);
    }

    [Fact]
    public void Concurrent_puts_and_gets_keep_the_size_equal_to_the_entries_and_within_the_budget()
    {
        var cache = new OfferApplicationsCache(20 * Unit);
        var lists = Enumerable.Range(0, 8).Select(_ => List(Scores)).ToArray();
        var gets = 0;
        Parallel.For(0, 40_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var offer = (i * 7919) % 50;
            var version = ((i / 50) % 3).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (cache.Get(offer, version) is null)
            {
                cache.Put(offer, version, lists[i % lists.Length]);
            }

            Interlocked.Increment(ref gets);
        });

        Assert.InRange(cache.Count, 1, 20);
        Assert.Equal(cache.Count * Unit, cache.SizeBytes);
        Assert.Equal(gets, cache.Hits + cache.Misses);
    }

    [Fact]
    public void A_list_is_estimated_at_16_bytes_per_general_score_beyond_a_fixed_share()
    {
        // Only active budget applications with a score compete; the cancelled one and the contract one add nothing.
        var small = List(1_000);
        var large = List(3_000);
        var withOthers = OfferApplications.Prepare(
            [.. Applications(1_000), new RankedApplication(170m, 1, "Скасовано вступником"), new RankedApplication(170m, null, "Допущено")],
            new BudgetSeats(10, 0, 0));

        Assert.Equal(2_000 * 16, large.EstimatedBytes - small.EstimatedBytes);
        Assert.Equal(small.EstimatedBytes, withOthers.EstimatedBytes);
    }

    [Fact]
    public void The_budget_comes_from_OFFER_CACHE_MB_and_a_bad_value_is_named()
    {
        var now = new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);
        AbitlyOptions Options(string? megabytes) => new() { DatabaseUrl = "postgres://u:p@localhost:5432/abitly", OfferCacheMegabytes = megabytes };

        var (unset, _) = AbitlySettings.Create(Options(null), now, SettingsRequirements.DatabaseOnly);
        var (set, _) = AbitlySettings.Create(Options("64"), now, SettingsRequirements.DatabaseOnly);
        var (_, errors) = AbitlySettings.Create(Options("lots"), now, SettingsRequirements.DatabaseOnly);

        Assert.Equal(24 * 1024 * 1024, new OfferApplicationsCache(unset!).BudgetBytes);
        Assert.Equal(64 * 1024 * 1024, new OfferApplicationsCache(set!).BudgetBytes);
        Assert.Equal(["OFFER_CACHE_MB: expected a whole number from 0 to 4096, got 'lots'"], errors);
    }

    private static OfferApplications List(int scores) => OfferApplications.Prepare(Applications(scores), new BudgetSeats(10, 0, 0));

    private static RankedApplication[] Applications(int scores) =>
        [.. Enumerable.Range(0, scores).Select(i => new RankedApplication(150m + (i % 50), 1, "Допущено"))];
}
