using System.Text.Json;
using System.Text.Json.Serialization;
using Abitly.Domain.Ranking;

namespace Abitly.Campaign;

/// <summary>Reads and writes a <see cref="QuotaKind"/> as exactly "none", "quota1" or "quota2" (no numbers, no other spellings).</summary>
public sealed class QuotaKindJsonConverter : JsonConverter<QuotaKind>
{
    /// <summary>The JSON text of <see cref="QuotaKind.None"/>.</summary>
    public const string None = "none";

    /// <summary>The JSON text of <see cref="QuotaKind.Quota1"/>.</summary>
    public const string Quota1 = "quota1";

    /// <summary>The JSON text of <see cref="QuotaKind.Quota2"/>.</summary>
    public const string Quota2 = "quota2";

    /// <summary>The JSON text of a quota kind.</summary>
    public static string ToJson(QuotaKind quota) => quota switch
    {
        QuotaKind.None => None,
        QuotaKind.Quota1 => Quota1,
        QuotaKind.Quota2 => Quota2,
        _ => throw new ArgumentOutOfRangeException(nameof(quota), quota, "Not a quota kind."),
    };

    /// <summary>The quota kind a JSON text names, or null for anything else.</summary>
    public static QuotaKind? FromJson(ReadOnlySpan<char> text) => text switch
    {
        None => QuotaKind.None,
        Quota1 => QuotaKind.Quota1,
        Quota2 => QuotaKind.Quota2,
        _ => null,
    };

    /// <inheritdoc />
    public override QuotaKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("none"u8))
            {
                return QuotaKind.None;
            }

            if (reader.ValueTextEquals("quota1"u8))
            {
                return QuotaKind.Quota1;
            }

            if (reader.ValueTextEquals("quota2"u8))
            {
                return QuotaKind.Quota2;
            }
        }

        throw new JsonException("Expected \"none\", \"quota1\" or \"quota2\".");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, QuotaKind value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(ToJson(value));
    }
}
