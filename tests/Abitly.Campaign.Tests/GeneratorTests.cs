using Abitly.Campaign.Generation;
using Abitly.Domain.Ranking;
using Abitly.Domain.Scoring;

namespace Abitly.Campaign.Tests;

/// <summary>Campaigns generated once for all generator tests: the ci preset and a mid-size one for the realism checks.</summary>
public sealed class GeneratedCampaigns
{
    public GeneratedCampaign Ci { get; } = CampaignGenerator.Generate(CampaignGeneratorOptions.For(CampaignPreset.Ci));

    public IReadOnlyList<SnapshotOffer> CiOffers => _ciOffers ??= [.. Ci.Offers()];

    public GeneratedCampaign Medium { get; } = CampaignGenerator.Generate(new CampaignGeneratorOptions { Offers = 300, Applications = 60_000, Seed = 7 });

    public IReadOnlyList<SnapshotOffer> MediumOffers => _mediumOffers ??= [.. Medium.Offers()];

    private IReadOnlyList<SnapshotOffer>? _ciOffers;
    private IReadOnlyList<SnapshotOffer>? _mediumOffers;
}

public class GeneratorTests(GeneratedCampaigns campaigns) : IClassFixture<GeneratedCampaigns>
{
    private static string[] Hashes(GeneratedCampaign campaign) => [.. campaign.Offers().Select(OfferContentHash.Compute)];

    [Fact]
    public void The_presets_have_the_sizes_of_the_design()
    {
        Assert.Equal((50, 5_000), (CampaignGeneratorOptions.For(CampaignPreset.Ci).OfferCount, CampaignGeneratorOptions.For(CampaignPreset.Ci).ApplicationCount));
        Assert.Equal((1_500, 600_000), (CampaignGeneratorOptions.For(CampaignPreset.Campaign).OfferCount, CampaignGeneratorOptions.For(CampaignPreset.Campaign).ApplicationCount));
        Assert.Equal(10_000, CampaignGeneratorOptions.For(CampaignPreset.National).OfferCount);

        Assert.Equal(50, campaigns.Ci.OfferCount);
        Assert.Equal(50, campaigns.CiOffers.Count);
        Assert.Equal(5_000, campaigns.CiOffers.Sum(o => o.Applications.Count));
        Assert.Equal(5_000, campaigns.Ci.ApplicationCount);
    }

    [Fact]
    public void Options_override_the_preset_sizes_exactly()
    {
        var campaign = CampaignGenerator.Generate(CampaignGeneratorOptions.For(CampaignPreset.National) with { Offers = 17, Applications = 777, Year = 2025 });

        var offers = campaign.Offers().ToList();
        Assert.Equal(17, offers.Count);
        Assert.Equal(777, offers.Sum(o => o.Applications.Count));
        Assert.Equal(2025, campaign.Header.CampaignYear);
    }

    [Fact]
    public void The_same_seed_gives_the_same_campaign_and_another_seed_another()
    {
        var again = CampaignGenerator.Generate(CampaignGeneratorOptions.For(CampaignPreset.Ci));
        var other = CampaignGenerator.Generate(CampaignGeneratorOptions.For(CampaignPreset.Ci) with { Seed = 1 });

        Assert.Equal(Hashes(campaigns.Ci), Hashes(again));
        Assert.Equal(campaigns.CiOffers, again.Offers());
        Assert.Equal(campaigns.Ci.Persons.Select(p => (p.PersonKey, p.FullName)), again.Persons.Select(p => (p.PersonKey, p.FullName)));
        Assert.Empty(Hashes(campaigns.Ci).Intersect(Hashes(other)));
    }

    [Fact]
    public void The_header_is_a_full_snapshot_of_the_year_taken_at_the_given_time()
    {
        var takenAt = new DateTimeOffset(2026, 8, 1, 9, 0, 0, TimeSpan.FromHours(3));
        var header = CampaignGenerator.Generate(new CampaignGeneratorOptions { Offers = 3, Applications = 30, TakenAt = takenAt }).Header;

        Assert.Equal(SnapshotFormat.Name, header.Format);
        Assert.True(header.Full);
        Assert.Equal(2026, header.CampaignYear);
        Assert.Equal(takenAt, header.TakenAt);
        Assert.Equal(new DateTimeOffset(2026, 7, 20, 12, 40, 0, TimeSpan.FromHours(3)), campaigns.Ci.Header.TakenAt);
    }

    [Fact]
    public async Task Every_generated_line_passes_the_validator()
    {
        using var folder = new TempFolder();
        var path = folder.File("ci.jsonl.gz");

        Assert.Equal(50, await campaigns.Ci.WriteAsync(path));

        Assert.Empty(await SnapshotReader.CheckAsync(path));
        Assert.All(campaigns.MediumOffers, o => Assert.Empty(SnapshotValidator.Validate(o)));
    }

    [Fact]
    public void Every_score_is_the_calculator_score_of_the_persons_grades()
    {
        var checkedScores = 0;
        foreach (var offer in campaigns.CiOffers.Concat(campaigns.MediumOffers.Take(60)))
        {
            var weights = Weights(offer, year: 2026);
            foreach (var application in offer.Applications.Where(a => a.Score is not null))
            {
                var person = (campaigns.Ci.FindPerson(application.PersonKey!) ?? campaigns.Medium.FindPerson(application.PersonKey!))!;
                var grades = offer.PreparatoryPointsApply ? person.Grades : person.Grades with { PreparatoryPoints = 0m };
                var score = CompetitiveScoreCalculator.Calculate(weights, grades).Score!;
                var expected = application.Priority is 1 or 2 ? score.WithPriorityBonus : score.WithoutPriorityBonus;

                Assert.Equal(expected, application.Score);
                checkedScores++;
            }
        }

        Assert.True(checkedScores > 9_000);
    }

    [Fact]
    public void Priority_1_and_2_scores_carry_the_sectoral_coefficient_on_supported_specialities()
    {
        // The same person on the same supported offer: ГК 1.02 separates priority 1–2 from 3–5 (unless capped at 200).
        var supported = campaigns.MediumOffers.Where(o => o.SectoralCoefficient).SelectMany(o => o.Applications.Select(a => (Offer: o, Application: a)));
        var bonus = supported.Where(x => x.Application.Priority is 1 or 2 && x.Application.Score is < 190m).Take(200).ToList();

        Assert.NotEmpty(bonus);
        foreach (var (offer, application) in bonus)
        {
            var person = campaigns.Medium.FindPerson(application.PersonKey!)!;
            var grades = offer.PreparatoryPointsApply ? person.Grades : person.Grades with { PreparatoryPoints = 0m };
            var without = CompetitiveScoreCalculator.Calculate(Weights(offer, 2026) with { SectoralCoefficientApplies = false }, grades).Score!.WithPriorityBonus;
            Assert.True(application.Score > without, $"{application.Score} should exceed {without} by ГК");
        }
    }

    [Fact]
    public void Each_persons_budget_priorities_are_distinct_and_their_applications_are_the_lists_rows()
    {
        foreach (var (campaign, offers) in new[] { (campaigns.Ci, campaigns.CiOffers), (campaigns.Medium, campaigns.MediumOffers) })
        {
            var rows = offers
                .SelectMany(o => o.Applications.Select(a => (a.PersonKey, o.EdboId, a.Priority)))
                .OrderBy(r => r.PersonKey, StringComparer.Ordinal).ThenBy(r => r.EdboId)
                .ToList();
            var truth = campaign.Persons
                .SelectMany(p => p.Applications.Select(a => ((string?)p.PersonKey, a.OfferEdboId, a.Priority)))
                .OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.OfferEdboId)
                .ToList();
            Assert.Equal(truth, rows);

            foreach (var person in campaign.Persons)
            {
                var priorities = person.Applications.Where(a => a.Priority is not null).Select(a => a.Priority!.Value).ToList();
                Assert.Equal(priorities.Count, priorities.Distinct().Count());
                Assert.All(priorities, p => Assert.InRange(p, 1, 5));
                Assert.Equal(person.Applications.Count, person.Applications.Select(a => a.OfferEdboId).Distinct().Count());
                Assert.NotEmpty(person.Applications);
            }
        }
    }

    [Fact]
    public void Names_and_quotas_on_the_lists_are_the_persons()
    {
        foreach (var offer in campaigns.CiOffers)
        {
            foreach (var application in offer.Applications)
            {
                var person = campaigns.Ci.FindPerson(application.PersonKey!);
                Assert.NotNull(person);
                Assert.Equal(person.FullName, application.Name);
                Assert.True(application.Quota == QuotaKind.None || application.Quota == person.Quota);
                Assert.True(application.Quota == QuotaKind.None || application.Priority is not null);
            }
        }

        Assert.Null(campaigns.Ci.FindPerson("no-such-person"));
    }

    [Fact]
    public void Lists_are_sorted_as_published()
    {
        foreach (var offer in campaigns.CiOffers.Concat(campaigns.MediumOffers))
        {
            Assert.Equal(Enumerable.Range(1, offer.Applications.Count), offer.Applications.Select(a => a.Position));
            for (var i = 1; i < offer.Applications.Count; i++)
            {
                var (before, after) = (offer.Applications[i - 1], offer.Applications[i]);
                // Score descending with no score last; on a tie, budget priority ascending with contract last.
                var order = (before.Score, after.Score) switch
                {
                    (null, not null) => 1,
                    (not null, null) => -1,
                    var (b, a) when b != a => a!.Value.CompareTo(b!.Value),
                    _ => (before.Priority ?? 6).CompareTo(after.Priority ?? 6),
                };
                Assert.True(order <= 0, $"offer {offer.EdboId}: positions {before.Position} and {after.Position} are out of order");
            }
        }
    }

    [Fact]
    public void A_revision_changes_exactly_the_requested_offers_and_leaves_the_rest_identical()
    {
        var options = new CampaignGeneratorOptions { Offers = 400, Applications = 20_000, ChangedOffers = 300, Seed = 11 };
        var base0 = CampaignGenerator.Generate(options);
        var revision1 = CampaignGenerator.Generate(options with { Revision = 1 });
        var revision2 = CampaignGenerator.Generate(options with { Revision = 2 });

        foreach (var (before, after) in new[] { (base0, revision1), (revision1, revision2) })
        {
            var changed = before.Offers().Zip(after.Offers())
                .Where(pair => OfferContentHash.Compute(pair.First) != OfferContentHash.Compute(pair.Second))
                .Select(pair => pair.Second.EdboId)
                .ToList();
            Assert.Equal(300, changed.Count);
            Assert.Equal(changed, after.ChangedOfferIds);
        }

        Assert.Empty(base0.ChangedOfferIds);
        Assert.Equal(base0.Header.TakenAt.AddHours(2), revision2.Header.TakenAt);
        Assert.All(revision2.Offers(), o => Assert.Empty(SnapshotValidator.Validate(o)));
    }

    [Fact]
    public void A_revision_by_default_changes_a_fifth_of_the_offers_realistically()
    {
        var revision = CampaignGenerator.Generate(CampaignGeneratorOptions.For(CampaignPreset.Ci) with { Revision = 1 });
        var before = campaigns.CiOffers.ToDictionary(o => o.EdboId);
        var after = revision.Offers().ToList();

        Assert.Equal(10, revision.ChangedOfferIds.Count);
        var changedOffers = after.Where(o => revision.ChangedOfferIds.Contains(o.EdboId)).ToList();
        var newApplications = changedOffers.Sum(o => o.Applications.Count - before[o.EdboId].Applications.Count);
        var statusChanges = changedOffers.Sum(o =>
        {
            var old = before[o.EdboId].Applications.ToDictionary(a => a.PersonKey!, a => a.Status);
            return o.Applications.Count(a => old.TryGetValue(a.PersonKey!, out var status) && status != a.Status);
        });

        // Lists only grow (nobody disappears; cancellations are statuses), and statuses move.
        Assert.All(changedOffers, o => Assert.True(o.Applications.Count >= before[o.EdboId].Applications.Count));
        Assert.True(newApplications > 0);
        Assert.True(statusChanges > 0);
        Assert.Equal(revision.ApplicationCount, after.Sum(o => o.Applications.Count));
        Assert.True(revision.ApplicationCount > campaigns.Ci.ApplicationCount);

        // The newcomers are persons of the ground truth too, with distinct priorities.
        var newcomers = revision.Persons.Skip(campaigns.Ci.Persons.Count).ToList();
        Assert.NotEmpty(newcomers);
        Assert.All(newcomers, p => Assert.All(p.Applications, a => Assert.Contains(a.OfferEdboId, revision.ChangedOfferIds)));
    }

    [Fact]
    public void Places_and_quotas_are_shaped_like_a_real_campaign()
    {
        var offers = campaigns.MediumOffers;
        var persons = campaigns.Medium.Persons;
        var budget = offers.Sum(o => o.BudgetPlaces ?? 0);

        Assert.InRange(budget / (double)persons.Count, 0.18, 0.27);
        Assert.InRange(offers.Sum(o => o.Quota1Places) / (double)budget, 0.08, 0.12);
        Assert.InRange(offers.Sum(o => o.Quota2Places) / (double)budget, 0.035, 0.065);
        Assert.InRange(offers.Count(o => o.IsContractOnly), 10, 100);
        Assert.Contains(offers, o => o.Weights.Any(w => w.Slot == SnapshotFormat.CreativeSlot));
        Assert.Contains(offers, o => o.PreparatoryPointsApply);
        Assert.Contains(offers, o => o.Weights.Any(w => w.MinScore is not null));
        Assert.Equal([1.00m, 1.04m, 1.07m], offers.Select(o => o.RegionalCoefficient).Distinct().Order());
        Assert.True(offers.Select(o => o.University.Name).Distinct().Count() >= 30);
        Assert.True(offers.Select(o => o.University.Region).Distinct().Count() >= 10);
        Assert.All(offers, o => Assert.Matches("^[A-I][0-9]{1,2}$", o.Speciality.Code));
    }

    [Fact]
    public void Persons_and_applications_are_shaped_like_a_real_campaign()
    {
        var persons = campaigns.Medium.Persons;
        var applications = campaigns.MediumOffers.SelectMany(o => o.Applications).ToList();

        Assert.InRange(persons.Count(p => p.Quota == QuotaKind.Quota1) / (double)persons.Count, 0.035, 0.065);
        Assert.InRange(persons.Count(p => p.Quota == QuotaKind.Quota2) / (double)persons.Count, 0.045, 0.075);
        Assert.InRange(persons.Count(p => p.Grades.CreativeScore is not null) / (double)persons.Count, 0.02, 0.06);

        // NMT-like grades: 100–200, mostly 140–170, a tail at 190–200.
        var ukr = persons.Select(p => p.Grades.Scores[Subjects.Ukrainian]).ToList();
        Assert.All(ukr, g => Assert.InRange(g, 100m, 200m));
        Assert.InRange(ukr.Average(), 142m, 158m);
        Assert.InRange(ukr.Count(g => g is >= 140 and <= 170) / (double)ukr.Count, 0.40, 0.70);
        Assert.InRange(ukr.Count(g => g >= 190) / (double)ukr.Count, 0.01, 0.08);
        Assert.All(persons, p => Assert.InRange(p.Grades.Scores.Keys.Count(Subjects.FourthOptions.Contains), 1, 2));

        // Budget applications 1–5 per person, many with all five; some on contract as well.
        var budgetCounts = persons.Select(p => p.Applications.Count(a => a.Priority is not null)).ToList();
        Assert.All(budgetCounts, c => Assert.InRange(c, 0, 5));
        Assert.True(budgetCounts.Count(c => c == 5) > budgetCounts.Count(c => c == 1));
        Assert.InRange(applications.Count(a => a.Priority is null) / (double)applications.Count, 0.05, 0.25);

        // Statuses: mostly admitted or registered, a few of each other kind.
        var statuses = applications.GroupBy(a => a.Status).ToDictionary(g => g.Key, g => g.Count() / (double)applications.Count);
        Assert.InRange(statuses["Допущено"] + statuses["Зареєстровано"], 0.85, 0.95);
        Assert.InRange(statuses["Скасовано вступником"], 0.03, 0.10);
        Assert.InRange(statuses["Відмова"], 0.01, 0.05);
        Assert.InRange(statuses["Рекомендовано (бюджет)"], 0.0005, 0.02);
        Assert.All(applications, a => Assert.NotNull(a.PersonKey));
    }

    [Fact]
    public void Stronger_persons_aim_at_more_selective_offers_and_popular_specialities_draw_more()
    {
        // Offers whose last-year minimum was high get applications with higher scores.
        var ranked = campaigns.MediumOffers.Where(o => o.MinBudgetScoreLastYear is not null && o.Applications.Count > 0).OrderBy(o => o.MinBudgetScoreLastYear).ToList();
        var lower = ranked.Take(ranked.Count / 3).SelectMany(o => o.Applications).Where(a => a.Score is not null).Average(a => a.Score!.Value);
        var upper = ranked.Skip(ranked.Count * 2 / 3).SelectMany(o => o.Applications).Where(a => a.Score is not null).Average(a => a.Score!.Value);
        Assert.True(upper > lower + 5, $"selective offers average {upper:0.0}, the least selective {lower:0.0}");

        // Computer science draws more applications than the median speciality.
        var bySpeciality = campaigns.MediumOffers.GroupBy(o => o.Speciality.Code).ToDictionary(g => g.Key, g => g.Sum(o => o.Applications.Count));
        var median = bySpeciality.Values.Order().ElementAt(bySpeciality.Count / 2);
        Assert.True(bySpeciality["F3"] > 2 * median, $"F3 {bySpeciality["F3"]}, median {median}");
    }

    [Fact]
    public void Name_matching_across_lists_mostly_works_but_collisions_happen()
    {
        var persons = campaigns.Medium.Persons;
        var shared = persons.GroupBy(p => p.FullName).Where(g => g.Count() > 1).Sum(g => g.Count());

        Assert.InRange(shared / (double)persons.Count, 0.0005, 0.05);
        Assert.True(persons.Select(p => p.PersonKey).Distinct().Count() == persons.Count);
        Assert.All(persons, p => Assert.True(SnapshotFormat.IsValidPersonKey(p.PersonKey)));
        Assert.All(persons, p => Assert.Equal(3, p.FullName.Split(' ').Length));
    }

    [Fact]
    public void Revision_and_generation_options_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CampaignGenerator.Generate(new CampaignGeneratorOptions { Offers = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => CampaignGenerator.Generate(new CampaignGeneratorOptions { Revision = -1 }));
        Assert.Equal(50, (CampaignGeneratorOptions.For(CampaignPreset.Ci) with { ChangedOffers = 80 }).ChangedOfferCount);
    }

    private static OfferWeights Weights(SnapshotOffer offer, int year)
    {
        // Built here from the published rows, independently of SnapshotOffer.ToOfferWeights.
        decimal Single(int slot) => offer.Weights.Single(w => w.Slot == slot).Coefficient;
        var minimums = offer.Weights.Where(w => w.MinScore is not null).ToDictionary(w => w.Subject, w => w.MinScore!.Value);
        return new OfferWeights(
            year,
            Single(1),
            Single(2),
            Single(3),
            offer.Weights.Where(w => w.Slot == 4).ToDictionary(w => w.Subject, w => w.Coefficient),
            offer.Weights.SingleOrDefault(w => w.Slot == 5)?.Coefficient,
            offer.RegionalCoefficient,
            offer.SectoralCoefficient,
            offer.Speciality.Code,
            minimums.Count == 0 ? null : minimums);
    }
}
