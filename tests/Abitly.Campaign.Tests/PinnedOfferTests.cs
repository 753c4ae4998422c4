using Abitly.Campaign.Generation;
using Abitly.Domain.Ranking;
using Abitly.Domain.Scoring;

namespace Abitly.Campaign.Tests;

/// <summary>
/// The sandbox's demo offers (src/Abitly.Sandbox/DemoData.cs) as pinned offers of a 40-offer, 28,000-application campaign,
/// generated once for all pinned-offer tests, with its first revision.
/// </summary>
public sealed class PinnedCampaigns
{
    public const int Offers = 40;
    public const int Applications = 28_000;

    public static readonly SnapshotUniversity Knu = new("Київський національний університет імені Тараса Шевченка", "м. Київ", 41, "КНУ ім. Шевченка");
    public static readonly SnapshotUniversity Kpi = new("Національний технічний університет України «КПІ імені Ігоря Сікорського»", "м. Київ", 174, "КПІ ім. Сікорського");
    public static readonly SnapshotUniversity Lnu = new("Львівський національний університет імені Івана Франка", "Львівська область", 145, "ЛНУ ім. Франка");
    public static readonly SnapshotUniversity Karazin = new("Харківський національний університет імені В. Н. Каразіна", "Харківська область", 84, "ХНУ ім. Каразіна");
    public static readonly SnapshotUniversity Polytechnic = new("Національний університет «Львівська політехніка»", "Львівська область", 71, "Львівська політехніка");
    public static readonly SnapshotUniversity Mechnikov = new("Одеський національний університет імені І. І. Мечникова", "Одеська область", 1399, "ОНУ ім. Мечникова");

    public static readonly SnapshotSpeciality ComputerScience = new("F3", "Комп'ютерні науки");
    public static readonly SnapshotSpeciality Sociology = new("C3", "Соціологія");
    public static readonly SnapshotSpeciality AppliedPhysics = new("E6", "Фізика та астрономія"); // not in the generator's catalogue

    public static IReadOnlyList<PinnedOffer> Pins { get; } = DemoOffers();

    public static CampaignGeneratorOptions Options { get; } = new() { Offers = Offers, Applications = Applications, PinnedOffers = Pins };

    public GeneratedCampaign Campaign { get; } = CampaignGenerator.Generate(Options);

    public IReadOnlyList<SnapshotOffer> CampaignOffers => _offers ??= [.. Campaign.Offers()];

    public GeneratedCampaign Revision { get; } = CampaignGenerator.Generate(Options with { Revision = 1, ChangedOffers = Offers - 1 });

    private IReadOnlyList<SnapshotOffer>? _offers;

    private static PinnedOffer[] DemoOffers()
    {
        var kpi = Pin(1402002, Kpi, new("F2", "Інженерія програмного забезпечення"), "Інженерія програмного забезпечення інтелектуальних систем", 90, technical: true);
        var design = Pin(1402010, Knu, new("B2", "Дизайн"), "Графічний дизайн", null, technical: false);
        return
        [
            Pin(1402001, Knu, ComputerScience, "Комп'ютерні науки та технології", 120, technical: true) with { Faculty = "Факультет комп'ютерних наук та кібернетики", Demand = 14.3, MinBudgetScoreLastYear = 180.5m },
            kpi with { Demand = 4.3, Weights = [new(1, "ukr", 0.30m), new(2, "math", 0.50m, MinScore: 140m), .. kpi.Weights.Skip(2)] },
            // The weights of DESIGN §7.2's worked example (167.829): ukr 0.45, math 0.40, hist 0.40, eng 0.50.
            Pin(1402003, Lnu, Sociology, "Соціологія", 25, technical: false) with { Faculty = "Філософський факультет", Demand = 0.86 },
            Pin(1402004, Karazin, ComputerScience, "Комп'ютерні науки", 60, technical: true) with { RegionalCoefficient = 1.07m, Demand = 2.14 },
            Pin(1402005, Knu, new("D8", "Право"), "Право", 40, technical: false) with { Demand = 3.57 },
            Pin(1402006, Mechnikov, new("C4", "Психологія"), "Психологія", 20, technical: false) with { RegionalCoefficient = 1.07m, Demand = 1.29, PreparatoryPointsApply = true },
            Pin(1402007, Polytechnic, AppliedPhysics, "Прикладна фізика", 30, technical: true) with { Demand = 0.29 },
            Pin(1402008, Lnu, new("B11", "Філологія"), "Англійська мова і література", 35, technical: false) with { Demand = 1.71, Form = "Заочна", Degree = "Бакалавр (скорочений)" },
            Pin(1402009, Polytechnic, new("D3", "Менеджмент"), "Менеджмент організацій", null, technical: false) with { NoApplications = true, SourceUrl = null, LicenseVolume = null },
            // Beyond the demo: a contract-only offer with a creative competition, so drawn persons need a creative score.
            design with { Demand = 0.5, Weights = [.. design.Weights, new(5, "creative", 0.50m)] },
        ];
    }

    /// <summary>An offer shaped like DemoData.NewOffer and WeightsFor: quotas of a tenth and a twentieth, a licence of thrice the places.</summary>
    public static PinnedOffer Pin(long id, SnapshotUniversity university, SnapshotSpeciality speciality, string program, int? budget, bool technical) => new()
    {
        EdboId = id,
        University = university,
        Speciality = speciality,
        Program = program,
        Faculty = "Факультет",
        BudgetPlaces = budget,
        Quota1Places = budget is null ? 0 : Math.Max(1, budget.Value / 10),
        Quota2Places = budget is null ? 0 : Math.Max(1, budget.Value / 20),
        LicenseVolume = (budget ?? 30) * 3,
        SectoralCoefficient = technical,
        SourceUrl = $"https://vstup.edbo.gov.ua/offer/{id}/",
        Weights = technical
            ?
            [
                new(1, "ukr", 0.30m), new(2, "math", 0.50m), new(3, "hist", 0.20m),
                new(4, "phys", 0.40m), new(4, "eng", 0.30m), new(4, "chem", 0.25m), new(4, "bio", 0.20m), new(4, "geo", 0.20m), new(4, "lit", 0.20m),
            ]
            :
            [
                new(1, "ukr", 0.45m), new(2, "math", 0.40m), new(3, "hist", 0.40m),
                new(4, "eng", 0.50m), new(4, "lit", 0.40m), new(4, "bio", 0.30m), new(4, "geo", 0.30m), new(4, "ger", 0.50m), new(4, "fra", 0.50m), new(4, "spa", 0.50m),
            ],
    };
}

public class PinnedOfferTests(PinnedCampaigns campaigns) : IClassFixture<PinnedCampaigns>
{
    private static string[] Hashes(GeneratedCampaign campaign) => [.. campaign.Offers().Select(OfferContentHash.Compute)];

    private SnapshotOffer Published(long id) => campaigns.CampaignOffers.Single(o => o.EdboId == id);

    [Fact]
    public void Pinned_offers_are_published_exactly_as_defined()
    {
        foreach (var pin in PinnedCampaigns.Pins)
        {
            var offer = Published(pin.EdboId);

            // Every field but the list is the definition's: the record comparison covers weights row by row, places, ids.
            Assert.Equal(pin.ToSnapshotOffer(offer.Applications), offer);
        }

        var sociology = Published(1402003);
        Assert.Equal(
            [new SnapshotWeight(1, "ukr", 0.45m), new(2, "math", 0.40m), new(3, "hist", 0.40m), new(4, "eng", 0.50m)],
            sociology.Weights.Take(4));
        Assert.Equal(1.07m, Published(1402004).RegionalCoefficient);
        Assert.Null(Published(1402009).BudgetPlaces);
    }

    [Fact]
    public void The_worked_example_of_the_design_holds_on_the_published_sociology_offer()
    {
        // DESIGN §7.2: ukr 186 (0.45), math 167 (0.40), hist 168 (0.40), eng 152 (К4 = К4max = 0.50) → 293.7 / 1.75 = 167.829.
        var grades = new ApplicantGrades(new Dictionary<string, decimal> { ["ukr"] = 186m, ["math"] = 167m, ["hist"] = 168m, ["eng"] = 152m });

        var score = CompetitiveScoreCalculator.Calculate(Published(1402003).ToOfferWeights(2026)!, grades).Score!;

        Assert.Equal(167.829m, score.Base);
    }

    [Fact]
    public void Pinned_offers_count_toward_the_offers_and_generated_ones_fill_the_rest()
    {
        var offers = campaigns.CampaignOffers;

        Assert.Equal(PinnedCampaigns.Offers, offers.Count);
        Assert.Equal(PinnedCampaigns.Applications, offers.Sum(o => o.Applications.Count));
        Assert.Equal(offers.Select(o => o.EdboId).Order(), offers.Select(o => o.EdboId)); // file order, ids unique
        Assert.Equal(offers.Count, offers.Select(o => o.EdboId).Distinct().Count());
        Assert.Equal(PinnedCampaigns.Offers - PinnedCampaigns.Pins.Count, offers.Count(o => !PinnedCampaigns.Pins.Any(p => p.EdboId == o.EdboId)));
        Assert.All(offers, o => Assert.Empty(SnapshotValidator.Validate(o)));
        Assert.EndsWith(", 10 pinned offers", campaigns.Campaign.Header.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_score_on_a_pinned_list_is_the_calculator_score_of_the_persons_grades()
    {
        var checkedScores = 0;
        foreach (var pin in PinnedCampaigns.Pins)
        {
            // The formula built here from the definition, not from the published offer.
            var weights = new OfferWeights(
                2026,
                pin.Weights.Single(w => w.Slot == 1).Coefficient,
                pin.Weights.Single(w => w.Slot == 2).Coefficient,
                pin.Weights.Single(w => w.Slot == 3).Coefficient,
                pin.Weights.Where(w => w.Slot == 4).ToDictionary(w => w.Subject, w => w.Coefficient),
                pin.Weights.SingleOrDefault(w => w.Slot == 5)?.Coefficient,
                pin.RegionalCoefficient,
                pin.SectoralCoefficient,
                pin.Speciality.Code,
                pin.Weights.Any(w => w.MinScore is not null) ? pin.Weights.Where(w => w.MinScore is not null).ToDictionary(w => w.Subject, w => w.MinScore!.Value) : null);
            foreach (var application in Published(pin.EdboId).Applications)
            {
                var person = campaigns.Campaign.FindPerson(application.PersonKey!)!;
                Assert.Contains(new GeneratedApplication(pin.EdboId, application.Priority), person.Applications);
                Assert.Equal(person.FullName, application.Name);
                Assert.True(application.Quota == QuotaKind.None || application.Quota == person.Quota);
                if (application.Score is null)
                {
                    continue; // a just-registered application without a score yet
                }

                var grades = pin.PreparatoryPointsApply ? person.Grades : person.Grades with { PreparatoryPoints = 0m };
                var score = CompetitiveScoreCalculator.Calculate(weights, grades).Score!;
                Assert.Equal(application.Priority is 1 or 2 ? score.WithPriorityBonus : score.WithoutPriorityBonus, application.Score);
                Assert.True(score.MeetsBudgetThreshold || application.Priority is null);
                Assert.Empty(score.SubjectsBelowMinimum);
                checkedScores++;
            }
        }

        Assert.True(checkedScores > 19_000, $"{checkedScores} scores checked");
    }

    [Fact]
    public void Priorities_stay_distinct_for_every_person_with_pinned_and_generated_applications()
    {
        foreach (var person in campaigns.Campaign.Persons)
        {
            var priorities = person.Applications.Where(a => a.Priority is not null).Select(a => a.Priority!.Value).ToList();
            Assert.Equal(priorities.Count, priorities.Distinct().Count());
            Assert.All(priorities, p => Assert.InRange(p, 1, 5));
            Assert.NotEmpty(person.Applications);
        }

        // Persons of the campaign's own model apply to pinned offers among their other choices.
        var pinned = PinnedCampaigns.Pins.Select(p => p.EdboId).ToHashSet();
        Assert.Contains(campaigns.Campaign.Persons, p => p.Applications.Count >= 3 && p.Applications.Any(a => pinned.Contains(a.OfferEdboId)));
    }

    [Fact]
    public void Demand_puts_about_ten_thousand_of_28000_applications_on_the_top_offer()
    {
        // Demand 14.3 × 28,000 / 40 = 10,010 applications at least; the others by their demand likewise.
        var top = Published(1402001);

        Assert.InRange(top.Applications.Count, 10_010, 10_500);
        Assert.Equal(top, campaigns.CampaignOffers.MaxBy(o => o.Applications.Count));
        foreach (var pin in PinnedCampaigns.Pins.Where(p => !p.NoApplications))
        {
            Assert.True(Published(pin.EdboId).Applications.Count >= Math.Round(pin.Demand * 700), $"offer {pin.EdboId}");
        }

        // A selective offer (last year's minimum 180.5) draws strong applicants: its list averages well above the generated offers'.
        var pinned = PinnedCampaigns.Pins.Select(p => p.EdboId).ToHashSet();
        var scores = top.Applications.Where(a => a.Score is not null).Average(a => a.Score!.Value);
        var generated = campaigns.CampaignOffers.Where(o => !pinned.Contains(o.EdboId)).SelectMany(o => o.Applications).Where(a => a.Score is not null).Average(a => a.Score!.Value);
        Assert.True(scores > generated + 10, $"top offer {scores:0.0}, generated offers {generated:0.0}");
        Assert.Contains(top.Applications, a => a.Priority == 1);
        Assert.Contains(top.Applications, a => a.Priority == 5);
    }

    [Fact]
    public void An_offer_pinned_without_applications_has_none_in_any_revision()
    {
        Assert.Empty(Published(1402009).Applications);
        Assert.Empty(campaigns.Revision.Offers().Single(o => o.EdboId == 1402009).Applications);
        Assert.DoesNotContain(1402009L, campaigns.Revision.ChangedOfferIds);
        Assert.DoesNotContain(campaigns.Campaign.Persons, p => p.Applications.Any(a => a.OfferEdboId == 1402009));
    }

    [Fact]
    public void The_same_options_give_the_same_campaign_and_another_seed_other_lists_on_the_same_offers()
    {
        var again = CampaignGenerator.Generate(PinnedCampaigns.Options);
        var other = CampaignGenerator.Generate(PinnedCampaigns.Options with { Seed = 99 });

        Assert.Equal(Hashes(campaigns.Campaign), Hashes(again));
        Assert.Equal(
            campaigns.Campaign.Persons.Select(p => (p.PersonKey, p.FullName, p.Applications.Count)),
            again.Persons.Select(p => (p.PersonKey, p.FullName, p.Applications.Count)));

        var otherOffers = other.Offers().ToDictionary(o => o.EdboId);
        foreach (var pin in PinnedCampaigns.Pins.Where(p => !p.NoApplications))
        {
            var offer = otherOffers[pin.EdboId];
            Assert.Equal(pin.ToSnapshotOffer(offer.Applications), offer);
            Assert.NotEqual(OfferContentHash.Compute(Published(pin.EdboId)), OfferContentHash.Compute(offer));
        }
    }

    [Fact]
    public void A_revision_changes_pinned_lists_like_the_others_and_never_their_definition()
    {
        var before = campaigns.CampaignOffers.ToDictionary(o => o.EdboId);
        var after = campaigns.Revision.Offers().ToList();

        // Every offer that can change was chosen: 39 of 40, the pinned ones included.
        Assert.Equal(PinnedCampaigns.Offers - 1, campaigns.Revision.ChangedOfferIds.Count);
        foreach (var offer in after.Where(o => o.EdboId != 1402009))
        {
            Assert.NotEqual(OfferContentHash.Compute(before[offer.EdboId]), OfferContentHash.Compute(offer));
        }

        foreach (var pin in PinnedCampaigns.Pins)
        {
            var offer = after.Single(o => o.EdboId == pin.EdboId);
            Assert.Equal(pin.ToSnapshotOffer(offer.Applications), offer);
            Assert.True(offer.Applications.Count >= before[pin.EdboId].Applications.Count);
        }

        Assert.All(after, o => Assert.Empty(SnapshotValidator.Validate(o)));
    }

    [Fact]
    public void Pinned_universities_and_specialities_replace_the_catalogues_records_for_generated_offers_too()
    {
        var offers = campaigns.CampaignOffers;

        // One record per university EDBO id and per speciality code across the file, and it is the pinned one.
        Assert.All(offers.GroupBy(o => o.University.EdboId ?? 0), g => Assert.Single(g.Select(o => o.University).Distinct()));
        Assert.All(offers.GroupBy(o => o.Speciality.Code), g => Assert.Single(g.Select(o => o.Speciality).Distinct()));
        Assert.All(offers.Where(o => o.University.EdboId == 41), o => Assert.Equal(PinnedCampaigns.Knu, o.University));
        Assert.All(offers.Where(o => o.Speciality.Code == "C3"), o => Assert.Equal(PinnedCampaigns.Sociology, o.Speciality));
        Assert.Contains(offers, o => o.EdboId is < 1402001 or > 1402009); // generated offers are there too
    }

    [Fact]
    public void Pinned_offers_that_cannot_be_generated_are_refused_with_the_reason()
    {
        var pin = PinnedCampaigns.Pins[2];
        ArgumentException Refused(CampaignGeneratorOptions options) => Assert.ThrowsAny<ArgumentException>(() => CampaignGenerator.Generate(options));

        Assert.Contains("do not fit", Refused(new CampaignGeneratorOptions { Offers = 1, Applications = 100, PinnedOffers = [pin, pin with { EdboId = 7 }] }).Message, StringComparison.Ordinal);
        Assert.Contains("more than once", Refused(new CampaignGeneratorOptions { Offers = 5, Applications = 100, PinnedOffers = [pin, pin] }).Message, StringComparison.Ordinal);
        Assert.Contains("quota1_places + quota2_places: 40 quota places exceed the 25 budget places", Refused(new CampaignGeneratorOptions { Offers = 5, PinnedOffers = [pin with { Quota1Places = 30, Quota2Places = 10 }] }).Message, StringComparison.Ordinal);
        Assert.Contains("no weights", Refused(new CampaignGeneratorOptions { Offers = 5, PinnedOffers = [pin with { Weights = [] }] }).Message, StringComparison.Ordinal);
        Assert.Contains("demand must be a positive number", Refused(new CampaignGeneratorOptions { Offers = 5, PinnedOffers = [pin with { Demand = 0 }] }).Message, StringComparison.Ordinal);
        Assert.Contains("more than the campaign's 5000", Refused(new CampaignGeneratorOptions { Offers = 5, PinnedOffers = [pin with { Demand = 6 }] }).Message, StringComparison.Ordinal);
        Assert.Contains("differently", Refused(new CampaignGeneratorOptions { Offers = 5, PinnedOffers = [pin, pin with { EdboId = 7, University = pin.University with { Region = "м. Київ" } }] }).Message, StringComparison.Ordinal);
        Assert.Contains("differently", Refused(new CampaignGeneratorOptions { Offers = 5, PinnedOffers = [pin, pin with { EdboId = 7, Speciality = new("C3", "Міжнародні відносини") }] }).Message, StringComparison.Ordinal);
    }
}
