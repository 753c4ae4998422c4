using System.Globalization;
using Abitly.Domain.Ranking;
using Abitly.Domain.Scoring;

namespace Abitly.Campaign.Generation;

/// <summary>
/// Generates a realistic admission campaign as a snapshot, deterministically per seed: universities across regions,
/// letter-code specialities with their weights, persons with NMT-like grades who apply to 1–5 budget offers (and some
/// to contract), and the ranking lists the lists would publish. Revisions replay the same campaign later, with a given
/// number of offers changed and every other offer identical.
/// </summary>
/// <remarks>
/// Scores are <see cref="CompetitiveScoreCalculator"/>'s for the person's grades and the offer's weights (РК included;
/// ГК for priorities 1–2 on supported specialities; ОУ only where the offer applies it). The model's shares — 5 % quota-1
/// and 6 % quota-2 persons, budget places for about 22 % of persons, the status mix — are assumptions, named in the code.
/// Pinned offers (<see cref="PinnedOffer"/>) join the generated ones as defined; their demand is met by the campaign's
/// persons first and then by persons drawn from outside it (<see cref="CampaignBuilder.DrawToPinnedOffers"/>).
/// </remarks>
public static class CampaignGenerator
{
    /// <summary>Builds the campaign the options describe.</summary>
    public static GeneratedCampaign Generate(CampaignGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.OfferCount, 1, nameof(options.Offers));
        ArgumentOutOfRangeException.ThrowIfNegative(options.ApplicationCount, nameof(options.Applications));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Revision, nameof(options.Revision));
        ArgumentOutOfRangeException.ThrowIfNegative(options.ChangedOfferCount, nameof(options.ChangedOffers));
        if (options.Year is < SnapshotFormat.MinYear or > SnapshotFormat.MaxYear)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Year, "The year must be within 2000–2100.");
        }

        CheckPinnedOffers(options);

        var builder = new CampaignBuilder(options);
        builder.BuildOffers();
        builder.BuildPersons();
        builder.DrawToPinnedOffers();
        builder.MarkRecommendations();
        IReadOnlyList<long> changed = [];
        for (var revision = 1; revision <= options.Revision; revision++)
        {
            changed = builder.Revise(revision);
        }

        builder.SortLists();

        var header = SnapshotHeader.Create(
            options.Year,
            options.RevisionTakenAt,
            string.Create(CultureInfo.InvariantCulture, $"abitly generator: preset {options.Preset.ToString().ToLowerInvariant()}, seed {options.Seed}, {options.OfferCount} offers, {options.ApplicationCount} applications, revision {options.Revision}")
                + (options.PinnedOffers.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $", {options.PinnedOffers.Count} pinned offers") : ""),
            full: true);
        return new GeneratedCampaign(options, header, builder.Offers, builder.Persons, changed);
    }

    /// <summary>Pinned offers must be valid offers that fit the campaign and agree on the universities and specialities they share.</summary>
    private static void CheckPinnedOffers(CampaignGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.PinnedOffers, nameof(options.PinnedOffers));
        var pins = options.PinnedOffers;
        if (pins.Count > options.OfferCount)
        {
            throw new ArgumentException($"{pins.Count} pinned offers do not fit in a campaign of {options.OfferCount} offers.", nameof(options));
        }

        var ids = new HashSet<long>();
        var universities = new Dictionary<object, SnapshotUniversity>();
        var specialities = new Dictionary<string, SnapshotSpeciality>(StringComparer.Ordinal);
        foreach (var pin in pins)
        {
            if (pin is null)
            {
                throw new ArgumentException("A pinned offer is null.", nameof(options));
            }

            var errors = SnapshotValidator.Validate(pin.ToSnapshotOffer([]));
            if (errors.Count > 0)
            {
                throw new ArgumentException($"Pinned offer {pin.EdboId} is not a valid offer: {string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}"))}.", nameof(options));
            }

            if (pin.Weights.Count == 0)
            {
                throw new ArgumentException($"Pinned offer {pin.EdboId} has no weights; persons need a formula to be scored.", nameof(options));
            }

            if (!ids.Add(pin.EdboId))
            {
                throw new ArgumentException($"Pinned offer {pin.EdboId} appears more than once.", nameof(options));
            }

            if (!pin.NoApplications && !(double.IsFinite(pin.Demand) && pin.Demand > 0))
            {
                throw new ArgumentException($"Pinned offer {pin.EdboId}: the demand must be a positive number, found {pin.Demand.ToString(CultureInfo.InvariantCulture)}.", nameof(options));
            }

            // One record per university (the catalogue's, or by EDBO id, else name) and per speciality code.
            var universityKey = (object?)Catalog.FindUniversity(pin.University) ?? (object?)pin.University.EdboId ?? pin.University.Name;
            if (universities.TryGetValue(universityKey, out var university) && university != pin.University)
            {
                throw new ArgumentException($"Pinned offer {pin.EdboId} describes university {pin.University.Name} differently from another pinned offer ({university}).", nameof(options));
            }

            universities[universityKey] = pin.University;
            if (specialities.TryGetValue(pin.Speciality.Code, out var speciality) && speciality != pin.Speciality)
            {
                throw new ArgumentException($"Pinned offer {pin.EdboId} names speciality {pin.Speciality.Code} differently from another pinned offer ({speciality.Name}).", nameof(options));
            }

            specialities[pin.Speciality.Code] = pin.Speciality;
        }

        var targets = pins.Sum(pin => (long)CampaignBuilder.PinnedTarget(pin, options));
        if (targets > options.ApplicationCount)
        {
            throw new ArgumentException($"The pinned offers' demand asks for {targets} applications, more than the campaign's {options.ApplicationCount}.", nameof(options));
        }
    }
}

/// <summary>The generator's working state; every random choice comes from a seeded <see cref="Rng"/>.</summary>
internal sealed class CampaignBuilder(CampaignGeneratorOptions options)
{
    // Model assumptions, in one place.
    private const double MeanApplicationsPerPerson = 3.95; // measured: about 3.45 budget + 0.5 contract
    private const double BudgetPlacesPerPerson = 0.22;
    private const double Quota1Persons = 0.05;
    private const double Quota2Persons = 0.06;
    private const double CreativePersons = 0.04;
    private const double PreparatoryPersons = 0.03;
    private const double TwoFourthSubjects = 0.20;
    private const double ContractApplicants = 0.25;
    private static readonly double[] BudgetApplicationCounts = Rng.Cumulative([0.06, 0.09, 0.15, 0.20, 0.50]); // 1..5

    private static readonly (string Subject, double Share, double Mean)[] FourthSubjectShares =
    [
        (Subjects.English, 0.50, 159), (Subjects.Biology, 0.17, 149), (Subjects.Geography, 0.10, 153), (Subjects.Literature, 0.09, 153),
        (Subjects.Physics, 0.06, 148), (Subjects.Chemistry, 0.04, 151), (Subjects.German, 0.02, 153), (Subjects.French, 0.01, 155),
        (Subjects.Spanish, 0.01, 155),
    ];

    private static readonly double[] FourthSubjectCumulative = Rng.Cumulative(FourthSubjectShares.Select(s => s.Share));
    private const double CommonSurnameShare = 0.30;
    private static readonly double[] SurnameCumulative = Rng.Cumulative(NamePool.Surnames.Select((_, rank) => 1.0 / Math.Pow(rank + 30, 0.8)));
    private static readonly double[] MaleNameCumulative = Rng.Cumulative(NamePool.MaleNames.Select((_, rank) => 1.0 / Math.Pow(rank + 5, 0.8)));
    private static readonly double[] FemaleNameCumulative = Rng.Cumulative(NamePool.FemaleNames.Select((_, rank) => 1.0 / Math.Pow(rank + 5, 0.8)));
    private static readonly double[] PatronymicCumulative = Rng.Cumulative(NamePool.Patronymics.Select((_, rank) => 1.0 / Math.Pow(rank + 5, 0.8)));

    // Random streams: 1 offers, 3 recommendations, 1 000 + n revision n, 2^32 + k person k, 2^40 + … revision newcomers,
    // 2^62 + p for the persons drawn to the p-th offer (their person numbers: 2^62 + p × 2^40 + attempt).
    private const long PersonStream = 1L << 32;
    private const long NewcomerStream = 1L << 40;
    private const long DrawnStream = 1L << 62;
    private static readonly double[] DrawnPriorities = Rng.Cumulative([0.40, 0.22, 0.16, 0.12, 0.10]); // 1..5, for a popular offer

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, double[]> _specialityChoice = [];
    private long _newcomers;
    private readonly Dictionary<CatalogSpeciality, OfferModel[]> _budgetBySpeciality = [];
    private readonly Dictionary<CatalogSpeciality, OfferModel[]> _allBySpeciality = [];
    private readonly Dictionary<SpecialityGroup, OfferModel[]> _budgetByGroup = [];
    private OfferModel[] _allBudget = [];

    public List<OfferModel> Offers { get; } = [];

    public List<PersonModel> Persons { get; } = [];

    public void BuildOffers()
    {
        var rng = new Rng(options.Seed, 1);
        var combinations = (from university in Catalog.Universities
                            from speciality in Catalog.Specialities
                            let weight = university.Size * Catalog.ProfileWeight(university.Profile, speciality.Group) * speciality.OfferShare
                            where weight > 0
                            select (University: university, Speciality: speciality, Weight: weight)).ToArray();
        var cumulative = Rng.Cumulative(combinations.Select(c => c.Weight));
        var universities = new Dictionary<CatalogUniversity, SnapshotUniversity>();
        var specialities = new Dictionary<CatalogSpeciality, SnapshotSpeciality>();
        var pinned = PinnedOffers(universities, specialities);
        var pinnedIds = pinned.Select(o => o.EdboId).ToHashSet();
        var generated = options.OfferCount - pinned.Count;
        // Offers whose formula gives the same score share one OfferWeights: same group weights, budget threshold, ГК, РК,
        // minimums and creative slot. A person's scores are cached per OfferWeights, so sharing saves most of the scoring.
        var formulas = new Dictionary<(SpecialityGroup, decimal, bool, decimal, bool, bool), (IReadOnlyList<SnapshotWeight>, OfferWeights)>();
        var budgetWeights = new double[generated];

        long edboId = 1_400_000 + rng.Next(5_000);
        for (var i = 0; i < generated; i++)
        {
            edboId += rng.Between(1, 60);
            while (pinnedIds.Contains(edboId))
            {
                edboId++; // the pinned offers keep their ids
            }

            var (university, speciality, _) = combinations[rng.Pick(cumulative)];
            var extramural = rng.Chance(0.16);
            var prestige = Math.Clamp(university.Prestige + (0.07 * rng.Gaussian()) - (extramural ? 0.25 : 0), 0.02, 1.0);
            // The first offer always has budget places, so every campaign has somewhere to apply on budget.
            var contractOnly = i > 0 && rng.Chance(0.05 + (speciality.BudgetShare < 0.5 ? 0.2 : 0) + (extramural ? 0.4 : 0));
            // A university a pinned offer names is published as that offer defines it, its region included.
            var regional = Catalog.RegionalCoefficient(universities.TryGetValue(university, out var named) ? named.Region : university.Region);
            var sectoral = SectoralCoefficient.AppliesTo(speciality.Code);
            var minimums = rng.Chance(0.05);
            var formulaKey = (speciality.Group, BudgetThresholds.For(options.Year, speciality.Code), sectoral, regional, minimums, speciality.Creative);
            if (!formulas.TryGetValue(formulaKey, out var formula))
            {
                formula = Formula(speciality, regional, sectoral, minimums);
                formulas[formulaKey] = formula;
            }

            var offer = new OfferModel
            {
                EdboId = edboId,
                Speciality = speciality,
                University = universities.TryGetValue(university, out var u) ? u
                    : universities[university] = new SnapshotUniversity(university.Name, university.Region, university.EdboId, university.ShortName),
                SpecialityRecord = specialities.TryGetValue(speciality, out var s) ? s
                    : specialities[speciality] = new SnapshotSpeciality(speciality.Code, speciality.Name),
                Program = speciality.Programs[rng.Next(speciality.Programs.Length)],
                Faculty = rng.Chance(0.85) ? Catalog.Faculty(speciality.Group) : null,
                Form = extramural ? "Заочна" : "Денна",
                RegionalCoefficient = regional,
                Sectoral = sectoral,
                PreparatoryPointsApply = sectoral && rng.Chance(0.06),
                Weights = formula.Item1,
                Formula = formula.Item2,
                SourceUrl = rng.Chance(0.95) ? string.Create(CultureInfo.InvariantCulture, $"https://vstup.edbo.gov.ua/offer/{edboId}/") : null,
                MinBudgetScoreLastYear = !contractOnly && rng.Chance(0.7)
                    ? Math.Round((decimal)Math.Clamp(118 + (60 * prestige) + (6 * rng.Gaussian()), 100, 200), 3)
                    : null,
                Prestige = prestige,
            };
            budgetWeights[i] = contractOnly ? 0
                : speciality.BudgetShare * (extramural ? 0.25 : 1) * Math.Exp(0.5 * rng.Gaussian()) * (0.6 + (university.Size / 3));
            Offers.Add(offer);
        }

        // Budget places for about 22 % of the persons the application count implies (beside those drawn to pinned offers).
        var places = BudgetPlacesPerPerson * (options.ApplicationCount - pinned.Sum(o => o.Target)) / MeanApplicationsPerPerson;
        var total = budgetWeights.Sum();
        for (var i = 0; i < Offers.Count; i++)
        {
            var offer = Offers[i];
            offer.SetBudget(budgetWeights[i] > 0 ? Math.Max(1, (int)Math.Round(budgetWeights[i] / total * places)) : null);
            offer.LicenseVolume = rng.Chance(0.9)
                ? (int)(Math.Round((((offer.BudgetPlaces ?? 0) * (1.5 + (2.5 * rng.NextDouble()))) + 20 + (60 * rng.NextDouble())) / 5) * 5)
                : null;
        }

        if (pinned.Count > 0)
        {
            Offers.AddRange(pinned);
            Offers.Sort((a, b) => a.EdboId.CompareTo(b.EdboId)); // file order
        }

        IndexOffers();
    }

    /// <summary>
    /// The pinned offers as the model's offers, exactly as defined; their universities and specialities replace the
    /// catalogue's records of the same EDBO id or name and code, so generated offers publish the same records.
    /// </summary>
    private List<OfferModel> PinnedOffers(Dictionary<CatalogUniversity, SnapshotUniversity> universities, Dictionary<CatalogSpeciality, SnapshotSpeciality> specialities)
    {
        var models = new List<OfferModel>(options.PinnedOffers.Count);
        var uncatalogued = new Dictionary<string, CatalogSpeciality>(StringComparer.Ordinal);
        foreach (var pin in options.PinnedOffers)
        {
            var university = Catalog.FindUniversity(pin.University);
            if (university is not null)
            {
                universities[university] = pin.University;
            }

            var speciality = Catalog.FindSpeciality(pin.Speciality.Code);
            if (speciality is not null)
            {
                specialities[speciality] = pin.Speciality;
            }
            else if (!uncatalogued.TryGetValue(pin.Speciality.Code, out speciality))
            {
                speciality = uncatalogued[pin.Speciality.Code] = Catalog.Uncatalogued(pin.Speciality, pin.Weights.Any(w => w.Slot == SnapshotFormat.CreativeSlot));
            }

            models.Add(new OfferModel
            {
                EdboId = pin.EdboId,
                Speciality = speciality,
                University = pin.University,
                SpecialityRecord = pin.Speciality,
                Program = pin.Program,
                Faculty = pin.Faculty,
                Form = pin.Form,
                Degree = pin.Degree,
                RegionalCoefficient = pin.RegionalCoefficient,
                Sectoral = pin.SectoralCoefficient,
                PreparatoryPointsApply = pin.PreparatoryPointsApply,
                Weights = pin.Weights,
                Formula = pin.ToSnapshotOffer([]).ToOfferWeights(options.Year)!,
                SourceUrl = pin.SourceUrl,
                MinBudgetScoreLastYear = pin.MinBudgetScoreLastYear,
                Prestige = PinnedPrestige(pin, university),
                Pinned = true,
                Demand = pin.NoApplications ? 0 : pin.Demand,
                NoApplications = pin.NoApplications,
                Target = PinnedTarget(pin, options),
                BudgetPlaces = pin.BudgetPlaces,
                Quota1Places = pin.Quota1Places,
                Quota2Places = pin.Quota2Places,
                LicenseVolume = pin.LicenseVolume,
            });
        }

        return models;
    }

    /// <summary>The applications a pinned offer draws at least: its demand times an ordinary offer's share.</summary>
    internal static int PinnedTarget(PinnedOffer pin, CampaignGeneratorOptions options) =>
        pin.NoApplications ? 0 : (int)Math.Round(pin.Demand * options.ApplicationCount / options.OfferCount, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Where a pinned offer sits among the others by selectivity: from its own last-year minimum (generated minimums are
    /// 118 + 60 × prestige), else its university's, else the middle.
    /// </summary>
    private static double PinnedPrestige(PinnedOffer pin, CatalogUniversity? university)
    {
        var prestige = pin.MinBudgetScoreLastYear is { } minimum ? ((double)minimum - 118) / 60
            : university is not null ? university.Prestige - (pin.Form == "Заочна" ? 0.25 : 0)
            : 0.5;
        return Math.Clamp(prestige, 0.02, 1.0);
    }

    /// <summary>
    /// Persons until the application count is reached exactly. Each person draws from their own random stream (seed,
    /// number), so persons are made in parallel batches and still come out the same on every run; their rows are then
    /// added in order, and the last person keeps only their best priorities.
    /// </summary>
    /// <remarks>
    /// Pinned offers' targets are held back: an application to a pinned offer still short of its target takes one from
    /// what <see cref="DrawToPinnedOffers"/> will add, so the two together make the count exactly.
    /// </remarks>
    public void BuildPersons()
    {
        var rows = 0;
        long next = 0;
        var failures = 0;
        var shortfall = Offers.Sum(o => o.Target); // rows pinned offers still need beyond what persons give them
        while (rows + shortfall < options.ApplicationCount)
        {
            var remaining = options.ApplicationCount - rows - shortfall;
            var batch = (int)Math.Clamp((remaining / MeanApplicationsPerPerson * 1.1) + 16, 16, 8_192);
            var first = next;
            var made = new (PersonModel Person, List<(OfferModel Offer, int? Priority)> Applications, Rng Rng)[batch];
            Parallel.For(0, batch, i =>
            {
                var rng = new Rng(options.Seed, PersonStream + first + i);
                var person = NewPerson(first + i, rng);
                made[i] = (person, ChooseApplications(person, rng), rng);
            });
            next += batch;

            foreach (var (person, applications, rng) in made)
            {
                if (rows + shortfall == options.ApplicationCount)
                {
                    break;
                }

                if (applications.Count == 0)
                {
                    if (++failures > 10_000)
                    {
                        throw new InvalidOperationException("The generator found no offer these persons can apply to.");
                    }

                    continue;
                }

                // The last person keeps their best priorities, as many as still fit.
                var fit = 0;
                for (var total = rows + shortfall; fit < applications.Count; fit++)
                {
                    total += applications[fit].Offer.Rows.Count < applications[fit].Offer.Target ? 0 : 1;
                    if (total > options.ApplicationCount)
                    {
                        break;
                    }
                }

                if (fit < applications.Count)
                {
                    applications.RemoveRange(fit, applications.Count - fit);
                }

                Add(person);
                foreach (var (offer, priority) in applications)
                {
                    shortfall -= offer.Rows.Count < offer.Target ? 1 : 0;
                    AddApplication(person, offer, priority, rng);
                }

                person.ForgetScores();
                rows += applications.Count;
            }
        }
    }

    /// <summary>
    /// Persons drawn to pinned offers beyond what the campaign's own persons give them, until each has its target. A small
    /// campaign is a slice of the national one: these persons' other applications go to offers outside it, so each lists
    /// one application here (a budget priority as top offers get them, mostly 1–2). Like everyone they are the person
    /// model's, scored by the calculator; a selective offer draws stronger persons (their ability centres on its level).
    /// </summary>
    public void DrawToPinnedOffers()
    {
        for (var p = 0; p < Offers.Count; p++)
        {
            var offer = Offers[p];
            var missing = offer.Target - offer.Rows.Count;
            if (missing <= 0)
            {
                continue;
            }

            var rng = new Rng(options.Seed, DrawnStream + p);
            var budget = offer.BudgetPlaces is not null;
            var creative = offer.Formula.CreativeWeight is not null;
            // Ability around the offer's level: +1.8 SD for the most selective, +0.4 for a middling one.
            var level = (2.8 * offer.Prestige) - 1.0;
            for (long attempt = 0; missing > 0; attempt++)
            {
                if (attempt > (200L * offer.Target) + 10_000)
                {
                    throw new InvalidOperationException($"Pinned offer {offer.EdboId} found too few applicants who can apply to it: {offer.Rows.Count} of {offer.Target}.");
                }

                var person = NewPerson(DrawnStream + ((long)p << 40) + attempt, rng, forceCreative: creative, level: level);
                if (!person.CanApply(offer, budget))
                {
                    continue;
                }

                Add(person);
                AddApplication(person, offer, budget ? 1 + rng.Pick(DrawnPriorities) : null, rng);
                person.ForgetScores();
                missing--;
            }
        }
    }

    /// <summary>Puts every list in published order: score descending (no score last), then priority (contract last).</summary>
    public void SortLists()
    {
        foreach (var offer in Offers)
        {
            offer.Rows.Sort(static (a, b) =>
            {
                if (a.Score != b.Score)
                {
                    return a.Score is null ? 1 : b.Score is null ? -1 : b.Score.Value.CompareTo(a.Score.Value);
                }

                // Equal scores: budget priority ascending with contract last, then the order persons were made in.
                var priorityA = a.Priority == 0 ? int.MaxValue : a.Priority;
                var priorityB = b.Priority == 0 ? int.MaxValue : b.Priority;
                return priorityA != priorityB ? priorityA.CompareTo(priorityB) : a.Person.CompareTo(b.Person);
            });
        }
    }

    /// <summary>A few «Рекомендовано (бюджет)»: the best priority-1 applications of some offers (a person has one priority 1).</summary>
    public void MarkRecommendations()
    {
        var rng = new Rng(options.Seed, 3);
        foreach (var offer in Offers)
        {
            if (offer.BudgetPlaces is not { } budget || !rng.Chance(0.15))
            {
                continue;
            }

            var rows = offer.Rows;
            var best = Enumerable.Range(0, rows.Count)
                .Where(i => rows[i].Priority == 1 && rows[i].Score is not null && GeneratedStatus.IsActive(rows[i].Status))
                .OrderByDescending(i => rows[i].Score)
                .ThenBy(i => rows[i].Person)
                .Take(Math.Max(1, budget / 4));
            foreach (var i in best)
            {
                var row = rows[i];
                row.Status = GeneratedStatus.Recommended;
                rows[i] = row;
            }
        }
    }

    /// <summary>One round of changes, confined to exactly <see cref="CampaignGeneratorOptions.ChangedOfferCount"/> offers; returns their ids.</summary>
    public IReadOnlyList<long> Revise(int revision)
    {
        var rng = new Rng(options.Seed, 1_000 + revision);
        var changeable = Offers.Where(o => !o.NoApplications).ToList(); // an offer pinned without applications keeps none
        var order = Enumerable.Range(0, changeable.Count).ToArray();
        var count = Math.Min(options.ChangedOfferCount, changeable.Count);
        for (var i = 0; i < count; i++)
        {
            var j = i + rng.Next(order.Length - i);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var chosen = order[..count].Select(i => changeable[i]).ToArray();
        var chosenBySpeciality = chosen.Where(o => o.BudgetPlaces is not null).GroupBy(o => o.Speciality).ToDictionary(g => g.Key, g => g.ToArray());
        foreach (var offer in chosen)
        {
            var changed = false;
            if (rng.Chance(0.6))
            {
                changed |= ChangeStatuses(offer, GeneratedStatus.Registered, GeneratedStatus.Admitted, 1 + rng.Next(Math.Max(1, offer.Rows.Count / 40)), rng);
            }

            if (rng.Chance(0.4))
            {
                changed |= ChangeStatuses(offer, null, GeneratedStatus.Cancelled, 1 + rng.Next(Math.Max(1, offer.Rows.Count / 60)), rng);
            }

            if (rng.Chance(0.5))
            {
                var newcomers = 1 + rng.Next(Math.Max(1, offer.Rows.Count / 30));
                for (var n = 0; n < newcomers; n++)
                {
                    changed |= AddNewcomer(offer, chosenBySpeciality, rng);
                }
            }

            // A pinned offer's places are the caller's: only its list changes.
            if (offer.BudgetPlaces is { } budget && rng.Chance(0.08) && !offer.Pinned)
            {
                var delta = rng.Between(1, 5) * (rng.Chance(0.5) ? 1 : -1);
                var updated = Math.Max(1, budget + delta);
                changed |= updated != budget;
                offer.SetBudget(updated);
            }

            // Every chosen offer must change: a hash that stays the same would break the revision's promise.
            for (var attempt = 0; !changed; attempt++)
            {
                changed = attempt switch
                {
                    0 => ChangeStatuses(offer, GeneratedStatus.Registered, GeneratedStatus.Admitted, 1, rng),
                    1 => ChangeStatuses(offer, null, GeneratedStatus.Cancelled, 1, rng),
                    < 100 => AddNewcomer(offer, chosenBySpeciality, rng, forceCreative: true),
                    100 when offer.BudgetPlaces is { } places && !offer.Pinned => SetBudget(offer, places + 1),
                    _ => throw new InvalidOperationException($"Offer {offer.EdboId} could not be changed."),
                };
            }
        }

        return [.. chosen.Select(o => o.EdboId).Order()];
    }

    private void Add(PersonModel person)
    {
        person.Index = Persons.Count;
        Persons.Add(person);
    }

    private static bool SetBudget(OfferModel offer, int places)
    {
        offer.SetBudget(places);
        return true;
    }

    private static bool ChangeStatuses(OfferModel offer, byte? from, byte to, int count, Rng rng)
    {
        var candidates = Enumerable.Range(0, offer.Rows.Count)
            .Where(i => from is { } f ? offer.Rows[i].Status == f : GeneratedStatus.IsActive(offer.Rows[i].Status) && offer.Rows[i].Status != to)
            .ToList();
        var changed = false;
        for (var n = 0; n < count && candidates.Count > 0; n++)
        {
            var pick = rng.Next(candidates.Count);
            var index = candidates[pick];
            candidates.RemoveAt(pick);
            var row = offer.Rows[index];
            row.Status = to;
            offer.Rows[index] = row;
            changed = true;
        }

        return changed;
    }

    /// <summary>A person who applies only now: to this offer and maybe one more of the changed offers of its speciality.</summary>
    private bool AddNewcomer(OfferModel offer, Dictionary<CatalogSpeciality, OfferModel[]> chosenBySpeciality, Rng rng, bool forceCreative = false)
    {
        var person = NewPerson(NewcomerStream + _newcomers++, rng, forceCreative);
        if (!person.CanApply(offer, budget: offer.BudgetPlaces is not null))
        {
            return false;
        }

        if (offer.BudgetPlaces is null)
        {
            Add(person);
            AddApplication(person, offer, null, rng);
            return true;
        }

        var offers = new List<OfferModel> { offer };
        if (rng.Chance(0.5) && chosenBySpeciality.TryGetValue(offer.Speciality, out var siblings))
        {
            var other = siblings[rng.Next(siblings.Length)];
            if (other != offer && person.CanApplyForBudget(other))
            {
                offers.Add(other);
            }
        }

        Add(person);
        var priority = 1;
        foreach (var chosen in offers.OrderByDescending(o => o.Prestige).ThenBy(o => o.EdboId))
        {
            AddApplication(person, chosen, priority++, rng);
        }

        return true;
    }

    private static void AddApplication(PersonModel person, OfferModel offer, int? priority, Rng rng)
    {
        var roll = rng.NextDouble();
        var status = roll < 0.60 ? GeneratedStatus.Admitted
            : roll < 0.91 ? GeneratedStatus.Registered
            : roll < 0.975 ? GeneratedStatus.Cancelled
            : GeneratedStatus.Refused;
        var quota = priority is null ? QuotaKind.None
            : person.Quota == QuotaKind.Quota1 && offer.Quota1Places > 0 ? QuotaKind.Quota1
            : person.Quota == QuotaKind.Quota2 && offer.Quota2Places > 0 ? QuotaKind.Quota2
            : QuotaKind.None;
        // A few just-registered applications have no score on the list yet.
        var score = status == GeneratedStatus.Registered && rng.Chance(0.01) ? null : person.PublishedScore(offer, priority);
        offer.Rows.Add(new ApplicationRow
        {
            Person = person.Index,
            Priority = (byte)(priority ?? 0),
            Status = status,
            Quota = quota,
            Score = score,
        });
    }

    private List<(OfferModel Offer, int? Priority)> ChooseApplications(PersonModel person, Rng rng)
    {
        var choice = SpecialityChoice(person);
        var budgetCount = 1 + rng.Pick(BudgetApplicationCounts);
        var primary = Catalog.Specialities[rng.Pick(choice)];
        var secondary = rng.Chance(0.55) ? Catalog.Specialities[rng.Pick(choice)] : primary;
        var fromPrimary = (int)Math.Ceiling(budgetCount * 0.6);

        var chosen = new List<OfferModel>(budgetCount + 2);
        var wanted = new[] { primary, secondary };
        List<CatalogSpeciality>? closed = null; // specialities whose budget threshold this person's score misses
        for (var j = 0; j < budgetCount; j++)
        {
            var slot = j < fromPrimary ? 0 : 1;
            OfferModel? offer = null;
            for (var attempt = 0; offer is null && attempt < 6; attempt++)
            {
                var speciality = wanted[slot];
                if (closed?.Contains(speciality) == true)
                {
                    // Someone below a speciality's threshold looks at another speciality they might like.
                    wanted[slot] = Catalog.Specialities[rng.Pick(choice)];
                    continue;
                }

                var below = false;
                offer = PickOffer(person, Pool(_budgetBySpeciality, speciality), j, chosen, budget: true, rng, ref below)
                    ?? (below ? null : PickOffer(person, Pool(_budgetByGroup, speciality.Group), j, chosen, budget: true, rng, ref below))
                    ?? (below ? null : PickOffer(person, _allBudget, j, chosen, budget: true, rng, ref below));
                if (offer is null && !below)
                {
                    break; // nothing left that fits
                }

                if (offer is null)
                {
                    (closed ??= []).Add(speciality);
                }
            }

            if (offer is null)
            {
                break;
            }

            chosen.Add(offer);
        }

        // Priority 1 is the most ambitious choice, mostly: the order by prestige is shuffled a little.
        var ordered = chosen.Select(o => (Offer: o, Key: o.Prestige + (0.08 * rng.Gaussian()))).OrderByDescending(x => x.Key).Select(x => x.Offer).ToList();
        var applications = ordered.Select((o, i) => (o, (int?)(i + 1))).ToList();

        // Some also apply on contract; those whose score reaches the budget threshold nowhere apply on contract only.
        if (chosen.Count == 0 || rng.Chance(ContractApplicants))
        {
            var contracts = chosen.Count == 0 ? rng.Between(1, 3) : rng.Chance(0.3) ? 2 : 1;
            for (var j = 0; j < contracts; j++)
            {
                var below = false;
                var offer = PickOffer(person, Pool(_allBySpeciality, primary), j + 1, chosen, budget: false, rng, ref below)
                    ?? PickOffer(person, Pool(_allBySpeciality, secondary), j + 1, chosen, budget: false, rng, ref below);
                if (offer is not null)
                {
                    chosen.Add(offer);
                    applications.Add((offer, null));
                }
            }
        }

        return applications;
    }

    /// <summary>
    /// An offer near the person's level within a pool sorted by prestige, bigger offers likelier; null when none fits.
    /// <paramref name="belowThreshold"/> is set when the search stopped because the person's score misses the budget threshold.
    /// </summary>
    private static OfferModel? PickOffer(PersonModel person, OfferModel[] pool, int rank, List<OfferModel> taken, bool budget, Rng rng, ref bool belowThreshold)
    {
        if (pool.Length == 0)
        {
            return null;
        }

        // Stronger persons aim higher, and the first choices higher than the later ones.
        var level = 1.0 / (1.0 + Math.Exp(-1.702 * person.Ability));
        var target = Math.Clamp(0.05 + (0.9 * level) + 0.1 - (0.06 * rank) + (0.12 * rng.Gaussian()), 0.0, 1.0);
        var center = (int)Math.Round(target * (pool.Length - 1));
        List<OfferModel>? unfit = null; // offers this person cannot apply to (no creative score, below a minimum)
        Span<double> weights = stackalloc double[7];
        for (var attempt = 0; attempt < 12; attempt++)
        {
            var low = Math.Max(0, center - 3);
            var high = Math.Min(pool.Length - 1, center + 3);
            var sum = 0.0;
            for (var i = low; i <= high; i++)
            {
                var candidate = pool[i];
                sum += taken.Contains(candidate) || (unfit?.Contains(candidate) ?? false) ? 0 : candidate.Capacity;
                weights[i - low] = sum;
            }

            if (sum <= 0)
            {
                center = rng.Next(pool.Length);
                continue;
            }

            var x = rng.NextDouble() * sum;
            var index = low;
            while (index < high && weights[index - low] <= x)
            {
                index++;
            }

            var picked = pool[index];
            if (person.CanApply(picked, budget))
            {
                return picked;
            }

            // Below the budget threshold here means below it on every offer of the speciality: stop looking.
            if (budget && person.ScoreFor(picked) is { MeetsBudgetThreshold: false })
            {
                belowThreshold = true;
                return null;
            }

            (unfit ??= []).Add(picked);
        }

        return null;
    }

    private static OfferModel[] Pool<TKey>(Dictionary<TKey, OfferModel[]> pools, TKey key)
        where TKey : notnull => pools.TryGetValue(key, out var pool) ? pool : [];

    /// <summary>Which specialities a person leans to: demand × the lean of their 4th subjects; creative ones only with a creative score.</summary>
    private double[] SpecialityChoice(PersonModel person)
    {
        var creative = person.Grades.CreativeScore is not null;
        var key = creative ? 1 : 0;
        foreach (var subject in person.FourthSubjects)
        {
            key |= 2 << Array.FindIndex(FourthSubjectShares, s => s.Subject == subject);
        }

        return _specialityChoice.GetOrAdd(key, _ => SpecialityChoice(person.FourthSubjects, creative));
    }

    private double[] SpecialityChoice(string[] fourthSubjects, bool creative)
    {
        var cumulative = Rng.Cumulative(Catalog.Specialities.Select(speciality =>
            !_budgetBySpeciality.ContainsKey(speciality) ? 0
            : speciality.Creative && !creative ? 0
            : speciality.Demand * fourthSubjects.Max(subject => Catalog.Affinity(subject, speciality.Group)) * (speciality.Creative ? 6 : 1)));
        if (cumulative[^1] <= 0)
        {
            // No speciality this person wants has budget offers here (a tiny campaign): any that has one will do.
            cumulative = Rng.Cumulative(Catalog.Specialities.Select(s => _budgetBySpeciality.ContainsKey(s) && !(s.Creative && !creative) ? 1.0 : 0));
            if (cumulative[^1] <= 0)
            {
                cumulative = Rng.Cumulative(Catalog.Specialities.Select(s => _budgetBySpeciality.ContainsKey(s) ? 1.0 : 0));
            }
        }

        return cumulative;
    }

    /// <summary>
    /// A new person; <paramref name="number"/> makes their key (distinct numbers, distinct keys). Ability is standard normal,
    /// or, with a <paramref name="level"/>, normal around it with 0.8 SD.
    /// </summary>
    private PersonModel NewPerson(long number, Rng rng, bool forceCreative = false, double? level = null)
    {
        var female = rng.Chance(0.5);
        // 30 % from the common surnames (Zipf-like: Мельник about 0.3 % of persons), the rest from the long tail.
        var surname = rng.Chance(CommonSurnameShare)
            ? NamePool.Surnames[rng.Pick(SurnameCumulative)]
            : NamePool.RareSurnames[rng.Next(NamePool.RareSurnames.Length)];
        var name = female
            ? $"{NamePool.Feminine(surname)} {NamePool.FemaleNames[rng.Pick(FemaleNameCumulative)]} {NamePool.Patronymics[rng.Pick(PatronymicCumulative)].Female}"
            : $"{surname} {NamePool.MaleNames[rng.Pick(MaleNameCumulative)]} {NamePool.Patronymics[rng.Pick(PatronymicCumulative)].Male}";

        var ability = level is { } centre ? (0.8 * rng.Gaussian()) + centre : rng.Gaussian();
        var scores = new Dictionary<string, decimal>(5, StringComparer.Ordinal)
        {
            [Subjects.Ukrainian] = Grade(153, ability, rng),
            [Subjects.Mathematics] = Grade(143, ability, rng),
            [Subjects.History] = Grade(151, ability, rng),
        };
        var first = FourthSubjectShares[rng.Pick(FourthSubjectCumulative)];
        scores[first.Subject] = Grade(first.Mean, ability, rng);
        if (rng.Chance(TwoFourthSubjects))
        {
            var second = FourthSubjectShares[rng.Pick(FourthSubjectCumulative)];
            scores.TryAdd(second.Subject, Grade(second.Mean, ability, rng));
        }

        decimal? creative = forceCreative || rng.Chance(CreativePersons) ? Math.Clamp(Math.Round((decimal)(160 + (18 * rng.Gaussian()))), 100m, 200m) : null;
        var preparatory = rng.Chance(PreparatoryPersons) ? rng.Between(1, 10) : 0;
        var roll = rng.NextDouble();
        var quota = roll < Quota1Persons ? QuotaKind.Quota1 : roll < Quota1Persons + Quota2Persons ? QuotaKind.Quota2 : QuotaKind.None;

        // SplitMix64's output function is a bijection, so distinct numbers give distinct keys.
        var key = "p" + Rng.Mix(unchecked(((ulong)options.Seed * 0x9E3779B97F4A7C15UL) + (ulong)number)).ToString("x16", CultureInfo.InvariantCulture);
        return new PersonModel
        {
            Key = key,
            Name = name,
            Grades = new ApplicantGrades(scores, creative, preparatory),
            Quota = quota,
            Ability = ability,
            FourthSubjects = [.. scores.Keys.Where(Subjects.FourthOptions.Contains)],
        };
    }

    /// <summary>
    /// An NMT-like grade: mostly 130–175 around the subject's mean, correlated with the person's ability, with the scale's
    /// stretch near the top (more 190–200 than a plain bell curve), never below 100.
    /// </summary>
    private static decimal Grade(double mean, double ability, Rng rng)
    {
        var raw = mean + (20 * ((0.75 * ability) + (0.66 * rng.Gaussian())));
        if (raw > 182)
        {
            raw += (raw - 182) * 0.6;
        }

        if (raw < 100)
        {
            raw = 100 + (8 * Math.Abs(rng.Gaussian()));
        }

        return (decimal)Math.Clamp(Math.Round(raw), 100, 200);
    }

    private (IReadOnlyList<SnapshotWeight> Weights, OfferWeights Formula) Formula(CatalogSpeciality speciality, decimal regional, bool sectoral, bool minimums)
    {
        var (ukr, math, hist, fourth) = Catalog.Weights(speciality.Group);
        // Some offers set a subject minimum: mathematics for technical groups, Ukrainian elsewhere.
        var technical = speciality.Group is SpecialityGroup.InformationTechnology or SpecialityGroup.Engineering or SpecialityGroup.Mathematics;
        decimal? mathMinimum = minimums && technical ? 130m : null;
        decimal? ukrMinimum = minimums && !technical ? 130m : null;
        var weights = new List<SnapshotWeight>
        {
            new(SnapshotFormat.UkrainianSlot, Subjects.Ukrainian, ukr, ukrMinimum),
            new(SnapshotFormat.MathematicsSlot, Subjects.Mathematics, math, mathMinimum),
            new(SnapshotFormat.HistorySlot, Subjects.History, hist),
        };
        weights.AddRange(fourth.Select(f => new SnapshotWeight(SnapshotFormat.FourthSubjectSlot, f.Subject, f.Weight)));
        if (speciality.Creative)
        {
            weights.Add(new SnapshotWeight(SnapshotFormat.CreativeSlot, Subjects.Creative, Catalog.CreativeWeight));
        }

        var probe = new SnapshotOffer(1, new SnapshotUniversity("-", "-"), new SnapshotSpeciality(speciality.Code, speciality.Name), "-", "-", "-", null, 0, 0, regional, sectoral, weights, []);
        return (weights, probe.ToOfferWeights(options.Year)!);
    }

    private void IndexOffers()
    {
        static OfferModel[] ByPrestige(IEnumerable<OfferModel> offers) => [.. offers.OrderBy(o => o.Prestige).ThenBy(o => o.EdboId)];

        // Persons never see an offer pinned without applications.
        var open = Offers.Where(o => !o.NoApplications).ToList();
        foreach (var group in open.GroupBy(o => o.Speciality))
        {
            _allBySpeciality[group.Key] = ByPrestige(group);
            var budget = ByPrestige(group.Where(o => o.BudgetPlaces is not null));
            if (budget.Length > 0)
            {
                _budgetBySpeciality[group.Key] = budget;
            }
        }

        foreach (var group in open.Where(o => o.BudgetPlaces is not null).GroupBy(o => o.Speciality.Group))
        {
            _budgetByGroup[group.Key] = ByPrestige(group);
        }

        _allBudget = ByPrestige(open.Where(o => o.BudgetPlaces is not null));
    }
}
