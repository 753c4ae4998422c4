using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;
using Abitly.Domain.Scoring;

namespace Abitly.Bot.Simulation;

/// <summary>
/// What a simulation reads from the database, in flat arrays: the year's offers (seats and how to read their scores back
/// into КБ) and every budget application of them, whatever its status (person matching wants the cancelled ones too).
/// A store fills it row by row; <see cref="SimulationComputation"/> works on it.
/// </summary>
public sealed class SimulationInput(int campaignYear)
{
    private readonly Dictionary<long, int> _offerIndex = [];
    private readonly Dictionary<string, bool> _activeByStatus = new(StringComparer.Ordinal);
    private readonly List<long> _offerIds = [];
    private readonly List<AllocationOffer> _offers = [];
    private readonly List<MatchingOffer> _matchingOffers = [];
    private long[] _applicationOffer = new long[1024];
    private int[] _position = new int[1024];
    private int[] _score = new int[1024];
    private byte[] _priority = new byte[1024];
    private QuotaKind[] _quota = new QuotaKind[1024];
    private bool[] _active = new bool[1024];
    private string?[] _personKey = new string?[1024];
    private string?[] _name = new string?[1024];

    public int CampaignYear { get; } = campaignYear;

    public int OfferCount => _offers.Count;

    public int ApplicationCount { get; private set; }

    public IReadOnlyList<long> OfferIds => _offerIds;

    public IReadOnlyList<AllocationOffer> Offers => _offers;

    public IReadOnlyList<MatchingOffer> MatchingOffers => _matchingOffers;

    /// <summary>Applications whose offer was not added (withdrawn or of another year): left out, counted for the log.</summary>
    public int Skipped { get; private set; }

    public bool HasOffer(long offerId) => _offerIndex.ContainsKey(offerId);

    public int OfferIndex(long offerId) => _offerIndex[offerId];

    /// <summary>Adds an offer with its weights (slot, subject, coefficient); an offer without slots 1–3 matches by speciality.</summary>
    public void AddOffer(long id, int? budgetPlaces, int quota1Places, int quota2Places, decimal regionalCoefficient, bool sectoralCoefficient,
        bool preparatoryPointsApply, string specialityCode, IReadOnlyList<(int Slot, string Subject, decimal Coefficient)> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        _offerIndex.Add(id, _offers.Count);
        _offerIds.Add(id);
        _offers.Add(new AllocationOffer(id, Math.Max(0, budgetPlaces ?? 0), Math.Max(0, quota1Places), Math.Max(0, quota2Places)));
        _matchingOffers.Add(weights.Any(w => w.Slot is 1 or 2 or 3)
            ? MatchingOffer.For(WeightsOf(weights, regionalCoefficient, sectoralCoefficient, specialityCode), preparatoryPointsApply)
            : MatchingOffer.ForSpeciality(specialityCode, preparatoryPointsApply, regionalCoefficient, sectoralCoefficient));
    }

    /// <summary>Adds one budget application (priority 1–5) of an added offer; others are skipped.</summary>
    /// <param name="scoreThousandths">The published score in thousandths; null when the list shows none.</param>
    /// <param name="name">The stored name; may be null when the application has a person key (matching never reads it then).</param>
    public void AddApplication(long offerId, int position, string? name, int? scoreThousandths, int priority, string status, QuotaKind quota, string? personKey)
    {
        if (!_offerIndex.ContainsKey(offerId) || priority is < 1 or > BudgetAllocation.MaxPriority)
        {
            Skipped++;
            return;
        }

        if (ApplicationCount == _position.Length)
        {
            Grow();
        }

        var i = ApplicationCount++;
        _applicationOffer[i] = offerId;
        _position[i] = position;
        _score[i] = scoreThousandths ?? AdmissionOrder.Unscored;
        _priority[i] = (byte)priority;
        _quota[i] = quota is QuotaKind.Quota1 or QuotaKind.Quota2 ? quota : QuotaKind.None;
        _active[i] = IsActive(status);
        _personKey[i] = string.IsNullOrEmpty(personKey) ? null : personKey;
        _name[i] = name;
    }

    internal long ApplicationOffer(int i) => _applicationOffer[i];

    internal int Position(int i) => _position[i];

    internal int Score(int i) => _score[i];

    internal int Priority(int i) => _priority[i];

    internal QuotaKind Quota(int i) => _quota[i];

    internal bool Active(int i) => _active[i];

    internal string? PersonKey(int i) => _personKey[i];

    internal string? Name(int i) => _name[i];

    // Statuses repeat a handful of values a million times: read each once.
    private bool IsActive(string status)
    {
        if (!_activeByStatus.TryGetValue(status, out var active))
        {
            active = ApplicationStatuses.IsActive(status);
            _activeByStatus[status] = active;
        }

        return active;
    }

    private void Grow()
    {
        var size = _position.Length * 2;
        Array.Resize(ref _applicationOffer, size);
        Array.Resize(ref _position, size);
        Array.Resize(ref _score, size);
        Array.Resize(ref _priority, size);
        Array.Resize(ref _quota, size);
        Array.Resize(ref _active, size);
        Array.Resize(ref _personKey, size);
        Array.Resize(ref _name, size);
    }

    private OfferWeights WeightsOf(IReadOnlyList<(int Slot, string Subject, decimal Coefficient)> weights, decimal regionalCoefficient, bool sectoralCoefficient, string specialityCode) => new(
        CampaignYear,
        weights.FirstOrDefault(w => w.Slot == 1).Coefficient,
        weights.FirstOrDefault(w => w.Slot == 2).Coefficient,
        weights.FirstOrDefault(w => w.Slot == 3).Coefficient,
        weights.Where(w => w.Slot == 4).GroupBy(w => w.Subject, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Coefficient, StringComparer.Ordinal),
        weights.Any(w => w.Slot == 5) ? weights.First(w => w.Slot == 5).Coefficient : null,
        regionalCoefficient,
        sectoralCoefficient,
        specialityCode);
}
