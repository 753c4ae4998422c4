using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;

namespace Abitly.Campaign.Generation;

/// <summary>How a generated campaign is shown to the person matcher in a trial: what the lists would publish.</summary>
public sealed record PersonMatchingScenario
{
    /// <summary>The default: no person keys, weights published, initials with the patronymic, every budget application.</summary>
    public static PersonMatchingScenario WithoutKeys { get; } = new();

    /// <summary>Keep the generator's person keys on the applications (the matcher then groups by them: exact).</summary>
    public bool PersonKeys { get; init; }

    /// <summary>What the matcher learns of the offers' formulas.</summary>
    public MatchingFormulas Formulas { get; init; } = MatchingFormulas.Weights;

    /// <summary>The form the names reach the matcher in.</summary>
    public MatchingNameForm NameForm { get; init; } = MatchingNameForm.Initials;

    /// <summary>Give the matcher only the active applications (what a caller that filters first would do).</summary>
    public bool ActiveOnly { get; init; }

    /// <summary>
    /// The share (0–1) of persons whose name takes <see cref="NameForm"/> and of offers whose formula is as
    /// <see cref="Formulas"/> says; the rest are shown as by default. Mixes a poorer source into a good one.
    /// </summary>
    public double Share { get; init; } = 1.0;
}

/// <summary>What the matcher learns of the offers' КБ formulas.</summary>
public enum MatchingFormulas
{
    /// <summary>The weights are published: <see cref="SnapshotOffer.ToMatchingOffer"/>.</summary>
    Weights,

    /// <summary>The weights are not published yet: the speciality stands for the formula (<see cref="MatchingOffer.ForSpeciality"/>).</summary>
    Speciality,

    /// <summary>Nothing: no two offers are known to share a formula (a stress case, poorer than any snapshot).</summary>
    None,
}

/// <summary>The form a published name reaches the matcher in.</summary>
public enum MatchingNameForm
{
    /// <summary>As stored: «Шевченко А. Б.» (<see cref="PublishedNames.ToInitials"/>).</summary>
    Initials,

    /// <summary>A poorer source: the surname and the first initial only, «Шевченко А.».</summary>
    SurnameAndFirstInitial,
}

/// <summary>
/// A generated campaign set up for the person matcher, with the ground truth beside it: the matcher's input (budget
/// applications, in file order), each application's true person, and what the allocation needs to compare the
/// simulation on true persons with the one on matched persons.
/// </summary>
public sealed class PersonMatchingTrial
{
    private readonly MatchingOffer[] _offers;
    private readonly MatchingApplication[] _applications;
    private readonly int[] _truePerson;
    private readonly bool[] _active;
    private readonly AllocationOffer[] _allocationOffers;

    private PersonMatchingTrial(MatchingOffer[] offers, MatchingApplication[] applications, int[] truePerson, bool[] active, AllocationOffer[] allocationOffers)
    {
        _offers = offers;
        _applications = applications;
        _truePerson = truePerson;
        _active = active;
        _allocationOffers = allocationOffers;
    }

    /// <summary>The matcher's offers, in file order.</summary>
    public IReadOnlyList<MatchingOffer> Offers => _offers;

    /// <summary>The matcher's applications: the budget applications of every list, in file order.</summary>
    public IReadOnlyList<MatchingApplication> Applications => _applications;

    /// <summary>Per application, its true person (numbered in order of their first application).</summary>
    public IReadOnlyList<int> TruePerson => _truePerson;

    /// <summary>Persons behind <see cref="Applications"/>.</summary>
    public int TruePersonCount { get; private set; }

    /// <summary>Builds the trial for a campaign as the scenario shows it.</summary>
    public static PersonMatchingTrial Prepare(GeneratedCampaign campaign, PersonMatchingScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(scenario);
        var year = campaign.Header.CampaignYear;
        var offers = new List<MatchingOffer>(campaign.OfferCount);
        var allocationOffers = new List<AllocationOffer>(campaign.OfferCount);
        var applications = new List<MatchingApplication>(campaign.ApplicationCount);
        var truePerson = new List<int>(campaign.ApplicationCount);
        var active = new List<bool>(campaign.ApplicationCount);
        var persons = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new Dictionary<(string, MatchingNameForm), string>();
        foreach (var offer in campaign.Offers())
        {
            var o = offers.Count;
            var formulas = Picked(offer.EdboId.ToString(System.Globalization.CultureInfo.InvariantCulture), scenario.Share) ? scenario.Formulas : MatchingFormulas.Weights;
            offers.Add(formulas switch
            {
                MatchingFormulas.Weights => offer.ToMatchingOffer(year),
                MatchingFormulas.Speciality => (offer with { Weights = [] }).ToMatchingOffer(year),
                _ => new MatchingOffer(null, offer.RegionalCoefficient, offer.SectoralCoefficient),
            });
            allocationOffers.Add(new AllocationOffer(offer.EdboId, offer.BudgetPlaces ?? 0, offer.Quota1Places, offer.Quota2Places));
            foreach (var application in offer.Applications)
            {
                var isActive = ApplicationStatuses.IsActive(application.Status);
                if (application.Priority is null || (scenario.ActiveOnly && !isActive))
                {
                    continue;
                }

                var key = application.PersonKey ?? throw new InvalidOperationException($"Offer {offer.EdboId} has an application without a person key; a generated campaign has them all.");
                if (!persons.TryGetValue(key, out var person))
                {
                    person = persons.Count;
                    persons.Add(key, person);
                }

                // One stored form per published name: a national campaign has a million applications of 300,000 names.
                var nameForm = Picked(key, scenario.Share) ? scenario.NameForm : MatchingNameForm.Initials;
                if (!names.TryGetValue((application.Name, nameForm), out var name))
                {
                    name = StoredName(application.Name, nameForm);
                    names.Add((application.Name, nameForm), name);
                }

                applications.Add(application.ToMatchingApplication(o) with { Name = name, PersonKey = scenario.PersonKeys ? key : null });
                truePerson.Add(person);
                active.Add(isActive);
            }
        }

        return new PersonMatchingTrial([.. offers], [.. applications], [.. truePerson], [.. active], [.. allocationOffers])
        {
            TruePersonCount = persons.Count,
        };
    }

    /// <summary>Runs the matcher on the trial's input.</summary>
    public PersonMatchResult Match() => PersonMatching.Match(_offers, _applications);

    /// <summary>Compares a match with the ground truth: how the persons were put together, and what it does to the simulated cut-offs.</summary>
    public PersonMatchingFigures Evaluate(PersonMatchResult match)
    {
        ArgumentNullException.ThrowIfNull(match);
        var found = match.Person.ToArray();
        var grouping = GroupingAgreement.Of(_truePerson, found);
        var truth = Allocate(_truePerson, TruePersonCount);
        var simulated = Allocate(found, match.PersonCount);
        var cutOffs = CutOffAgreement.Of(truth.Offers, simulated.Offers);
        return new PersonMatchingFigures(match.ApplicationCount, TruePersonCount, match.PersonCount, match.MatchedShare, match.FormulaShare, match.IsReliable, grouping, cutOffs);
    }

    /// <summary>
    /// The allocation of the active applications with the given persons. Tie ranks are the person numbers, which both the
    /// truth and the matcher give in order of the first application, so a perfect match allocates exactly like the truth.
    /// </summary>
    private AllocationResult Allocate(int[] person, int personCount)
    {
        var applications = new List<AllocationApplication>(person.Length);
        for (var a = 0; a < person.Length; a++)
        {
            if (_active[a])
            {
                var application = _applications[a];
                applications.Add(new AllocationApplication(person[a], application.Offer, application.Priority, application.Score, application.Quota));
            }
        }

        var tieRanks = new int[personCount];
        for (var p = 0; p < personCount; p++)
        {
            tieRanks[p] = p;
        }

        return BudgetAllocation.Allocate(_allocationOffers, [.. applications], tieRanks);
    }

    /// <summary>Whether an item falls in the share, by a hash of its text (FNV-1a), so the same items fall in on every run.</summary>
    private static bool Picked(string item, double share)
    {
        if (share >= 1)
        {
            return true;
        }

        var hash = 2166136261u;
        foreach (var c in item)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash / (double)uint.MaxValue < share;
    }

    private static string StoredName(string published, MatchingNameForm form)
    {
        var initials = PublishedNames.ToInitials(published);
        if (form == MatchingNameForm.Initials)
        {
            return initials;
        }

        // «Шевченко А. Б.» → «Шевченко А.»: keep the surname and the first initial.
        var words = initials.Split(' ');
        return words.Length <= 2 ? initials : $"{words[0]} {words[1]}";
    }
}

/// <summary>What a trial measured.</summary>
/// <param name="Applications">Applications matched.</param>
/// <param name="TruePersons">Persons behind them.</param>
/// <param name="FoundPersons">Persons the matcher found.</param>
/// <param name="MatchedShare">The matcher's own measure (<see cref="PersonMatchResult.MatchedShare"/>).</param>
/// <param name="FormulaShare">The matcher's formula coverage (<see cref="PersonMatchResult.FormulaShare"/>).</param>
/// <param name="Reliable">Whether the bot would show the simulation (<see cref="PersonMatchResult.IsReliable"/>).</param>
/// <param name="Grouping">How the found persons agree with the true ones.</param>
/// <param name="CutOffs">How the simulated cut-offs on found persons agree with those on true persons.</param>
public sealed record PersonMatchingFigures(
    int Applications,
    int TruePersons,
    int FoundPersons,
    double MatchedShare,
    double FormulaShare,
    bool Reliable,
    GroupingAgreement Grouping,
    CutOffAgreement CutOffs);
