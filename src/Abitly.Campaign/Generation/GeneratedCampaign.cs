using Abitly.Domain.Ranking;

namespace Abitly.Campaign.Generation;

/// <summary>A generated campaign: the snapshot (header and offers) and the persons behind its lists. Immutable; safe to read from several threads.</summary>
public sealed class GeneratedCampaign
{
    private readonly IReadOnlyList<OfferModel> _offers;
    private readonly IReadOnlyList<PersonModel> _persons;
    private IReadOnlyList<GeneratedPerson>? _publicPersons;
    private Dictionary<string, int>? _byKey;

    internal GeneratedCampaign(CampaignGeneratorOptions options, SnapshotHeader header, IReadOnlyList<OfferModel> offers, IReadOnlyList<PersonModel> persons, IReadOnlyList<long> changedOfferIds)
    {
        Options = options;
        Header = header;
        _offers = offers;
        _persons = persons;
        ChangedOfferIds = changedOfferIds;
        ApplicationCount = offers.Sum(o => o.Rows.Count);
    }

    /// <summary>The options it was generated from.</summary>
    public CampaignGeneratorOptions Options { get; }

    /// <summary>The snapshot header (a full snapshot; taken_at is the revision's).</summary>
    public SnapshotHeader Header { get; }

    /// <summary>Number of offers.</summary>
    public int OfferCount => _offers.Count;

    /// <summary>Number of application rows over all lists.</summary>
    public int ApplicationCount { get; }

    /// <summary>The offers the last revision round changed, ascending; empty for revision 0.</summary>
    public IReadOnlyList<long> ChangedOfferIds { get; }

    /// <summary>
    /// Every person behind the lists, in the order they were generated (the ground truth for tests and the simulation).
    /// Built on first use from the lists themselves, so it always agrees with them. Persons drawn to a pinned offer from
    /// outside the campaign (<see cref="PinnedOffer.Demand"/>) list only their one application in it.
    /// </summary>
    public IReadOnlyList<GeneratedPerson> Persons => _publicPersons ??= BuildPersons();

    private GeneratedPerson[] BuildPersons()
    {
        var applications = new List<GeneratedApplication>[_persons.Count];
        foreach (var offer in _offers)
        {
            foreach (var row in offer.Rows)
            {
                (applications[row.Person] ??= []).Add(new GeneratedApplication(offer.EdboId, row.Priority == 0 ? null : row.Priority));
            }
        }

        // Budget applications by priority, then contract ones by offer.
        return [.. _persons.Select((p, i) => new GeneratedPerson(
            p.Key,
            p.Name,
            p.Grades,
            p.Quota,
            [.. (applications[i] ?? []).OrderBy(a => a.Priority ?? int.MaxValue).ThenBy(a => a.OfferEdboId)]))];
    }

    /// <summary>The person an application's <c>person_key</c> names, or null.</summary>
    public GeneratedPerson? FindPerson(string personKey)
    {
        ArgumentNullException.ThrowIfNull(personKey);
        _byKey ??= _persons.Select((p, i) => (p.Key, i)).ToDictionary(x => x.Key, x => x.i, StringComparer.Ordinal);
        return _byKey.TryGetValue(personKey, out var index) ? Persons[index] : null;
    }

    /// <summary>
    /// The offers in file order (ascending EDBO id), each built when enumerated, so a national campaign is never held as
    /// records all at once. Lists are sorted as published: score descending (no score last), then priority (contract last).
    /// </summary>
    public IEnumerable<SnapshotOffer> Offers()
    {
        foreach (var offer in _offers)
        {
            yield return Materialize(offer);
        }
    }

    /// <summary>Writes the snapshot (gzip when the path ends with ".gz"); returns the number of offers written.</summary>
    public Task<int> WriteAsync(string path, CancellationToken cancellationToken = default) =>
        SnapshotWriter.WriteAsync(path, Header, Offers(), cancellationToken);

    private SnapshotOffer Materialize(OfferModel offer)
    {
        var rows = offer.Rows; // sorted as published by the builder
        var applications = new SnapshotApplication[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var person = _persons[row.Person];
            applications[i] = new SnapshotApplication(
                i + 1,
                person.Name,
                row.Score,
                row.Priority == 0 ? null : row.Priority,
                GeneratedStatus.Texts[row.Status],
                row.Quota,
                person.Key);
        }

        return new SnapshotOffer(
            offer.EdboId,
            offer.University,
            offer.SpecialityRecord,
            offer.Program,
            offer.Form,
            offer.Degree,
            offer.BudgetPlaces,
            offer.Quota1Places,
            offer.Quota2Places,
            offer.RegionalCoefficient,
            offer.Sectoral,
            offer.Weights,
            applications,
            offer.Faculty,
            offer.LicenseVolume,
            offer.PreparatoryPointsApply,
            offer.SourceUrl,
            offer.MinBudgetScoreLastYear);
    }
}
