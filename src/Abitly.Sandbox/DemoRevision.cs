using System.Globalization;
using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Import;
using Abitly.Campaign;
using Abitly.Domain.Ranking;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Sandbox;

/// <summary>What one demo revision did, for the page's notice.</summary>
public sealed record DemoRevisionResult(ImportReport Report, int NewApplications, int Cancelled, int SeatsChanged, int Alerted, int Held);

/// <summary>
/// The sandbox's "the lists moved": takes the demo campaign's offers as they are stored, perturbs them the way a few hours
/// of a real campaign do — a wave of new applications around the budget line, some cancellations, registrations becoming
/// admissions, now and then a change of budget places — and imports the result through the importer as a partial snapshot.
/// Every offer someone follows is in the wave (so a person who follows one sees an alert), plus a few others. The import's
/// run completes, and the tracked-offer alerts follow it as they do in production.
/// </summary>
public static class DemoRevision
{
    /// <summary>The <c>import_runs.trigger</c> of a demo revision.</summary>
    public const string ImportTrigger = "sandbox";

    private static readonly string[] Surnames = ["Бондар", "Гнатюк", "Дяченко", "Кравець", "Левченко", "Мороз", "Остапенко", "Петренко", "Савчук", "Ткачук"];

    public static async Task<DemoRevisionResult> ImportAsync(IServiceProvider services, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AbitlyDbContext>();
        var year = scope.ServiceProvider.GetRequiredService<AbitlySettings>().CampaignYear;
        var revision = await db.ImportRuns.CountAsync(r => r.Trigger == ImportTrigger, ct) + 1;
        var random = new Random(20260720 + revision);

        var offers = await db.Offers.AsNoTracking()
            .Where(o => o.Year == year && o.WithdrawnAt == null && o.BudgetPlaces != null && o.Subjects.Any())
            .Include(o => o.University).Include(o => o.Speciality).Include(o => o.Subjects)
            .OrderBy(o => o.Id)
            .ToListAsync(ct);
        var followed = (await db.TrackedOffers.AsNoTracking().Select(t => t.OfferId).Distinct().ToListAsync(ct)).ToHashSet();
        var others = offers.Where(o => !followed.Contains(o.Id)).OrderBy(_ => random.Next()).Take(Math.Max(3, offers.Count / 5));
        var chosen = offers.Where(o => followed.Contains(o.Id)).Concat(others).ToList();
        var analytics = await db.OfferAnalytics.AsNoTracking().Where(a => chosen.Select(o => o.Id).Contains(a.OfferId)).ToDictionaryAsync(a => a.OfferId, ct);

        var tally = new Tally();
        var snapshot = new List<SnapshotOffer>(chosen.Count);
        foreach (var offer in chosen)
        {
            var applicants = await db.Applicants.AsNoTracking().Where(a => a.OfferId == offer.Id).ToListAsync(ct);
            snapshot.Add(Perturb(offer, applicants, analytics.GetValueOrDefault(offer.Id), random, tally));
        }

        var directory = Directory.CreateTempSubdirectory("abitly-demo-revision-");
        try
        {
            var path = Path.Combine(directory.FullName, $"demo-revision-{revision}.jsonl");
            await SnapshotWriter.WriteAsync(path, SnapshotHeader.Create(year, now, $"sandbox: demo revision {revision}", full: false), snapshot, ct);
            var report = await scope.ServiceProvider.GetRequiredService<CampaignImporter>().ImportAsync(new ImportRequest(path, ImportTrigger, Force: true), ct);
            var pass = report.RunId is { } run
                ? await db.TrackedAlertPasses.AsNoTracking().Where(p => p.ThroughRunId == run).FirstOrDefaultAsync(ct)
                : null;
            return new DemoRevisionResult(report, tally.New, tally.Cancelled, tally.Seats, pass?.UsersAlerted ?? 0, pass?.UsersHeld ?? 0);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The stored offer as a snapshot line, its list perturbed.</summary>
    private static SnapshotOffer Perturb(Offer offer, List<Applicant> applicants, OfferAnalytics? analytics, Random random, Tally tally)
    {
        var seats = new BudgetSeats(offer.BudgetPlaces, offer.Quota1Places, offer.Quota2Places);
        var cutOff = BudgetCompetition.From(applicants.Select(a => new RankedApplication(a.Score, a.Priority, a.Status, a.Quota)), seats).CutOff;
        var centre = (double)(cutOff ?? analytics?.MinBudgetScoreLastYear ?? 160m);
        var list = applicants.Select(a => (a.FullName, a.Score, a.Priority, Status: a.Status, a.Quota, a.PersonKey)).ToList();

        // Some leave (a cancelled application stays on the list, as published), some move from registered to admitted.
        for (var i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (!ApplicationStatuses.IsActive(a.Status))
            {
                continue;
            }

            var roll = random.NextDouble();
            if (roll < 0.02)
            {
                list[i] = a with { Status = "Скасовано вступником" };
                tally.Cancelled++;
            }
            else if (roll < 0.08 && a.Status == "Зареєстровано")
            {
                list[i] = a with { Status = "Допущено" };
            }
        }

        // A wave of new applications, most of them a little above the line (that is where a campaign's late movers land).
        var wave = Math.Max(5, (int)Math.Round(list.Count * 0.04));
        for (var i = 0; i < wave; i++)
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var score = Math.Round((decimal)Math.Clamp(centre + 2 + (normal * 4), 100, 200), 3);
            var name = $"{Surnames[random.Next(Surnames.Length)]} {(char)('А' + random.Next(28))}. {(char)('А' + random.Next(28))}.";
            list.Add((name, score, random.Next(10) < 7 ? random.Next(1, 3) : random.Next(3, 6), "Зареєстровано", QuotaKind.None, null));
            tally.New++;
        }

        var budget = offer.BudgetPlaces!.Value;
        if (random.NextDouble() < 0.15)
        {
            // The state order is revised now and then; never below the quota places.
            budget = Math.Max(offer.Quota1Places + offer.Quota2Places, budget + (random.Next(2) == 0 ? -1 : 1) * Math.Max(1, budget / 20));
            tally.Seats += budget != offer.BudgetPlaces ? 1 : 0;
        }

        var applications = list
            .OrderByDescending(a => a.Score ?? 0m).ThenBy(a => a.Priority ?? 99)
            .Select((a, i) => new SnapshotApplication(i + 1, a.FullName, a.Score, a.Priority, a.Status,
                a.Priority is null ? QuotaKind.None : a.Quota,   // the format has quotas only on budget applications
                a.PersonKey))
            .ToList();
        return new SnapshotOffer(
            offer.Id,
            new SnapshotUniversity(offer.University.Name, offer.University.Region, offer.University.EdboId, offer.University.ShortName),
            new SnapshotSpeciality(offer.Speciality.Code, offer.Speciality.Name),
            offer.ProgramName,
            offer.EducationForm,
            offer.Degree,
            budget,
            offer.Quota1Places,
            offer.Quota2Places,
            offer.RegionalCoefficient,
            offer.SectoralCoefficientApplies,
            [.. offer.Subjects.OrderBy(s => s.Slot).ThenBy(s => s.Subject, StringComparer.Ordinal).Select(s => new SnapshotWeight(s.Slot, s.Subject, s.Coefficient, s.MinScore))],
            applications,
            offer.Faculty,
            offer.LicenseVolume,
            offer.PreparatoryPointsApply,
            offer.SourceUrl,
            analytics?.MinBudgetScoreLastYear);
    }

    /// <summary>The page's notice about a revision.</summary>
    public static string Describe(DemoRevisionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var report = result.Report;
        if (report.Outcome != ImportOutcome.Completed)
        {
            return $"Імпорт не вдався: {report.Message}";
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"Списки оновлено (імпорт №{report.RunId}): змінено пропозицій — {report.Changed + report.Added}; нових заяв — {result.NewApplications}, скасовано — {result.Cancelled}, змін кількості місць — {result.SeatsChanged}. ")
            + (result.Alerted + result.Held == 0
                ? "Нікому з тих, хто стежить, нема про що повідомити (або ніхто не стежить: ⭐ під пропозицією)."
                : $"Сповіщення: {result.Alerted} у черзі" + (result.Held > 0 ? $", {result.Held} чекають 08:00 або завтрашнього дня." : "."));
    }

    private sealed class Tally
    {
        public int New { get; set; }

        public int Cancelled { get; set; }

        public int Seats { get; set; }
    }
}
