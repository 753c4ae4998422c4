using System.Data.Common;
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

    /// <summary>
    /// What the offer view reads before the list, in one query (a round trip saved is most of a hot view): the head, when
    /// the newest completed import of the offer's year read its lists, and whether the Telegram user follows the offer.
    /// Null when no such offer is stored.
    /// </summary>
    public async Task<OfferViewHead?> GetViewHeadAsync(long offerId, long? telegramUserId, CancellationToken ct)
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
                DataTakenAt = db.ImportRuns
                    .Where(r => r.CampaignYear == o.Year && r.Status == ImportRunStatus.Completed)
                    .OrderByDescending(r => r.Id)
                    .Select(r => r.TakenAt)
                    .FirstOrDefault(),
                Following = db.TrackedOffers.Any(t => t.TelegramUserId == telegramUserId && t.OfferId == o.Id),
            })
            .FirstOrDefaultAsync(ct);
        if (head is null)
        {
            return null;
        }

        head.Offer.University = head.University;
        head.Offer.Speciality = head.Speciality;
        head.Offer.Subjects = head.Subjects;
        return new OfferViewHead(new OfferHead(head.Offer, head.Analytics), head.DataTakenAt, telegramUserId is not null && head.Following);
    }

    /// <summary>When the newest completed import of a year read its lists: how fresh every offer of that year is.</summary>
    public async Task<DateTime?> DataTakenAtAsync(int year, CancellationToken ct) =>
        await db.ImportRuns.AsNoTracking()
            .Where(r => r.CampaignYear == year && r.Status == ImportRunStatus.Completed)
            .OrderByDescending(r => r.Id)
            .Select(r => r.TakenAt)
            .FirstOrDefaultAsync(ct);

    /// <summary>Only what ranking needs of an offer's list, never the names.</summary>
    public async Task<RankedApplication[]> GetRankedApplicationsAsync(long offerId, CancellationToken ct)
    {
        await using var command = await db.CreateCommandAsync(ListSql, ct);
        command.AddParameter("offer", offerId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await ReadListAsync(reader, db.Database.IsSqlite(), ct);
    }

    /// <summary>
    /// What the offer view prepares of an offer, in one round trip: the list as ranking reads it (never the names) and the
    /// cut-off after each run that changed the offer, newest first (the trend needs the last day or two).
    /// </summary>
    public async Task<OfferListRows> GetListAsync(long offerId, CancellationToken ct)
    {
        await using var command = await db.CreateCommandAsync(ListSql + ";\n" + HistorySql, ct);
        command.AddParameter("offer", offerId);
        await command.PrepareAsync(ct);   // once per pooled connection
        await using var reader = await command.ExecuteReaderAsync(ct);
        var sqlite = db.Database.IsSqlite();
        var applications = await ReadListAsync(reader, sqlite, ct);
        await reader.NextResultAsync(ct);
        var history = new List<CutOffPoint>();
        while (await reader.ReadAsync(ct))
        {
            var takenAt = DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc);
            history.Add(new CutOffPoint(new DateTimeOffset(takenAt), reader.IsDBNull(1) ? null : Score(reader, 1, sqlite)));
        }

        return new OfferListRows(applications, history);
    }

    private const string ListSql = "SELECT score, priority, status, quota FROM applicants WHERE offer_id = @offer";

    private const string HistorySql =
        "SELECT taken_at, cut_off FROM offer_snapshots WHERE offer_id = @offer AND NOT withdrawn ORDER BY import_run_id DESC LIMIT 64";

    /// <summary>
    /// Reads the list's rows with the reader's typed getters (no entity materialisation). A list has a handful of distinct
    /// statuses among thousands of rows: each is read into a buffer and matched against those seen, so the rows share one
    /// string per status instead of allocating one each.
    /// </summary>
    private static async Task<RankedApplication[]> ReadListAsync(DbDataReader reader, bool sqlite, CancellationToken ct)
    {
        var rows = new List<RankedApplication>();
        var statuses = new List<string>(8);
        var buffer = new char[StatusMaxLength];
        while (await reader.ReadAsync(ct))
        {
            // Npgsql decodes straight into the buffer; SQLite's reader makes the string anyway.
            var status = sqlite
                ? Known(statuses, reader.GetString(2))
                : Known(statuses, buffer.AsSpan(0, (int)reader.GetChars(2, 0, buffer, 0, buffer.Length)));
            rows.Add(new RankedApplication(
                reader.IsDBNull(0) ? null : Score(reader, 0, sqlite),
                reader.IsDBNull(1) ? null : reader.GetInt32(1),
                status,
                (QuotaKind)reader.GetInt16(3)));
        }

        return [.. rows];
    }

    /// <summary>The column's limit (ApplicantConfiguration); a longer text could not have been stored.</summary>
    private const int StatusMaxLength = 100;

    private static string Known(List<string> seen, ReadOnlySpan<char> status)
    {
        foreach (var known in seen)
        {
            if (status.SequenceEqual(known))
            {
                return known;
            }
        }

        var added = status.ToString();
        seen.Add(added);
        return added;
    }

    // SQLite keeps decimals as REAL (SqliteAbitlyDbContext): read them back the way EF's conversion does.
    private static decimal Score(DbDataReader reader, int ordinal, bool sqlite) =>
        sqlite ? (decimal)reader.GetDouble(ordinal) : reader.GetDecimal(ordinal);
}

/// <summary>The offer view's head: the offer, when its year's lists were taken (UTC) and whether the user follows it.</summary>
public sealed record OfferViewHead(OfferHead Head, DateTime? DataTakenAt, bool Following);

/// <summary>An offer's list as ranking reads it and its cut-off history, newest first.</summary>
public sealed record OfferListRows(IReadOnlyCollection<RankedApplication> Applications, IReadOnlyList<CutOffPoint> History);
