using Abitly.Bot.Data;
using Abitly.Bot.Services;
using Abitly.Domain.Scoring;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Sandbox;

/// <summary>
/// Turns the demo data into a campaign the allocation simulation can read, as if it had been imported: list positions,
/// a person key on every budget application (the demo lists' applications grouped into persons with one application per
/// priority and per offer), the demo applicant Олена's own two applications, and a completed import run they belong to.
/// Done once, when the database has no import run yet; the simulation then runs over it like over any import.
/// </summary>
public static class DemoCampaign
{
    /// <summary>Олена's applications: Sociology at priority 1, KNU computer science at priority 2, with the scores the bot computes for her.</summary>
    public const string OlenaName = "Демченко О. П.";

    public static async Task<string?> PrepareAsync(AbitlyDbContext db, int campaignYear, DateTime nowUtc, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (await db.ImportRuns.AnyAsync(ct) || !await db.Offers.AnyAsync(o => o.Year == campaignYear && o.BudgetPlaces != null, ct))
        {
            return null;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var offers = await db.Offers.Where(o => o.Year == campaignYear).Include(o => o.Subjects).Include(o => o.Speciality).ToListAsync(ct);
        await AddOlenaAsync(db, offers, nowUtc, ct);
        var rows = await db.Applicants.AsNoTracking()
            .Where(a => offers.Select(o => o.Id).Contains(a.OfferId))
            .Select(a => new Row(a.Id, a.OfferId, a.Score, a.Priority, a.PersonKey))
            .ToListAsync(ct);
        var positions = rows.GroupBy(r => r.OfferId)
            .SelectMany(g => g.OrderByDescending(r => r.Score ?? -1m).ThenBy(r => r.Id).Select((r, i) => (r.Id, Position: i + 1)))
            .ToDictionary(p => p.Id, p => p.Position);
        var budgetOffers = offers.Where(o => o.BudgetPlaces is not null).Select(o => o.Id).ToHashSet();
        var keys = PersonKeys(rows.Where(r => r.PersonKey is null && r.Priority is >= 1 and <= 5 && budgetOffers.Contains(r.OfferId)));
        await using (var update = await db.CreateCommandAsync("UPDATE applicants SET position = @p, person_key = coalesce(person_key, @k) WHERE id = @id", ct))
        {
            var (position, key, id) = (update.AddParameter("p", null), update.AddParameter("k", null), update.AddParameter("id", null));
            foreach (var row in rows)
            {
                (position.Value, key.Value, id.Value) = (positions[row.Id], keys.TryGetValue(row.Id, out var k) ? k : DBNull.Value, row.Id);
                await update.ExecuteNonQueryAsync(ct);
            }
        }

        var run = new ImportRun
        {
            Source = "demo data (sandbox)",
            Trigger = "seed",
            CampaignYear = campaignYear,
            TakenAt = nowUtc,
            Full = true,
            StartedAt = nowUtc,
            FinishedAt = nowUtc,
            Status = ImportRunStatus.Completed,
            OffersAdded = offers.Count,
        };
        db.ImportRuns.Add(run);
        await db.SaveChangesAsync(ct);
        await db.Offers.Where(o => o.Year == campaignYear).ExecuteUpdateAsync(s => s.SetProperty(o => o.ImportRunId, run.Id), ct);
        await transaction.CommitAsync(ct);
        return $"demo lists prepared for the simulation: {keys.Values.Distinct().Count() + 1} persons, import run {run.Id}";
    }

    private sealed record Row(long Id, long OfferId, decimal? Score, int? Priority, string? PersonKey);

    /// <summary>Олена Демченко (the demo web user) on two lists, with her own scores, so the sandbox can find her application.</summary>
    private static async Task AddOlenaAsync(AbitlyDbContext db, List<Offer> offers, DateTime nowUtc, CancellationToken ct)
    {
        var grades = await db.UserGrades.AsNoTracking().Where(g => g.UserId == DemoData.Ids.DemoWebUser).ToListAsync(ct);
        foreach (var (offerId, priority) in new[] { (DemoData.Ids.SociologyOffer, 1), (DemoData.Ids.ComputerScienceOffer, 2) })
        {
            var offer = offers.SingleOrDefault(o => o.Id == offerId);
            if (offer is null)
            {
                continue;
            }

            var applicant = ApplicantGrades.FromResults(grades.Select(g => new GradeResult(g.Subject, g.Score, g.Year)), offer.PreparatoryPointsApply);
            var score = CompetitiveScoreCalculator.Calculate(OfferService.WeightsOf(offer), applicant).Score;
            if (score is null)
            {
                continue;
            }

            db.Applicants.Add(new Applicant
            {
                OfferId = offerId,
                FullName = OlenaName,
                Score = priority <= SectoralCoefficient.MaxPriority ? score.WithPriorityBonus : score.WithoutPriorityBonus,
                Priority = priority,
                Status = "Допущено",
                PersonKey = "demo-olena",
                UpdatedAt = nowUtc,
            });
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Groups budget applications into persons the way strong applicants apply: everyone at priority 1 is a person; at
    /// each later priority the applications, best score first, go to the persons in the order of their priority-1 score,
    /// each to the next person (round robin) with no application of that priority or to that offer yet. So the best
    /// applicants of one list are often the best of another, and leave it when they pass at a higher priority.
    /// </summary>
    private static Dictionary<long, string> PersonKeys(IEnumerable<Row> budget)
    {
        var persons = new List<(int Priorities, HashSet<long> Offers)>();
        var keys = new Dictionary<long, string>();
        foreach (var level in budget.GroupBy(r => r.Priority!.Value).OrderBy(g => g.Key))
        {
            var bit = 1 << (level.Key - 1);
            var cursor = 0;
            foreach (var row in level.OrderByDescending(r => r.Score ?? 0m).ThenBy(r => r.Id))
            {
                var person = -1;
                for (var tried = 0; tried < persons.Count && person < 0; tried++)
                {
                    var candidate = (cursor + tried) % persons.Count;
                    if ((persons[candidate].Priorities & bit) == 0 && !persons[candidate].Offers.Contains(row.OfferId))
                    {
                        person = candidate;
                    }
                }

                if (person < 0)
                {
                    person = persons.Count;
                    persons.Add((0, []));
                }

                persons[person] = (persons[person].Priorities | bit, persons[person].Offers);
                persons[person].Offers.Add(row.OfferId);
                cursor = person + 1;
                keys[row.Id] = $"demo-{person + 1}";
            }
        }

        return keys;
    }
}
