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

    /// <summary>The offer's cut-off after each run that changed it, newest first (the trend needs the last day or two).</summary>
    public async Task<List<CutOffPoint>> GetCutOffHistoryAsync(long offerId, CancellationToken ct)
    {
        var rows = await db.OfferSnapshots.AsNoTracking()
            .Where(s => s.OfferId == offerId && !s.Withdrawn)
            .OrderByDescending(s => s.ImportRunId)
            .Take(64)
            .Select(s => new { s.TakenAt, s.CutOff })
            .ToListAsync(ct);
        return [.. rows.Select(r => new CutOffPoint(new DateTimeOffset(DateTime.SpecifyKind(r.TakenAt, DateTimeKind.Utc)), r.CutOff))];
    }

    /// <summary>When the newest completed import of a year read its lists: how fresh every offer of that year is.</summary>
    public async Task<DateTime?> DataTakenAtAsync(int year, CancellationToken ct) =>
        await db.ImportRuns.AsNoTracking()
            .Where(r => r.CampaignYear == year && r.Status == ImportRunStatus.Completed)
            .OrderByDescending(r => r.Id)
            .Select(r => r.TakenAt)
            .FirstOrDefaultAsync(ct);

    /// <summary>Only what ranking needs of an offer's list, never the names.</summary>
    public Task<RankedApplication[]> GetRankedApplicationsAsync(long offerId, CancellationToken ct) =>
        db.Applicants.AsNoTracking()
            .Where(a => a.OfferId == offerId)
            .Select(a => new RankedApplication(a.Score, a.Priority, a.Status, a.Quota))
            .ToArrayAsync(ct);
}
