using Abitly.Bot.Data;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Sandbox;

/// <summary>
/// Realistic, deterministic demo and test data: universities, specialities, offers of the campaign
/// year with subjects, analytics and thousands of applicants, a web user with NMT grades, open days.
/// </summary>
public static class DemoData
{
    /// <summary>Ids that tests, the README and the sandbox refer to.</summary>
    public static class Ids
    {
        /// <summary>KNU, F3 Computer science: 10,000 applicants (the top of a real campaign).</summary>
        public const long ComputerScienceOffer = 1402001;
        /// <summary>KPI, F2 Software engineering: 3,000 applicants.</summary>
        public const long SoftwareEngineeringOffer = 1402002;
        /// <summary>LNU, C3 Sociology with РК = 1.00.</summary>
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

    public static async Task<string> SeedAsync(DatabaseProvider provider, string connectionString, int campaignYear, DateTime nowUtc, CancellationToken ct)
    {
        await using var db = Database.Open(provider, connectionString);
        return await SeedAsync(db, campaignYear, nowUtc, ct);
    }

    public static async Task<string> SeedAsync(AbitlyDbContext db, int campaignYear, DateTime nowUtc, CancellationToken ct)
    {
        if (await db.Universities.AnyAsync(ct))
        {
            return "Demo data already present; nothing added.";
        }

        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var universities = new[]
        {
            new University { Id = 1, Name = "Київський національний університет імені Тараса Шевченка", ShortName = "КНУ ім. Шевченка", Region = "м. Київ" },
            new University { Id = 2, Name = "Національний технічний університет України «КПІ імені Ігоря Сікорського»", ShortName = "КПІ ім. Сікорського", Region = "м. Київ" },
            new University { Id = 3, Name = "Львівський національний університет імені Івана Франка", ShortName = "ЛНУ ім. Франка", Region = "Львівська область" },
            new University { Id = 4, Name = "Харківський національний університет імені В. Н. Каразіна", ShortName = "ХНУ ім. Каразіна", Region = "Харківська область" },
            new University { Id = 5, Name = "Національний університет «Львівська політехніка»", ShortName = "Львівська політехніка", Region = "Львівська область" },
            new University { Id = 6, Name = "Одеський національний університет імені І. І. Мечникова", ShortName = "ОНУ ім. Мечникова", Region = "Одеська область" },
        };
        var specialities = new[]
        {
            new Speciality { Id = 1, Code = "F3", Name = "Комп'ютерні науки" },
            new Speciality { Id = 2, Code = "F2", Name = "Інженерія програмного забезпечення" },
            new Speciality { Id = 3, Code = "C3", Name = "Соціологія" },
            new Speciality { Id = 4, Code = "D8", Name = "Право" },
            new Speciality { Id = 5, Code = "C4", Name = "Психологія" },
            new Speciality { Id = 6, Code = "E6", Name = "Фізика та астрономія" },
            new Speciality { Id = 7, Code = "B11", Name = "Філологія" },
            new Speciality { Id = 8, Code = "D3", Name = "Менеджмент" },
        };
        db.Universities.AddRange(universities);
        db.Specialities.AddRange(specialities);

        var offers = new List<(Offer Offer, int Applicants, decimal Mean)>
        {
            (NewOffer(Ids.ComputerScienceOffer, campaignYear, 1, 1, "Комп'ютерні науки та технології", "Факультет комп'ютерних наук та кібернетики", 120, 1.00m, true), 10000, 172m),
            (NewOffer(Ids.SoftwareEngineeringOffer, campaignYear, 2, 2, "Інженерія програмного забезпечення інтелектуальних систем", "Факультет інформатики та обчислювальної техніки", 90, 1.00m, true), 3000, 168m),
            (NewOffer(Ids.SociologyOffer, campaignYear, 3, 3, "Соціологія", "Філософський факультет", 25, 1.00m, false), 600, 155m),
            (NewOffer(Ids.KharkivComputerScienceOffer, campaignYear, 4, 1, "Комп'ютерні науки", "Факультет комп'ютерних наук", 60, 1.07m, true), 1500, 160m),
            (NewOffer(1402005, campaignYear, 1, 4, "Право", "Юридичний факультет", 40, 1.00m, false), 2500, 175m),
            (NewOffer(1402006, campaignYear, 6, 5, "Психологія", "Факультет психології", 20, 1.07m, false), 900, 158m),
            (NewOffer(1402007, campaignYear, 5, 6, "Прикладна фізика", "Інститут прикладної математики та фундаментальних наук", 30, 1.00m, true), 200, 150m),
            (NewOffer(1402008, campaignYear, 3, 7, "Англійська мова і література", "Факультет іноземних мов", 35, 1.00m, false), 1200, 170m),
            (NewOffer(Ids.EmptyContractOffer, campaignYear, 5, 8, "Менеджмент організацій", "Інститут економіки і менеджменту", null, 1.00m, false), 0, 0m),
            (NewOffer(Ids.LastYearOffer, campaignYear - 1, 1, 1, "Комп'ютерні науки та технології", "Факультет комп'ютерних наук та кібернетики", 110, 1.00m, true), 3500, 171m),
        };
        var random = new Random(20260701);
        var applicantCount = 0;
        var allApplicants = new List<Applicant>();
        foreach (var (offer, count, mean) in offers)
        {
            offer.UpdatedAt = nowUtc;
            offer.SourceUrl = $"https://vstup.edbo.gov.ua/offer/{offer.Id}/";
            offer.Subjects = WeightsFor(offer);
            db.Offers.Add(offer);
            var applicants = new List<Applicant>(count);
            for (var i = 0; i < count; i++)
            {
                applicants.Add(NewApplicant(random, offer.Id, mean, nowUtc, contractOnly: offer.BudgetPlaces is null));
            }

            allApplicants.AddRange(applicants);
            applicantCount += applicants.Count;
            var active = applicants.Where(a => !a.Status.StartsWith("Скасовано", StringComparison.Ordinal)).ToList();
            var scored = active.Where(a => a.Score is not null).Select(a => a.Score!.Value).ToList();
            db.OfferAnalytics.Add(new OfferAnalytics
            {
                OfferId = offer.Id,
                ApplicationsTotal = applicants.Count,
                ApplicationsBudget = active.Count(a => a.Priority is not null),
                MinBudgetScoreLastYear = offer.BudgetPlaces is null ? null : Math.Round(mean + 8.5m, 3),
                AvgScore = scored.Count == 0 ? null : Math.Round(scored.Average(), 3),
                ComputedAt = nowUtc,
            });
        }

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
            new OpenDay { Id = 1, UniversityId = 1, SpecialityId = 1, Title = "День відкритих дверей факультету комп'ютерних наук", Description = "Екскурсія лабораторіями, зустріч з деканом.", StartsAt = At(1, 11), Location = "Київ, просп. Глушкова, 4д", CreatedAt = nowUtc, UpdatedAt = nowUtc },
            new OpenDay { Id = 2, UniversityId = 2, SpecialityId = null, Title = "День відкритих дверей КПІ", Description = "Усі факультети, презентації та консультації приймальної комісії.", StartsAt = At(3, 10), Location = "Київ, Центр культури КПІ", CreatedAt = nowUtc, UpdatedAt = nowUtc },
            new OpenDay { Id = 3, UniversityId = 3, SpecialityId = 3, Title = "Онлайн-зустріч для вступників на соціологію", StartsAt = At(5, 16), Url = "https://lnu.edu.ua/", CreatedAt = nowUtc, UpdatedAt = nowUtc },
            new OpenDay { Id = 4, UniversityId = 4, SpecialityId = 1, Title = "Каразінський день ІТ", StartsAt = At(10, 12), Location = "Харків, майдан Свободи, 4", CreatedAt = nowUtc, UpdatedAt = nowUtc },
            new OpenDay { Id = 5, UniversityId = 6, SpecialityId = 5, Title = "День психолога для абітурієнтів", StartsAt = At(14, 13), Location = "Одеса, вул. Дворянська, 2", CreatedAt = nowUtc, UpdatedAt = nowUtc });

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await InsertApplicantsAsync(db, allApplicants, ct);
        await transaction.CommitAsync(ct);
        return $"Demo data added: {universities.Length} universities, {specialities.Length} specialities, {offers.Count} offers, {applicantCount} applicants, 2 web users, 5 open days.";
    }

    private static readonly string[] ApplicantParameters = ["o", "n", "s", "p", "st", "q", "u"];

    /// <summary>
    /// Applicants through one prepared INSERT bound row by row: EF sends a statement per row on SQLite (≈5 s for the
    /// sandbox's first start), and multi-row VALUES with thousands of named parameters binds slowly there too.
    /// </summary>
    private static async Task InsertApplicantsAsync(AbitlyDbContext db, List<Applicant> applicants, CancellationToken ct)
    {
        await using var command = await db.CreateCommandAsync(
            "INSERT INTO applicants (offer_id, full_name, score, priority, status, quota, updated_at) VALUES (@o, @n, @s, @p, @st, @q, @u)", ct);
        var parameters = ApplicantParameters.Select(name => command.AddParameter(name, null)).ToArray();
        foreach (var a in applicants)
        {
            object?[] values = [a.OfferId, a.FullName, a.Score, a.Priority, a.Status, (short)a.Quota, a.UpdatedAt];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static Offer NewOffer(long id, int year, int university, int speciality, string program, string faculty, int? budget, decimal regional, bool sectoral) => new()
    {
        Id = id,
        Year = year,
        UniversityId = university,
        SpecialityId = speciality,
        ProgramName = program,
        Faculty = faculty,
        EducationForm = "Денна",
        Degree = "Бакалавр",
        BudgetPlaces = budget,
        Quota1Places = budget is null ? 0 : Math.Max(1, budget.Value / 10),
        Quota2Places = budget is null ? 0 : Math.Max(1, budget.Value / 20),
        LicenseVolume = (budget ?? 30) * 3,
        RegionalCoefficient = regional,
        SectoralCoefficientApplies = sectoral,
    };

    /// <summary>Weights in the shape of the 2025 rules: К1–К3 fixed per speciality group, several 4th-subject options.</summary>
    private static List<OfferSubject> WeightsFor(Offer offer)
    {
        var technical = offer.SectoralCoefficientApplies;
        var list = new List<OfferSubject>
        {
            new() { OfferId = offer.Id, Slot = 1, Subject = "ukr", Coefficient = technical ? 0.30m : 0.45m },
            new() { OfferId = offer.Id, Slot = 2, Subject = "math", Coefficient = technical ? 0.50m : 0.40m },
            new() { OfferId = offer.Id, Slot = 3, Subject = "hist", Coefficient = technical ? 0.20m : 0.40m },
        };
        var fourth = technical
            ? new (string, decimal)[] { ("phys", 0.40m), ("eng", 0.30m), ("chem", 0.25m), ("bio", 0.20m), ("geo", 0.20m), ("lit", 0.20m) }
            : new (string, decimal)[] { ("eng", 0.50m), ("lit", 0.40m), ("bio", 0.30m), ("geo", 0.30m), ("ger", 0.50m), ("fra", 0.50m), ("spa", 0.50m) };
        list.AddRange(fourth.Select(f => new OfferSubject { OfferId = offer.Id, Slot = 4, Subject = f.Item1, Coefficient = f.Item2 }));
        return list;
    }

    private static readonly string[] Surnames = ["Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Мельник", "Поліщук", "Лисенко", "Гончаренко", "Савченко", "Руденко"];

    private static Applicant NewApplicant(Random random, long offerId, decimal mean, DateTime nowUtc, bool contractOnly)
    {
        // Box–Muller: scores cluster around the offer's mean like real lists do.
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var score = Math.Clamp(Math.Round(mean + (decimal)(normal * 12), 3), 100m, 200m);
        var roll = random.Next(100);
        var status = roll switch
        {
            < 70 => "Допущено",
            < 85 => "Зареєстровано",
            < 92 => "Скасовано вступником",
            < 96 => "Відмова",
            _ => "Рекомендовано (бюджет)",
        };
        return new Applicant
        {
            OfferId = offerId,
            FullName = $"{Surnames[random.Next(Surnames.Length)]} {(char)('А' + random.Next(28))}. {(char)('А' + random.Next(28))}.",
            Score = random.Next(200) == 0 ? null : score,
            Priority = contractOnly || random.Next(5) == 0 ? null : random.Next(1, 6),
            Status = status,
            Quota = random.Next(25) == 0 ? Abitly.Domain.Ranking.QuotaKind.Quota1 : Abitly.Domain.Ranking.QuotaKind.None,
            UpdatedAt = nowUtc,
        };
    }
}
