using Abitly.Domain.Tracking;

namespace Abitly.Bot.Callbacks;

/// <summary>Where an unfollow press came from, so the same message is shown again: the offer view, an alert, or a /tracked page.</summary>
public readonly record struct TrackedOrigin(int? Page, bool FromAlert)
{
    public static TrackedOrigin OfferView => new(null, false);

    public static TrackedOrigin Alert => new(null, true);

    public static TrackedOrigin List(int page) => new(page, false);

    internal string Field => Page is { } page ? CallbackData.Field(page) : FromAlert ? "a" : "v";

    internal static bool TryRead(CallbackFields fields, out TrackedOrigin origin)
    {
        if (fields.TryInt(out var page))
        {
            origin = List(page);
            return true;
        }

        var ok = fields.TryLiteral(out var literal, "a", "v");
        origin = literal == "a" ? Alert : OfferView;
        return ok;
    }
}

/// <summary>⭐ Стежити under an offer view.</summary>
public sealed record TrackFollow(long OfferId) : ICallbackData<TrackFollow>
{
    public static string Prefix => "tr:f";

    public IEnumerable<string> Fields() => [CallbackData.Field(OfferId)];

    public static TrackFollow? Read(CallbackFields fields) => fields.TryLong(out var id) ? new(id) : null;
}

/// <summary>Не стежити: from the offer view, an alert or a /tracked page (<see cref="From"/>).</summary>
public sealed record TrackUnfollow(long OfferId, TrackedOrigin From) : ICallbackData<TrackUnfollow>
{
    public static string Prefix => "tr:u";

    public IEnumerable<string> Fields() => [CallbackData.Field(OfferId), From.Field];

    public static TrackUnfollow? Read(CallbackFields fields) =>
        fields.TryLong(out var id) && TrackedOrigin.TryRead(fields, out var from) ? new(id, from) : null;
}

/// <summary>A page of /tracked.</summary>
public sealed record TrackedPage(int Page) : ICallbackData<TrackedPage>
{
    public static string Prefix => "tr:p";

    public IEnumerable<string> Fields() => [CallbackData.Field(Page)];

    public static TrackedPage? Read(CallbackFields fields) => fields.TryInt(out var page) ? new(page) : null;
}

/// <summary>Opens a followed offer's view as a new message (from /tracked or an alert).</summary>
public sealed record TrackedOpen(long OfferId) : ICallbackData<TrackedOpen>
{
    public static string Prefix => "tr:o";

    public IEnumerable<string> Fields() => [CallbackData.Field(OfferId)];

    public static TrackedOpen? Read(CallbackFields fields) => fields.TryLong(out var id) ? new(id) : null;
}

/// <summary>The alert settings of /tracked.</summary>
public sealed record TrackedSettings : ICallbackData<TrackedSettings>
{
    public static string Prefix => "tr:s";

    public IEnumerable<string> Fields() => [];

    public static TrackedSettings? Read(CallbackFields fields) => new();
}

/// <summary>Sets the alert mode.</summary>
public sealed record TrackedSetMode(AlertMode Mode) : ICallbackData<TrackedSetMode>
{
    public static string Prefix => "tr:m";

    public IEnumerable<string> Fields() => [Mode switch { AlertMode.Important => "imp", AlertMode.Off => "off", _ => "all" }];

    public static TrackedSetMode? Read(CallbackFields fields) =>
        fields.TryLiteral(out var mode, "all", "imp", "off")
            ? new(mode switch { "imp" => AlertMode.Important, "off" => AlertMode.Off, _ => AlertMode.All })
            : null;
}

/// <summary>Sets the place threshold.</summary>
public sealed record TrackedSetThreshold(int Places) : ICallbackData<TrackedSetThreshold>
{
    public static string Prefix => "tr:t";

    public IEnumerable<string> Fields() => [CallbackData.Field(Places)];

    public static TrackedSetThreshold? Read(CallbackFields fields) =>
        fields.TryInt(out var places) && AlertPreference.Thresholds.Contains(places) ? new(places) : null;
}
