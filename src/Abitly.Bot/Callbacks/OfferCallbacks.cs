namespace Abitly.Bot.Callbacks;

/// <summary>🔄 under an offer view: render the same offer again in place.</summary>
public sealed record OfferRefresh(long OfferId) : ICallbackData<OfferRefresh>
{
    public static string Prefix => "offer:r";

    public IEnumerable<string> Fields() => [CallbackData.Field(OfferId)];

    public static OfferRefresh? Read(CallbackFields fields) => fields.TryLong(out var id) ? new(id) : null;
}

/// <summary>
/// 📊 under an offer view: the offer's score distribution as a picture. <see cref="ListVersion"/> is the list version the
/// view was drawn from (<c>OfferListVersion</c>), so a press after the list changed is told so.
/// </summary>
public sealed record OfferChart(long OfferId, string ListVersion) : ICallbackData<OfferChart>
{
    public static string Prefix => "offer:c";

    public IEnumerable<string> Fields() => [CallbackData.Field(OfferId), ListVersion];

    public static OfferChart? Read(CallbackFields fields) =>
        fields.TryLong(out var id) && fields.TryToken(out var version) ? new(id, version) : null;
}
