using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Abitly.Bot.Data;

namespace Abitly.Bot.Services;

/// <summary>
/// A short token naming one version of an offer and its list, for buttons that must notice when the list changed after
/// they were drawn, and for caches of what is drawn from it. An import that changes an offer writes a new
/// <c>content_hash</c> and <c>import_run_id</c> and bumps <c>updated_at</c>; an unchanged offer keeps all three. Lists
/// that do not come through the importer (demo data, hand edits) carry no hash, and <c>updated_at</c> alone tells them apart.
/// </summary>
public static class OfferListVersion
{
    /// <summary>Characters of the token: 40 bits in lowercase hex, so two versions of one offer practically never collide.</summary>
    public const int Length = 10;

    public static string Of(Offer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var source = string.Create(CultureInfo.InvariantCulture, $"{offer.ContentHash}|{offer.ImportRunId}|{offer.UpdatedAt.Ticks}");
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(source), hash);
        return Convert.ToHexStringLower(hash[..(Length / 2)]);
    }
}
