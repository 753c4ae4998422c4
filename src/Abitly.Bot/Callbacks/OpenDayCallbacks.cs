namespace Abitly.Bot.Callbacks;

/// <summary>Which /opendays view a button returns to: a page of all upcoming days, or the followed list.</summary>
public readonly record struct OpenDaysView(int? Page)
{
    public static OpenDaysView Followed => new(null);

    public bool IsFollowed => Page is null;

    internal string Field => Page is { } page ? CallbackData.Field(page) : "m";

    internal static bool TryRead(CallbackFields fields, out OpenDaysView view)
    {
        if (fields.TryInt(out var page))
        {
            view = new OpenDaysView(page);
            return true;
        }

        view = Followed;
        return fields.TryLiteral(out _, "m");
    }
}

/// <summary>A page of /opendays.</summary>
public sealed record OpenDaysPage(int Page) : ICallbackData<OpenDaysPage>
{
    public static string Prefix => "od:p";

    public IEnumerable<string> Fields() => [CallbackData.Field(Page)];

    public static OpenDaysPage? Read(CallbackFields fields) => fields.TryInt(out var page) ? new(page) : null;
}

/// <summary>The open days the user follows.</summary>
public sealed record OpenDaysFollowed : ICallbackData<OpenDaysFollowed>
{
    public static string Prefix => "od:my";

    public IEnumerable<string> Fields() => [];

    public static OpenDaysFollowed? Read(CallbackFields fields) => new();
}

/// <summary>Follow an open day, then show <see cref="Back"/> again.</summary>
public sealed record OpenDayFollow(int OpenDayId, OpenDaysView Back) : ICallbackData<OpenDayFollow>
{
    public static string Prefix => "od:f";

    public IEnumerable<string> Fields() => [CallbackData.Field(OpenDayId), Back.Field];

    public static OpenDayFollow? Read(CallbackFields fields) =>
        fields.TryInt(out var id) && OpenDaysView.TryRead(fields, out var back) ? new(id, back) : null;
}

/// <summary>Stop following an open day, then show <see cref="Back"/> again.</summary>
public sealed record OpenDayUnfollow(int OpenDayId, OpenDaysView Back) : ICallbackData<OpenDayUnfollow>
{
    public static string Prefix => "od:u";

    public IEnumerable<string> Fields() => [CallbackData.Field(OpenDayId), Back.Field];

    public static OpenDayUnfollow? Read(CallbackFields fields) =>
        fields.TryInt(out var id) && OpenDaysView.TryRead(fields, out var back) ? new(id, back) : null;
}
