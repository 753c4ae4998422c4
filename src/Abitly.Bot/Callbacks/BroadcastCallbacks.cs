namespace Abitly.Bot.Callbacks;

/// <summary>An admin confirms the broadcast draft <see cref="DraftId"/>.</summary>
public sealed record BroadcastConfirm(string DraftId) : ICallbackData<BroadcastConfirm>
{
    public static string Prefix => "bc:go";

    public IEnumerable<string> Fields() => [DraftId];

    public static BroadcastConfirm? Read(CallbackFields fields) => fields.TryToken(out var id) ? new(id) : null;
}

/// <summary>An admin discards the broadcast draft <see cref="DraftId"/>.</summary>
public sealed record BroadcastCancel(string DraftId) : ICallbackData<BroadcastCancel>
{
    public static string Prefix => "bc:no";

    public IEnumerable<string> Fields() => [DraftId];

    public static BroadcastCancel? Read(CallbackFields fields) => fields.TryToken(out var id) ? new(id) : null;
}

/// <summary>An admin stops the running fan-out <see cref="BatchId"/> from its progress message.</summary>
public sealed record FanOutStop(long BatchId) : ICallbackData<FanOutStop>
{
    public static string Prefix => "fo:stop";

    public IEnumerable<string> Fields() => [BatchId.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    public static FanOutStop? Read(CallbackFields fields) => fields.TryLong(out var id) ? new(id) : null;
}
