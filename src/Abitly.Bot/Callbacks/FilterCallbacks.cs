using Abitly.Domain.Filters;

namespace Abitly.Bot.Callbacks;

/// <summary>How a filter dimension is written in callback data: "u" or "s".</summary>
internal static class DimensionField
{
    public static string Of(FilterDimension dimension) => dimension == FilterDimension.University ? "u" : "s";

    public static bool TryRead(CallbackFields fields, out FilterDimension dimension)
    {
        var ok = fields.TryLiteral(out var code, "u", "s");
        dimension = code == "s" ? FilterDimension.Speciality : FilterDimension.University;
        return ok;
    }
}

/// <summary>Show the /filters view in place.</summary>
public sealed record FiltersShow : ICallbackData<FiltersShow>
{
    public static string Prefix => "fl:show";

    public IEnumerable<string> Fields() => [];

    public static FiltersShow? Read(CallbackFields fields) => new();
}

/// <summary>Remove every filter.</summary>
public sealed record FiltersClear : ICallbackData<FiltersClear>
{
    public static string Prefix => "fl:clr";

    public IEnumerable<string> Fields() => [];

    public static FiltersClear? Read(CallbackFields fields) => new();
}

/// <summary>Remove one university or speciality filter.</summary>
public sealed record FilterRemove(FilterDimension Dimension, int Id) : ICallbackData<FilterRemove>
{
    public static string Prefix => "fl:r";

    public IEnumerable<string> Fields() => [DimensionField.Of(Dimension), CallbackData.Field(Id)];

    public static FilterRemove? Read(CallbackFields fields) =>
        DimensionField.TryRead(fields, out var dimension) && fields.TryInt(out var id) ? new(dimension, id) : null;
}

/// <summary>Start a search dialog for a university or a speciality.</summary>
public sealed record FilterSearchStart(FilterDimension Dimension) : ICallbackData<FilterSearchStart>
{
    public static string Prefix => "fl:a";

    public IEnumerable<string> Fields() => [DimensionField.Of(Dimension)];

    public static FilterSearchStart? Read(CallbackFields fields) => DimensionField.TryRead(fields, out var dimension) ? new(dimension) : null;
}

/// <summary>Pick a search result; <see cref="Nonce"/> ties the button to the dialog that showed it.</summary>
public sealed record FilterPick(string Nonce, FilterDimension Dimension, int Id) : ICallbackData<FilterPick>
{
    public static string Prefix => "fl:p";

    public IEnumerable<string> Fields() => [Nonce, DimensionField.Of(Dimension), CallbackData.Field(Id)];

    public static FilterPick? Read(CallbackFields fields) =>
        fields.TryToken(out var nonce) && DimensionField.TryRead(fields, out var dimension) && fields.TryInt(out var id) ? new(nonce, dimension, id) : null;
}

/// <summary>Cancel the search dialog <see cref="Nonce"/>.</summary>
public sealed record FilterSearchCancel(string Nonce) : ICallbackData<FilterSearchCancel>
{
    public static string Prefix => "fl:x";

    public IEnumerable<string> Fields() => [Nonce];

    public static FilterSearchCancel? Read(CallbackFields fields) => fields.TryToken(out var nonce) ? new(nonce) : null;
}
