namespace Abitly.Domain.Offers;

/// <summary>What a message holds: the offer links in order of appearance (one per offer id) and whether it holds any URL at all.</summary>
public sealed record OfferLinkScan(IReadOnlyList<OfferLink> Links, bool ContainsUrl)
{
    /// <summary>The scan of a text with no URL.</summary>
    public static OfferLinkScan Empty { get; } = new([], false);

    /// <summary>The link to answer when a message holds several.</summary>
    public OfferLink? First => Links.Count > 0 ? Links[0] : null;
}
