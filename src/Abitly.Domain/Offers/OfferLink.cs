namespace Abitly.Domain.Offers;

/// <summary>An offer link found in a message: the EDBO offer id, the campaign year the link names (null = current) and the URL as written.</summary>
public sealed record OfferLink(long OfferId, int? Year, OfferSite Site, string Url);
