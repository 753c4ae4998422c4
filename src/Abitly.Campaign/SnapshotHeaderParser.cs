using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Abitly.Campaign;

/// <summary>Reads line 1 by hand, so that every header field gets its own message and an offset-less taken_at is caught.</summary>
internal static partial class SnapshotHeaderParser
{
    /// <summary>The outcome: a header, or errors; and whether line 1 was really an offer (the header is missing).</summary>
    public readonly record struct Result(SnapshotHeader? Header, List<SnapshotError> Errors, bool LineIsOffer);

    public static Result Parse(ReadOnlySpan<byte> line, string file)
    {
        var errors = new List<SnapshotError>();
        void Error(string field, string message) => errors.Add(new SnapshotError(file, 1, field, message));

        if (line.Trim(" \t"u8).IsEmpty)
        {
            Error("", $"line 1 is empty; the first line must be the header {Example}");
            return new Result(null, errors, false);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line.ToArray());
        }
        catch (JsonException malformed)
        {
            Error("", $"{LineDiagnostics.Malformed(malformed)}; the first line must be the header {Example}");
            return new Result(null, errors, false);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("", $"expected the header object, found {LineDiagnostics.Describe(root)}; the first line must be the header {Example}");
                return new Result(null, errors, false);
            }

            if (!root.TryGetProperty("format", out var format) && root.TryGetProperty("edbo_id", out _))
            {
                Error("", $"the header is missing: line 1 is an offer, but the first line must be the header {Example}");
                return new Result(null, errors, true);
            }

            var formatText = Text(root, "format", Error);
            if (formatText is not null && formatText != SnapshotFormat.Name)
            {
                Error("format", $"expected \"{SnapshotFormat.Name}\", found {LineDiagnostics.Quote(formatText)}: this is not a campaign snapshot");
            }

            var version = Integer(root, "version", Error);
            if (version is not null && version != SnapshotFormat.Version)
            {
                Error("version", $"version {version} is not supported; this reader understands version {SnapshotFormat.Version}");
            }

            var year = Integer(root, "campaign_year", Error);
            if (year is < SnapshotFormat.MinYear or > SnapshotFormat.MaxYear)
            {
                Error("campaign_year", $"{year} is outside {SnapshotFormat.MinYear}–{SnapshotFormat.MaxYear}");
            }

            var takenAtText = Text(root, "taken_at", Error);
            DateTimeOffset? takenAt = null;
            if (takenAtText is not null)
            {
                if (DateTimeWithOffset().IsMatch(takenAtText)
                    && DateTimeOffset.TryParse(takenAtText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                {
                    takenAt = parsed;
                }
                else
                {
                    Error("taken_at", $"{LineDiagnostics.Quote(takenAtText)} is not an ISO 8601 date and time with an explicit offset, e.g. \"2026-07-20T12:40:00+03:00\"");
                }
            }

            var source = Text(root, "source", Error);
            if (source is not null && string.IsNullOrWhiteSpace(source))
            {
                Error("source", "must not be empty: say who or what produced the data");
            }

            bool? full = null;
            if (!root.TryGetProperty("full", out var fullValue))
            {
                Error("full", "is missing (required): true when the file lists every offer of the year, false when it only updates the offers it lists");
            }
            else if (fullValue.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                full = fullValue.GetBoolean();
            }
            else
            {
                Error("full", $"wrong type: expected true or false, found {LineDiagnostics.Describe(fullValue)}");
            }

            if (errors.Count > 0)
            {
                return new Result(null, errors, false);
            }

            return new Result(new SnapshotHeader(formatText!, version!.Value, year!.Value, takenAt!.Value, source!, full!.Value), errors, false);
        }
    }

    private const string Example = "({\"format\":\"abitly-campaign\",\"version\":1,…})";

    // Seconds and a fraction are optional; the offset is not (Z counts as +00:00).
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeWithOffset();

    private static string? Text(JsonElement root, string name, Action<string, string> error)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            error(name, "is missing (required)");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            error(name, $"wrong type: expected a string, found {LineDiagnostics.Describe(value)}");
            return null;
        }

        return value.GetString();
    }

    private static int? Integer(JsonElement root, string name, Action<string, string> error)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            error(name, "is missing (required)");
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            error(name, $"wrong type: expected a whole number, found {LineDiagnostics.Describe(value)}");
            return null;
        }

        return number;
    }
}
