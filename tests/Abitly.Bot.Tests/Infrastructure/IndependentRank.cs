using Abitly.Bot.Data;
using Abitly.Domain.Ranking;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Tests.Infrastructure;

/// <summary>The ranking rule counted straight from the stored rows, independent of the bot's prepared lists.</summary>
internal static class IndependentRank
{
    /// <summary>
    /// Active budget applications that rank above <paramref name="score"/>: those outside the quotas, plus the quota ones
    /// left over once each quota's places are filled by its best scores.
    /// </summary>
    public static async Task<int> HigherAsync(AbitlyDbContext db, long offerId, decimal score)
    {
        var offer = await db.Offers.AsNoTracking().SingleAsync(o => o.Id == offerId);
        var above = await db.Applicants.AsNoTracking()
            .Where(a => a.OfferId == offerId && a.Priority >= 1 && a.Priority <= 5)
            .Select(a => new { a.Score, a.Status, a.Quota })
            .ToListAsync();
        var active = above.Where(a => a.Score > score
            && !a.Status.StartsWith("Скасовано", StringComparison.Ordinal) && !a.Status.StartsWith("Відмова", StringComparison.Ordinal)).ToList();
        var quota1Above = active.Count(a => a.Quota == QuotaKind.Quota1);
        var quota2Above = active.Count(a => a.Quota == QuotaKind.Quota2);
        return active.Count(a => a.Quota == QuotaKind.None) + Math.Max(0, quota1Above - offer.Quota1Places) + Math.Max(0, quota2Above - offer.Quota2Places);
    }
}
