namespace Abitly.Bot.Callbacks;

/// <summary>Show /profile in place.</summary>
public sealed record ProfileShow : ICallbackData<ProfileShow>
{
    public static string Prefix => "profile:show";

    public IEnumerable<string> Fields() => [];

    public static ProfileShow? Read(CallbackFields fields) => new();
}

/// <summary>Ask to confirm unlinking the web profile.</summary>
public sealed record ProfileUnlink : ICallbackData<ProfileUnlink>
{
    public static string Prefix => "profile:unlink";

    public IEnumerable<string> Fields() => [];

    public static ProfileUnlink? Read(CallbackFields fields) => new();
}

/// <summary>Unlinking confirmed.</summary>
public sealed record ProfileUnlinkConfirmed : ICallbackData<ProfileUnlinkConfirmed>
{
    public static string Prefix => "profile:unlink-yes";

    public IEnumerable<string> Fields() => [];

    public static ProfileUnlinkConfirmed? Read(CallbackFields fields) => new();
}
