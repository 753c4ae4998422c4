namespace Abitly.Bot.Callbacks;

/// <summary>🔄 under an offer view: render the same offer again in place.</summary>
public sealed record OfferRefresh(long OfferId) : ICallbackData<OfferRefresh>
{
    public static string Prefix => "offer:r";

    public IEnumerable<string> Fields() => [CallbackData.Field(OfferId)];

    public static OfferRefresh? Read(CallbackFields fields) => fields.TryLong(out var id) ? new(id) : null;
}
