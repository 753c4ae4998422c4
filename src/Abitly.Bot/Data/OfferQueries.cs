using Abitly.Domain.Ranking;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Data;

/// <summary>An offer with what its view shows beside the list: university, speciality, weights and analytics.</summary>
public sealed record OfferHead(Offer Offer, OfferAnalytics? Analytics);

/// <summary>Reads offers and their lists for the offer view.</summary>
public sealed class OfferQueries(AbitlyDbContext db)
{
    /// <summary>The offer's head in one query, or null when no such offer is stored.</summary>
    public async Task<OfferHead?> GetHeadAsync(long offerId, CancellationToken ct)
    {
        var head = await db.Offers.AsNoTracking()
            .Where(o => o.Id == offerId)
            .Select(o => new
            {
                Offer = o,
                o.University,
                o.Speciality,
                o.Subjects,
                Analytics = db.OfferAnalytics.FirstOrDefault(a => a.OfferId == o.Id),
            })
            .FirstOrDefaultAsync(ct);
        if (head is null)
        {
            return null;
        }

        head.Offer.University = head.University;
        head.Offer.Speciality = head.Speciality;
        head.Offer.Subjects = head.Subjects;
        return new OfferHead(head.Offer, head.Analytics);
    }

    /// <summary>Only what ranking needs of an offer's list, never the names.</summary>
    public Task<RankedApplication[]> GetRankedApplicationsAsync(long offerId, CancellationToken ct) =>
        db.Applicants.AsNoTracking()
            .Where(a => a.OfferId == offerId)
            .Select(a => new RankedApplication(a.Score, a.Priority, a.Status, a.Quota))
            .ToArrayAsync(ct);
}
