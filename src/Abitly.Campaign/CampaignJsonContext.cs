using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Abitly.Campaign;

/// <summary>
/// Source-generated JSON metadata for the snapshot records: snake_case names, required constructor parameters and
/// nullable annotations enforced, unknown properties ignored.
/// </summary>
/// <remarks>
/// <see cref="Default"/> escapes non-ASCII text as \uXXXX (the System.Text.Json default); <see cref="Readable"/> writes
/// Cyrillic as UTF-8 and is what <see cref="SnapshotWriter"/> uses.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowTrailingCommas = false,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(SnapshotHeader))]
[JsonSerializable(typeof(SnapshotOffer))]
public sealed partial class CampaignJsonContext : JsonSerializerContext
{
    private static CampaignJsonContext? _readable;

    /// <summary>The same metadata with UTF-8 text written as is (only quotes, backslashes and control characters escaped).</summary>
    public static CampaignJsonContext Readable => _readable ??= new CampaignJsonContext(
        new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
