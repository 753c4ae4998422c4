using Abitly.Bot.Configuration;

namespace Abitly.Bot.Services;

/// <summary>
/// The prepared lists of offers (<see cref="OfferApplications"/>), least recently used out first, bounded by their estimated
/// memory (<see cref="OfferApplications.EstimatedBytes"/>) rather than by a count, because one popular offer's list weighs as
/// much as a hundred small ones. An entry is keyed by the offer and its list version (<see cref="OfferListVersion"/>): a
/// lookup with another version misses, so a changed list is never served from the cache, and storing the new version
/// replaces the old one. Thread-safe; one short lock guards the map and the recency order.
/// </summary>
public sealed class OfferApplicationsCache
{
    private const long BytesPerMegabyte = 1024L * 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<long, LinkedListNode<Entry>> _byOffer = [];
    // Most recently used first; eviction takes from the end.
    private readonly LinkedList<Entry> _recency = new();
    private long _sizeBytes;
    private long _hits;
    private long _misses;

    /// <summary>A cache of OFFER_CACHE_MB megabytes (the host's singleton).</summary>
    public OfferApplicationsCache(AbitlySettings settings)
        : this((settings ?? throw new ArgumentNullException(nameof(settings))).OfferCacheMegabytes * BytesPerMegabyte)
    {
    }

    /// <summary>A cache of <paramref name="budgetBytes"/> (0: nothing is kept).</summary>
    public OfferApplicationsCache(long budgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budgetBytes);
        BudgetBytes = budgetBytes;
    }

    /// <summary>The most the entries may weigh together, by their estimates.</summary>
    public long BudgetBytes { get; }

    /// <summary>What the entries weigh now, by their estimates (never more than <see cref="BudgetBytes"/>).</summary>
    public long SizeBytes
    {
        get
        {
            lock (_gate)
            {
                return _sizeBytes;
            }
        }
    }

    /// <summary>Offers whose prepared list is held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byOffer.Count;
            }
        }
    }

    /// <summary>Lookups answered from the cache since it was made.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that found nothing, or another version of the list.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>The offer's prepared list of exactly <paramref name="listVersion"/>, or null; a hit makes it the most recently used.</summary>
    public OfferApplications? Get(long offerId, string listVersion)
    {
        ArgumentNullException.ThrowIfNull(listVersion);
        lock (_gate)
        {
            if (_byOffer.TryGetValue(offerId, out var node) && string.Equals(node.Value.ListVersion, listVersion, StringComparison.Ordinal))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                _hits++;
                return node.Value.Applications;
            }

            _misses++;
            return null;
        }
    }

    /// <summary>
    /// Keeps the offer's prepared list of <paramref name="listVersion"/> as the most recently used, in place of any other
    /// version of it, evicting the least recently used lists until the budget holds. A list heavier than the whole budget
    /// is not kept (and the older version goes, since it is out of date); nothing else is evicted for it.
    /// </summary>
    public void Put(long offerId, string listVersion, OfferApplications applications)
    {
        ArgumentNullException.ThrowIfNull(listVersion);
        ArgumentNullException.ThrowIfNull(applications);
        var bytes = applications.EstimatedBytes;
        lock (_gate)
        {
            if (_byOffer.TryGetValue(offerId, out var existing))
            {
                RemoveNode(existing);
            }

            if (bytes > BudgetBytes)
            {
                return;
            }

            while (_sizeBytes + bytes > BudgetBytes)
            {
                RemoveNode(_recency.Last!);
            }

            _byOffer[offerId] = _recency.AddFirst(new Entry(offerId, listVersion, applications, bytes));
            _sizeBytes += bytes;
        }
    }

    /// <summary>Forgets every list (benchmarks measure the cold path with it).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _byOffer.Clear();
            _recency.Clear();
            _sizeBytes = 0;
        }
    }

    private void RemoveNode(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _byOffer.Remove(node.Value.OfferId);
        _sizeBytes -= node.Value.Bytes;
    }

    private sealed record Entry(long OfferId, string ListVersion, OfferApplications Applications, long Bytes);
}
