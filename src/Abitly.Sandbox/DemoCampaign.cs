using Abitly.Bot.Configuration;
using Abitly.Bot.Data;
using Abitly.Bot.Hosting;
using Abitly.Bot.Import;
using Abitly.Campaign;
using Abitly.Campaign.Generation;

namespace Abitly.Sandbox;

/// <summary>
/// The demo offers as campaign data arrives in production: generated campaigns with the demo offers pinned, written in the
/// import format and loaded by <see cref="CampaignImporter"/> (analytics, snapshots, import runs, initials included).
/// </summary>
/// <remarks>
/// Two snapshots: the campaign year's (<see cref="Offers"/> offers, <see cref="Applications"/> applications, the nine demo
/// offers of the year pinned) and a small one of the previous year holding only <see cref="DemoData.Ids.LastYearOffer"/>. The previous
/// year's has no generated offers because offer ids are unique across years and generated ids of two campaigns could meet.
/// </remarks>
public static class DemoCampaign
{
    /// <summary>Offers of the campaign year's snapshot, the pinned ones included.</summary>
    public const int Offers = 40;

    /// <summary>Application rows of the campaign year's snapshot.</summary>
    public const int Applications = 28_000;

    /// <summary>Application rows of the previous year's snapshot (its one offer).</summary>
    public const int PreviousYearApplications = 1_500;

    /// <summary>The generator's seed: the same demo on every machine and every start.</summary>
    public const long Seed = 20_260_701;

    /// <summary>The <c>import_runs.trigger</c> of the demo's imports.</summary>
    public const string ImportTrigger = "demo";

    /// <summary>Kyiv Taras Shevchenko University (EDBO 41).</summary>
    public static readonly SnapshotUniversity Knu = new("Київський національний університет імені Тараса Шевченка", "м. Київ", 41, "КНУ ім. Шевченка");

    /// <summary>Igor Sikorsky Kyiv Polytechnic Institute (EDBO 174).</summary>
    public static readonly SnapshotUniversity Kpi = new("Національний технічний університет України «КПІ імені Ігоря Сікорського»", "м. Київ", 174, "КПІ ім. Сікорського");

    /// <summary>Ivan Franko University of Lviv (EDBO 145).</summary>
    public static readonly SnapshotUniversity Lnu = new("Львівський національний університет імені Івана Франка", "Львівська область", 145, "ЛНУ ім. Франка");

    /// <summary>V. N. Karazin Kharkiv National University (EDBO 84; РК 1.07).</summary>
    public static readonly SnapshotUniversity Karazin = new("Харківський національний університет імені В. Н. Каразіна", "Харківська область", 84, "ХНУ ім. Каразіна");

    /// <summary>Lviv Polytechnic (EDBO 71).</summary>
    public static readonly SnapshotUniversity LvivPolytechnic = new("Національний університет «Львівська політехніка»", "Львівська область", 71, "Львівська політехніка");

    /// <summary>Odesa I. I. Mechnikov University (EDBO 1399; РК 1.07).</summary>
    public static readonly SnapshotUniversity Mechnikov = new("Одеський національний університет імені І. І. Мечникова", "Одеська область", 1399, "ОНУ ім. Мечникова");

    // The demo offers' specialities, in the 2025 letter codes; the catalogue's records of the same codes give way to these.
    public static readonly SnapshotSpeciality ComputerScience = new("F3", "Комп'ютерні науки");
    public static readonly SnapshotSpeciality SoftwareEngineering = new("F2", "Інженерія програмного забезпечення");
    // Sociology is C5 in the 2025 letter codes (C3 is international relations, with the 150 budget threshold).
    public static readonly SnapshotSpeciality Sociology = new("C5", "Соціологія");
    public static readonly SnapshotSpeciality Law = new("D8", "Право");
    public static readonly SnapshotSpeciality Psychology = new("C4", "Психологія");
    public static readonly SnapshotSpeciality AppliedPhysics = new("E6", "Прикладна фізика та наноматеріали");
    public static readonly SnapshotSpeciality Philology = new("B11", "Філологія");
    public static readonly SnapshotSpeciality Management = new("D3", "Менеджмент");

    /// <summary>
    /// The nine demo offers of the campaign year (the tenth is <see cref="LastYearOffer"/>). Demand puts about 10,000 of the 28,000 applications on KNU's F3 and keeps
    /// the others near the sizes of a real campaign (an ordinary offer here gets 700); 1402009 stays empty.
    /// </summary>
    public static IReadOnlyList<PinnedOffer> PinnedOffers { get; } =
    [
        Pin(DemoData.Ids.ComputerScienceOffer, Knu, ComputerScience, "Комп'ютерні науки та технології", "Факультет комп'ютерних наук та кібернетики", 120, technical: true, lastYear: 180.5m) with { Demand = 14.3 },
        Pin(DemoData.Ids.SoftwareEngineeringOffer, Kpi, SoftwareEngineering, "Інженерія програмного забезпечення інтелектуальних систем", "Факультет інформатики та обчислювальної техніки", 90, technical: true, lastYear: 176.5m) with { Demand = 4.3 },
        // The weights of DESIGN §7.2's worked example: ukr 0.45, math 0.40, hist 0.40, eng 0.50 = К4max → 167.829.
        Pin(DemoData.Ids.SociologyOffer, Lnu, Sociology, "Соціологія", "Філософський факультет", 25, technical: false, lastYear: 163.5m) with { Demand = 0.86 },
        Pin(DemoData.Ids.KharkivComputerScienceOffer, Karazin, ComputerScience, "Комп'ютерні науки", "Факультет комп'ютерних наук", 60, technical: true, lastYear: 168.5m) with { RegionalCoefficient = 1.07m, Demand = 2.14 },
        Pin(1402005, Knu, Law, "Право", "Юридичний факультет", 40, technical: false, lastYear: 183.5m) with { Demand = 3.57 },
        Pin(1402006, Mechnikov, Psychology, "Психологія", "Факультет психології", 20, technical: false, lastYear: 166.5m) with { RegionalCoefficient = 1.07m, Demand = 1.29 },
        Pin(1402007, LvivPolytechnic, AppliedPhysics, "Прикладна фізика", "Інститут прикладної математики та фундаментальних наук", 30, technical: true, lastYear: 158.5m) with { Demand = 0.29 },
        Pin(1402008, Lnu, Philology, "Англійська мова і література", "Факультет іноземних мов", 35, technical: false, lastYear: 178.5m) with { Demand = 1.71 },
        Pin(DemoData.Ids.EmptyContractOffer, LvivPolytechnic, Management, "Менеджмент організацій", "Інститут економіки і менеджменту", null, technical: false, lastYear: null) with { NoApplications = true },
    ];

    /// <summary>The previous campaign's KNU F3 offer (a link to it answers "another campaign").</summary>
    public static PinnedOffer LastYearOffer { get; } =
        Pin(DemoData.Ids.LastYearOffer, Knu, ComputerScience, "Комп'ютерні науки та технології", "Факультет комп'ютерних наук та кібернетики", 110, technical: true, lastYear: 179.5m);

    /// <summary>The campaign year's snapshot, taken at <paramref name="takenAt"/>.</summary>
    public static CampaignGeneratorOptions Options(int campaignYear, DateTimeOffset takenAt) => new()
    {
        Offers = Offers,
        Applications = Applications,
        Seed = Seed,
        Year = campaignYear,
        TakenAt = takenAt,
        PinnedOffers = PinnedOffers,
    };

    /// <summary>The previous year's snapshot: its one offer, at the generator's usual time of that year.</summary>
    public static CampaignGeneratorOptions PreviousYearOptions(int campaignYear) => new()
    {
        Offers = 1,
        Applications = PreviousYearApplications,
        Seed = Seed,
        Year = campaignYear - 1,
        PinnedOffers = [LastYearOffer],
    };

    /// <summary>
    /// Generates both snapshots, writes them with the format's writer to a temporary folder and imports them, the
    /// previous year first. Throws when an import does not complete (it says why); a second call leaves every offer unchanged.
    /// </summary>
    public static async Task<IReadOnlyList<ImportReport>> ImportAsync(DatabaseProvider provider, string connectionString, int campaignYear, DateTimeOffset takenAt, CancellationToken ct)
    {
        var settings = new AbitlySettings
        {
            BotToken = "0:demo", // never used: the importer talks to no Bot API
            DatabaseProvider = provider,
            DatabaseConnectionString = connectionString,
            RedisConfiguration = "",
            CampaignYear = campaignYear,
        };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAbitlyDatabase(provider, connectionString);
        services.AddCampaignImport(settings);
        await using var container = services.BuildServiceProvider();
        var folder = Directory.CreateTempSubdirectory("abitly-demo-");
        // The big snapshot is generated and written while the small one is imported: a first start waits less.
        var current = Task.Run(() => WriteAsync(Options(campaignYear, takenAt), folder.FullName, ct), ct);
        try
        {
            var previous = await WriteAsync(PreviousYearOptions(campaignYear), folder.FullName, ct);
            return [await ImportAsync(container, previous, ct), await ImportAsync(container, await current, ct)];
        }
        finally
        {
            await ((Task)current).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            folder.Delete(recursive: true);
        }
    }

    private static async Task<string> WriteAsync(CampaignGeneratorOptions options, string folder, CancellationToken ct)
    {
        var path = Path.Combine(folder, $"demo-{options.Year}.jsonl");
        await CampaignGenerator.Generate(options).WriteAsync(path, ct);
        return path;
    }

    private static async Task<ImportReport> ImportAsync(IServiceProvider container, string path, CancellationToken ct)
    {
        await using var scope = container.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<CampaignImporter>().ImportAsync(new ImportRequest(path, ImportTrigger), ct);
        return report.Outcome == ImportOutcome.Completed ? report
            : throw new InvalidOperationException(
                $"The demo snapshot {Path.GetFileName(path)} was not imported ({report.Outcome}): {report.Message} {string.Join("; ", report.Errors.Take(5))}".TrimEnd());
    }

    /// <summary>An offer in the shape the demo always had: quotas of a tenth and a twentieth of the places, a licence of thrice them, 2025-style weights.</summary>
    private static PinnedOffer Pin(long id, SnapshotUniversity university, SnapshotSpeciality speciality, string program, string faculty, int? budget, bool technical, decimal? lastYear) => new()
    {
        EdboId = id,
        University = university,
        Speciality = speciality,
        Program = program,
        Faculty = faculty,
        BudgetPlaces = budget,
        Quota1Places = budget is null ? 0 : Math.Max(1, budget.Value / 10),
        Quota2Places = budget is null ? 0 : Math.Max(1, budget.Value / 20),
        LicenseVolume = (budget ?? 30) * 3,
        SectoralCoefficient = technical,
        SourceUrl = $"https://vstup.edbo.gov.ua/offer/{id}/",
        MinBudgetScoreLastYear = lastYear,
        Weights = Weights(technical),
    };

    /// <summary>Weights in the shape of the 2025 rules: К1–К3 fixed per speciality group, several 4th-subject options.</summary>
    private static SnapshotWeight[] Weights(bool technical) => technical
        ?
        [
            new(1, "ukr", 0.30m), new(2, "math", 0.50m), new(3, "hist", 0.20m),
            new(4, "phys", 0.40m), new(4, "eng", 0.30m), new(4, "chem", 0.25m), new(4, "bio", 0.20m), new(4, "geo", 0.20m), new(4, "lit", 0.20m),
        ]
        :
        [
            new(1, "ukr", 0.45m), new(2, "math", 0.40m), new(3, "hist", 0.40m),
            new(4, "eng", 0.50m), new(4, "lit", 0.40m), new(4, "bio", 0.30m), new(4, "geo", 0.30m), new(4, "ger", 0.50m), new(4, "fra", 0.50m), new(4, "spa", 0.50m),
        ];
}
