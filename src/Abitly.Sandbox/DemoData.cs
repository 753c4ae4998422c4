using System.Globalization;
using Abitly.Bot.Data;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Sandbox;

/// <summary>
/// The sandbox's and the tests' data: the <see cref="DemoCampaign"/> imported as production data is (universities,
/// specialities, offers with their lists and analytics), then what the web backend owns — two web users with NMT grades —
/// and five open days, inserted directly.
/// </summary>
public static class DemoData
{
    /// <summary>Ids that tests, the README and the sandbox refer to.</summary>
    public static class Ids
    {
        /// <summary>KNU, F3 Computer science: about 10,000 applications (the top of a real campaign).</summary>
        public const long ComputerScienceOffer = 1402001;
        /// <summary>KPI, F2 Software engineering: about 3,000 applications.</summary>
        public const long SoftwareEngineeringOffer = 1402002;
        /// <summary>LNU, C5 Sociology with РК = 1.00 and the weights of the DESIGN worked example (167.829).</summary>
        public const long SociologyOffer = 1402003;
        /// <summary>Kharkiv (РК 1.07), F3 Computer science.</summary>
        public const long KharkivComputerScienceOffer = 1402004;
        /// <summary>An offer of the previous campaign: answers INVALID_YEAR.</summary>
        public const long LastYearOffer = 1302001;
        /// <summary>Contract-only offer without applicants.</summary>
        public const long EmptyContractOffer = 1402009;
        public const long DemoWebUser = 1;
        public const long SecondWebUser = 2;
    }

    public static Task<string> SeedAsync(string connectionString, int campaignYear, DateTime nowUtc, CancellationToken ct) =>
        SeedAsync(DatabaseProvider.Postgres, connectionString, campaignYear, nowUtc, ct);

    /// <summary>
    /// Imports the demo campaign and adds the web users and open days, unless the demo web user is there already or the
    /// database holds data that did not come from the demo. Returns what was done, for the banner.
    /// </summary>
    public static async Task<string> SeedAsync(DatabaseProvider provider, string connectionString, int campaignYear, DateTime nowUtc, CancellationToken ct)
    {
        await using (var check = Database.Open(provider, connectionString))
        {
            if (await check.Users.AnyAsync(u => u.Id == Ids.DemoWebUser, ct))
            {
                return "Demo data already present; nothing added.";
            }

            // Someone's own data: the demo's full snapshots would withdraw its offers. A demo import cut short goes on.
            if (await check.Universities.AnyAsync(ct) && !await check.ImportRuns.AnyAsync(r => r.Trigger == DemoCampaign.ImportTrigger, ct))
            {
                return "The database already holds universities that are not the demo's; nothing added.";
            }
        }

        var reports = await DemoCampaign.ImportAsync(provider, connectionString, campaignYear, new DateTimeOffset(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc)), ct);

        await using var db = Database.Open(provider, connectionString);
        var universities = await db.Universities.Where(u => u.EdboId != null).ToDictionaryAsync(u => u.EdboId!.Value, u => u.Id, ct);
        var specialities = await db.Specialities.ToDictionaryAsync(s => s.Code, s => s.Id, StringComparer.Ordinal, ct);
        int University(Campaign.SnapshotUniversity u) => universities[u.EdboId!.Value];
        int Speciality(Campaign.SnapshotSpeciality s) => specialities[s.Code];

        db.Users.AddRange(
            new WebUser
            {
                Id = Ids.DemoWebUser,
                Email = "olena.demchenko@example.com",
                DisplayName = "Олена Демченко",
                CreatedAt = nowUtc,
                Grades =
                [
                    new UserGrade { Subject = "ukr", Score = 186, Year = campaignYear },
                    new UserGrade { Subject = "math", Score = 167, Year = campaignYear },
                    new UserGrade { Subject = "hist", Score = 168, Year = campaignYear },
                    new UserGrade { Subject = "eng", Score = 152, Year = campaignYear },
                ],
            },
            new WebUser
            {
                Id = Ids.SecondWebUser,
                Email = "taras.koval@example.com",
                DisplayName = "Тарас Коваль",
                CreatedAt = nowUtc,
                Grades =
                [
                    new UserGrade { Subject = "ukr", Score = 195, Year = campaignYear },
                    new UserGrade { Subject = "math", Score = 200, Year = campaignYear },
                    new UserGrade { Subject = "hist", Score = 181, Year = campaignYear },
                    new UserGrade { Subject = "phys", Score = 190, Year = campaignYear },
                ],
            });

        var kyiv = Domain.OpenDays.OpenDayZone.Resolve("Europe/Kyiv");
        DateTime At(int daysAhead, int hour) =>
            TimeZoneInfo.ConvertTimeToUtc(
                DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(nowUtc, kyiv).Date.AddDays(daysAhead).AddHours(hour), DateTimeKind.Unspecified),
                kyiv);
        db.OpenDays.AddRange(
            new OpenDay { Id = 1, UniversityId = University(DemoCampaign.Knu), SpecialityId = Speciality(DemoCampaign.ComputerScience), Title = "День відкритих дверей факультету комп'ютерних наук", Description = "Екскурсія лабораторіями, зустріч з деканом.", StartsAt = At(1, 11), Location = "Київ, просп. Глушкова, 4д", CreatedAt = nowUtc, UpdatedAt = nowUtc },
            new OpenDay { Id = 2, UniversityId = University(DemoCampaign.Kpi), SpecialityId = null, Title = "День відкритих дверей КПІ", Description = "Усі факультети, презентації та консультації приймальної комісії.", StartsAt = At(3, 10), Location = "Київ, Центр культури КПІ", CreatedAt = nowUtc, UpdatedAt = nowUtc },
            new OpenDay { Id = 3, UniversityId = University(DemoCampaign.Lnu), SpecialityId = Speciality(DemoCampaign.Sociology), Title = "Онлайн-зустріч для вступників на соціологію", StartsAt = At(5, 16), Url = "https://lnu.edu.ua/", CreatedAt = nowUtc, UpdatedAt = nowUtc },
            new OpenDay { Id = 4, UniversityId = University(DemoCampaign.Karazin), SpecialityId = Speciality(DemoCampaign.ComputerScience), Title = "Каразінський день ІТ", StartsAt = At(10, 12), Location = "Харків, майдан Свободи, 4", CreatedAt = nowUtc, UpdatedAt = nowUtc },
            new OpenDay { Id = 5, UniversityId = University(DemoCampaign.Mechnikov), SpecialityId = Speciality(DemoCampaign.Psychology), Title = "День психолога для абітурієнтів", StartsAt = At(14, 13), Location = "Одеса, вул. Дворянська, 2", CreatedAt = nowUtc, UpdatedAt = nowUtc });

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        if (db.Database.IsNpgsql())
        {
            // These rows carry their own ids; move the identity sequences past them, or the next open day or web user
            // added without an id would be given id 1 again. (The importer created the universities and specialities.)
            await db.Database.ExecuteSqlRawAsync(
                """
                SELECT setval(pg_get_serial_sequence('open_days', 'id'), (SELECT max(id) FROM open_days));
                SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users));
                """, ct);
        }

        await transaction.CommitAsync(ct);
        var offers = reports.Sum(r => r.Added + r.Changed + r.Unchanged);
        var universityCount = await db.Universities.CountAsync(ct);
        return string.Create(CultureInfo.InvariantCulture,
            $"Demo data added: {offers} offers with {DemoCampaign.Applications + DemoCampaign.PreviousYearApplications:N0} applications imported from generated campaigns of {campaignYear - 1} and {campaignYear}, {universityCount} universities, {specialities.Count} specialities, 2 web users, 5 open days.");
    }
}
