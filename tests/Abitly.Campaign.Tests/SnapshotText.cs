using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Abitly.Campaign.Tests;

/// <summary>Snapshot files written by hand, line by line, and read back through the reader under the name "test.jsonl".</summary>
internal static class SnapshotText
{
    public const string FileName = "test.jsonl";

    public const string Header =
        """{"format":"abitly-campaign","version":1,"campaign_year":2026,"taken_at":"2026-07-20T12:40:00+03:00","source":"test","full":true}""";

    /// <summary>A valid offer: budget 10 with 1 + 1 quota places, the F3 formula, four applications (positions 1–4).</summary>
    public static JsonObject Offer(long edboId = 1402001) => new()
    {
        ["edbo_id"] = edboId,
        ["university"] = new JsonObject { ["edbo_id"] = 41, ["name"] = "Київський національний університет імені Тараса Шевченка", ["short_name"] = "КНУ", ["region"] = "м. Київ" },
        ["speciality"] = new JsonObject { ["code"] = "F3", ["name"] = "Комп'ютерні науки" },
        ["program"] = "Комп'ютерні науки",
        ["faculty"] = "ФКНК",
        ["form"] = "Денна",
        ["degree"] = "Бакалавр",
        ["budget_places"] = 10,
        ["quota1_places"] = 1,
        ["quota2_places"] = 1,
        ["license_volume"] = 60,
        ["regional_coefficient"] = 1.00m,
        ["sectoral_coefficient"] = true,
        ["preparatory_points_apply"] = false,
        ["weights"] = new JsonArray(
            Weight(1, "ukr", 0.30m),
            Weight(2, "math", 0.50m),
            Weight(3, "hist", 0.20m),
            Weight(4, "eng", 0.30m),
            Weight(4, "phys", 0.40m)),
        ["source_url"] = $"https://vstup.edbo.gov.ua/offer/{edboId}/",
        ["min_budget_score_last_year"] = 180.5m,
        ["applications"] = new JsonArray(
            Application(1, "Шевченко Андрій Богданович", 195.123m, 1, "Допущено", "none", "pa1"),
            Application(2, "Коваленко Марія Олегівна", 187.5m, 2, "Зареєстровано", "quota1", "pa2"),
            Application(3, "Бондар Ігор Петрович", 181.04m, null, "Допущено", "none", "pa3"),
            Application(4, "Ткачук Олена Василівна", null, 3, "Скасовано вступником", "quota2", null)),
    };

    public static JsonObject Weight(int slot, string subject, decimal coefficient, decimal? minScore = null) => new()
    {
        ["slot"] = slot,
        ["subject"] = subject,
        ["coefficient"] = coefficient,
        ["min_score"] = minScore,
    };

    public static JsonObject Application(int position, string name, decimal? score, int? priority, string status, string quota, string? personKey)
    {
        var application = new JsonObject
        {
            ["position"] = position,
            ["name"] = name,
            ["score"] = score,
            ["priority"] = priority,
            ["status"] = status,
            ["quota"] = quota,
        };
        if (personKey is not null)
        {
            application["person_key"] = personKey;
        }

        return application;
    }

    public static JsonObject Mutated(Action<JsonObject> change, long edboId = 1402001)
    {
        var offer = Offer(edboId);
        change(offer);
        return offer;
    }

    public static string Line(JsonNode node) => node.ToJsonString();

    public static byte[] Utf8(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");

    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a whole file from bytes: the header, the entries, and every error in file order.</summary>
    public static async Task<ReadResult> ReadAsync(byte[] content, int maxLineBytes = SnapshotReader.DefaultMaxLineBytes)
    {
        await using var reader = await SnapshotReader.OpenAsync(new MemoryStream(content), FileName, leaveOpen: false, maxLineBytes, CancellationToken.None);
        var entries = new List<SnapshotOfferEntry>();
        await foreach (var entry in reader.ReadOffersAsync())
        {
            entries.Add(entry);
        }

        var errors = reader.HeaderErrors.Concat(entries.SelectMany(e => e.Errors)).ToList();
        return new ReadResult(reader.Header, reader.HeaderErrors, entries, errors, reader.Compressed, reader.Summary);
    }

    public static Task<ReadResult> ReadAsync(params string[] lines) => ReadAsync(Utf8(lines));

    /// <summary>The errors of a file made of the header and one offer line, as operators read them.</summary>
    public static async Task<string[]> ErrorsOfOfferAsync(JsonNode offer) =>
        [.. (await ReadAsync(Header, Line(offer))).Errors.Select(e => e.ToString())];
}

internal sealed record ReadResult(
    SnapshotHeader? Header,
    IReadOnlyList<SnapshotError> HeaderErrors,
    IReadOnlyList<SnapshotOfferEntry> Entries,
    IReadOnlyList<SnapshotError> Errors,
    bool Compressed,
    SnapshotReadSummary Summary);

/// <summary>A folder under the system temp folder, deleted with everything in it.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "abitly-campaign-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
