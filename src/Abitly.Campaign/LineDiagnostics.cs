using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Abitly.Campaign;

/// <summary>
/// Explains, field by field, why a line could not be read into the records: malformed JSON, a wrong type, a missing
/// required field, a null where none is allowed, an unknown quota kind. Runs only for lines the fast path rejected.
/// </summary>
internal static class LineDiagnostics
{
    private enum Kind
    {
        String,
        Integer,
        Long,
        Number,
        Boolean,
        Quota,
        Object,
        Array,
    }

    private sealed record Field(string Name, Kind Kind, bool Required, bool Nullable, Field[]? Members = null);

    private static readonly Field[] University =
    [
        new("edbo_id", Kind.Long, Required: false, Nullable: true),
        new("name", Kind.String, Required: true, Nullable: false),
        new("short_name", Kind.String, Required: false, Nullable: true),
        new("region", Kind.String, Required: true, Nullable: false),
    ];

    private static readonly Field[] Speciality =
    [
        new("code", Kind.String, Required: true, Nullable: false),
        new("name", Kind.String, Required: true, Nullable: false),
    ];

    private static readonly Field[] Weight =
    [
        new("slot", Kind.Integer, Required: true, Nullable: false),
        new("subject", Kind.String, Required: true, Nullable: false),
        new("coefficient", Kind.Number, Required: true, Nullable: false),
        new("min_score", Kind.Number, Required: false, Nullable: true),
    ];

    private static readonly Field[] Application =
    [
        new("position", Kind.Integer, Required: true, Nullable: false),
        new("name", Kind.String, Required: true, Nullable: false),
        new("score", Kind.Number, Required: true, Nullable: true),
        new("priority", Kind.Integer, Required: true, Nullable: true),
        new("status", Kind.String, Required: true, Nullable: false),
        new("quota", Kind.Quota, Required: true, Nullable: false),
        new("person_key", Kind.String, Required: false, Nullable: true),
    ];

    /// <summary>The fields of an offer line, as <see cref="SnapshotOffer"/> reads them.</summary>
    private static readonly Field[] Offer =
    [
        new("edbo_id", Kind.Long, Required: true, Nullable: false),
        new("university", Kind.Object, Required: true, Nullable: false, University),
        new("speciality", Kind.Object, Required: true, Nullable: false, Speciality),
        new("program", Kind.String, Required: true, Nullable: false),
        new("faculty", Kind.String, Required: false, Nullable: true),
        new("form", Kind.String, Required: true, Nullable: false),
        new("degree", Kind.String, Required: true, Nullable: false),
        new("budget_places", Kind.Integer, Required: true, Nullable: true),
        new("quota1_places", Kind.Integer, Required: true, Nullable: false),
        new("quota2_places", Kind.Integer, Required: true, Nullable: false),
        new("license_volume", Kind.Integer, Required: false, Nullable: true),
        new("regional_coefficient", Kind.Number, Required: true, Nullable: false),
        new("sectoral_coefficient", Kind.Boolean, Required: true, Nullable: false),
        new("preparatory_points_apply", Kind.Boolean, Required: false, Nullable: false),
        new("weights", Kind.Array, Required: true, Nullable: false, Weight),
        new("source_url", Kind.String, Required: false, Nullable: true),
        new("min_budget_score_last_year", Kind.Number, Required: false, Nullable: true),
        new("applications", Kind.Array, Required: true, Nullable: false, Application),
    ];

    /// <summary>Names of the required properties of an offer line and its parts, by JSON path prefix (for the docs test).</summary>
    internal static IReadOnlyDictionary<string, string[]> RequiredProperties { get; } = new Dictionary<string, string[]>
    {
        ["offer"] = Required(Offer),
        ["university"] = Required(University),
        ["speciality"] = Required(Speciality),
        ["weight"] = Required(Weight),
        ["application"] = Required(Application),
    };

    /// <summary>Whatever can be said about a rejected offer line, and its edbo_id when that much is readable.</summary>
    public static (List<SnapshotError> Errors, long? EdboId) ExplainOffer(ReadOnlySpan<byte> line, string file, int lineNumber, JsonException rejection)
    {
        var errors = new List<SnapshotError>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException malformed)
        {
            errors.Add(new SnapshotError(file, lineNumber, "", Malformed(malformed)));
            return (errors, null);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new SnapshotError(file, lineNumber, "", $"expected an offer object, found {Describe(root)}"));
                return (errors, null);
            }

            long? edboId = root.TryGetProperty("edbo_id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var value) ? value : null;
            if (edboId is null && root.TryGetProperty("format", out _))
            {
                errors.Add(new SnapshotError(file, lineNumber, "", "this is a header line; the header must be the first line of the file and appear only once"));
                return (errors, null);
            }

            Walk(root, Offer, "", file, lineNumber, errors);
            if (errors.Count == 0)
            {
                // The walk and the records disagree: report what System.Text.Json said rather than nothing.
                errors.Add(new SnapshotError(file, lineNumber, FieldPath(rejection.Path), $"could not be read: {rejection.Message}"));
            }

            return (errors, edboId);
        }
    }

    /// <summary>The operator's wording of a JSON syntax error.</summary>
    public static string Malformed(JsonException exception)
    {
        var where = exception.BytePositionInLine is { } column ? $" at byte {column + 1}" : "";
        var message = exception.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        }

        if (cut > 0)
        {
            message = message[..cut].TrimEnd('.', ' ', '|');
        }

        return $"malformed JSON{where}: {message}";
    }

    /// <summary>A System.Text.Json path ($.applications[3].score) as a field path (applications[3].score).</summary>
    public static string FieldPath(string? jsonPath) =>
        jsonPath is null or "$" ? "" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');

    /// <summary>What kind of JSON value an element is, for messages.</summary>
    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {Quote(element.GetString()!)}",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static void Walk(JsonElement element, Field[] fields, string prefix, string file, int line, List<SnapshotError> errors)
    {
        foreach (var field in fields)
        {
            var path = prefix + field.Name;
            if (!element.TryGetProperty(field.Name, out var value))
            {
                if (field.Required)
                {
                    errors.Add(new SnapshotError(file, line, path, "is missing (required)"));
                }

                continue;
            }

            if (value.ValueKind == JsonValueKind.Null)
            {
                if (!field.Nullable)
                {
                    errors.Add(new SnapshotError(file, line, path, $"must not be null; expected {Expected(field.Kind)}"));
                }

                continue;
            }

            switch (field.Kind)
            {
                case Kind.Object when value.ValueKind == JsonValueKind.Object:
                    Walk(value, field.Members!, path + ".", file, line, errors);
                    break;
                case Kind.Array when value.ValueKind == JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        var itemPath = $"{path}[{index}]";
                        if (item.ValueKind == JsonValueKind.Object)
                        {
                            Walk(item, field.Members!, itemPath + ".", file, line, errors);
                        }
                        else
                        {
                            errors.Add(new SnapshotError(file, line, itemPath, $"expected an object, found {Describe(item)}"));
                        }

                        index++;
                    }

                    break;
                default:
                    if (Check(field.Kind, value) is { } problem)
                    {
                        errors.Add(new SnapshotError(file, line, path, problem));
                    }

                    break;
            }
        }
    }

    private static string? Check(Kind kind, JsonElement value) => kind switch
    {
        Kind.String => value.ValueKind == JsonValueKind.String ? null : Wrong(kind, value),
        Kind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : Wrong(kind, value),
        Kind.Integer => value.ValueKind != JsonValueKind.Number ? Wrong(kind, value)
            : value.TryGetInt32(out _) ? null
            : $"{value.GetRawText()} is not a whole number in range",
        Kind.Long => value.ValueKind != JsonValueKind.Number ? Wrong(kind, value)
            : value.TryGetInt64(out _) ? null
            : $"{value.GetRawText()} is not a whole number in range",
        Kind.Number => value.ValueKind != JsonValueKind.Number ? Wrong(kind, value)
            : value.TryGetDecimal(out _) ? null
            : $"{value.GetRawText()} is not a number in range",
        Kind.Quota => value.ValueKind != JsonValueKind.String ? Wrong(kind, value)
            : QuotaKindJsonConverter.FromJson(value.GetString()) is null
                ? $"unknown quota kind {Quota(value.GetString()!)}; expected \"none\", \"quota1\" or \"quota2\""
                : null,
        Kind.Object or Kind.Array => Wrong(kind, value),
        _ => null,
    };

    private static string Wrong(Kind kind, JsonElement value) => $"wrong type: expected {Expected(kind)}, found {Describe(value)}";

    private static string Expected(Kind kind) => kind switch
    {
        Kind.String => "a string",
        Kind.Integer or Kind.Long => "a whole number",
        Kind.Number => "a number",
        Kind.Boolean => "true or false",
        Kind.Quota => "\"none\", \"quota1\" or \"quota2\"",
        Kind.Object => "an object",
        Kind.Array => "an array",
        _ => "a value",
    };

    private static string Quota(string text) => Quote(text);

    /// <summary>A string value for a message: quoted, and cut short when long.</summary>
    internal static string Quote(string text)
    {
        var shown = text.Length > 40 ? string.Concat(text.AsSpan(0, 40), "…") : text;
        var builder = new StringBuilder(shown.Length + 2).Append('"');
        foreach (var c in shown)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString(CultureInfo.InvariantCulture));
        }

        return builder.Append('"').ToString();
    }

    private static string[] Required(Field[] fields) => [.. fields.Where(f => f.Required).Select(f => f.Name)];
}
