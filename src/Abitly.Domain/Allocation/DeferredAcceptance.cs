using Abitly.Domain.Ranking;

namespace Abitly.Domain.Allocation;

/// <summary>The rounds of <see cref="BudgetAllocation"/>: validated input as flat arrays, each offer's held applications, and the proposing loop.</summary>
internal sealed class DeferredAcceptance
{
    private const int MaxPriority = BudgetAllocation.MaxPriority;

    private readonly OfferSeats[] _offerSeats;
    private readonly int[] _applicationOffer;
    private readonly int[] _applicationPerson;
    private readonly QuotaKind[] _applicationQuota;
    private readonly ulong[] _keys;

    // Person p's application with priority k sits at [p * 5 + k - 1], or -1; gaps in the priorities are allowed.
    private readonly int[] _slots;
    private readonly byte[] _nextSlot;

    private readonly ulong[] _heldKeys;

    // One candidate list at a time: an offer's held applications merged with its new proposals, in admission order.
    private readonly ulong[] _mergedKeys;
    private readonly int[] _mergedApplications;
    private readonly QuotaKind[] _mergedQuota;
    private readonly AllocationSeat[] _mergedSeats;

    public DeferredAcceptance(OfferSeats[] offerSeats, ReadOnlySpan<AllocationApplication> applications, int[] denseTieRanks)
    {
        _offerSeats = offerSeats;
        var offerCount = offerSeats.Length;
        var personCount = denseTieRanks.Length;
        _applicationOffer = new int[applications.Length];
        _applicationPerson = new int[applications.Length];
        _applicationQuota = new QuotaKind[applications.Length];
        _keys = new ulong[applications.Length];
        _slots = new int[checked(personCount * MaxPriority)];
        _slots.AsSpan().Fill(-1);
        _nextSlot = new byte[personCount];
        Holding = new int[personCount];
        Holding.AsSpan().Fill(-1);

        var applicationsPerOffer = new int[offerCount];
        for (var a = 0; a < applications.Length; a++)
        {
            var application = applications[a];
            if ((uint)application.Person >= (uint)personCount)
            {
                throw new ArgumentException($"Application {a}: person {application.Person} is not among the {personCount} persons.", nameof(applications));
            }

            if ((uint)application.Offer >= (uint)offerCount)
            {
                throw new ArgumentException($"Application {a}: offer {application.Offer} is not among the {offerCount} offers.", nameof(applications));
            }

            if (application.Priority is < 1 or > MaxPriority)
            {
                throw new ArgumentException($"Application {a}: priority {application.Priority} is not a budget priority 1–5.", nameof(applications));
            }

            if (application.Quota is not (QuotaKind.None or QuotaKind.Quota1 or QuotaKind.Quota2))
            {
                throw new ArgumentException($"Application {a}: quota kind {(int)application.Quota} is unknown.", nameof(applications));
            }

            ref var slot = ref _slots[(application.Person * MaxPriority) + application.Priority - 1];
            if (slot >= 0)
            {
                throw new ArgumentException($"Person {application.Person} has two applications with priority {application.Priority}: {slot} and {a}.", nameof(applications));
            }

            slot = a;
            _applicationOffer[a] = application.Offer;
            _applicationPerson[a] = application.Person;
            _applicationQuota[a] = application.Quota;
            _keys[a] = AdmissionOrder.Key(application.Score, application.Priority, denseTieRanks[application.Person]);
            applicationsPerOffer[application.Offer]++;
        }

        if (FindTwoApplicationsToOneOffer(personCount) is { } duplicate)
        {
            throw new ArgumentException(duplicate, nameof(applications));
        }

        // An offer never holds more than its budget places, nor more than it has applications.
        HeldStart = new int[offerCount + 1];
        HeldCount = new int[offerCount];
        var maxCandidates = 0;
        for (var o = 0; o < offerCount; o++)
        {
            var capacity = Math.Min(offerSeats[o].Budget, applicationsPerOffer[o]);
            HeldStart[o + 1] = HeldStart[o] + capacity;
            MaxHeld = Math.Max(MaxHeld, capacity);
            maxCandidates = Math.Max(maxCandidates, capacity + applicationsPerOffer[o]);
        }

        HeldApplications = new int[HeldStart[offerCount]];
        _heldKeys = new ulong[HeldStart[offerCount]];
        _mergedKeys = new ulong[maxCandidates];
        _mergedApplications = new int[maxCandidates];
        _mergedQuota = new QuotaKind[maxCandidates];
        _mergedSeats = new AllocationSeat[maxCandidates];
    }

    /// <summary>Per person, the application they hold, or -1.</summary>
    public int[] Holding { get; }

    /// <summary>Where each offer's held applications start in <see cref="HeldApplications"/> (one more entry than offers).</summary>
    public int[] HeldStart { get; }

    /// <summary>How many applications each offer holds.</summary>
    public int[] HeldCount { get; }

    /// <summary>Each offer's held applications, in admission order, at <see cref="HeldStart"/>.</summary>
    public int[] HeldApplications { get; }

    /// <summary>The most applications any offer can hold.</summary>
    public int MaxHeld { get; }

    /// <summary>Proposes and chooses until nobody is left to propose; returns the number of rounds with a proposal.</summary>
    public int Run()
    {
        var personCount = Holding.Length;
        var offerCount = _offerSeats.Length;
        var proposers = new int[personCount];
        for (var p = 0; p < personCount; p++)
        {
            proposers[p] = p;
        }

        var proposerCount = personCount;
        var rejected = new int[personCount];
        var proposals = new int[personCount];
        var offerProposals = new int[offerCount];
        var offerBucketStart = new int[offerCount];
        var touchedOffers = new int[offerCount];
        var bucketKeys = new ulong[personCount];
        var bucketApplications = new int[personCount];
        var rounds = 0;
        while (true)
        {
            // Everyone without a seat proposes to their best remaining priority.
            int proposalCount = 0, touchedCount = 0;
            for (var i = 0; i < proposerCount; i++)
            {
                var p = proposers[i];
                var slot = _nextSlot[p];
                var first = p * MaxPriority;
                while (slot < MaxPriority && _slots[first + slot] < 0)
                {
                    slot++;
                }

                if (slot == MaxPriority)
                {
                    _nextSlot[p] = MaxPriority;
                    continue;
                }

                _nextSlot[p] = (byte)(slot + 1);
                var a = _slots[first + slot];
                var o = _applicationOffer[a];
                if (offerProposals[o]++ == 0)
                {
                    touchedOffers[touchedCount++] = o;
                }

                proposals[proposalCount++] = a;
            }

            if (proposalCount == 0)
            {
                return rounds;
            }

            rounds++;

            // Group the proposals by offer (a counting sort over the offers that got any).
            var running = 0;
            for (var t = 0; t < touchedCount; t++)
            {
                var o = touchedOffers[t];
                offerBucketStart[o] = running;
                running += offerProposals[o];
                offerProposals[o] = 0;
            }

            for (var i = 0; i < proposalCount; i++)
            {
                var a = proposals[i];
                var o = _applicationOffer[a];
                var position = offerBucketStart[o] + offerProposals[o]++;
                bucketKeys[position] = _keys[a];
                bucketApplications[position] = a;
            }

            var rejectedCount = 0;
            for (var t = 0; t < touchedCount; t++)
            {
                var o = touchedOffers[t];
                var start = offerBucketStart[o];
                var length = offerProposals[o];
                offerProposals[o] = 0;
                rejectedCount = Choose(o, bucketKeys.AsSpan(start, length), bucketApplications.AsSpan(start, length), rejected, rejectedCount);
            }

            (proposers, rejected) = (rejected, proposers);
            proposerCount = rejectedCount;
        }
    }

    /// <summary>Offer <paramref name="o"/> keeps its choice among what it holds and the new proposals; the persons it lets go are appended to <paramref name="rejected"/>.</summary>
    private int Choose(int o, Span<ulong> proposalKeys, Span<int> proposalApplications, int[] rejected, int rejectedCount)
    {
        var seats = _offerSeats[o];
        if (seats.Budget == 0)
        {
            foreach (var a in proposalApplications)
            {
                rejected[rejectedCount++] = _applicationPerson[a];
            }

            return rejectedCount;
        }

        proposalKeys.Sort(proposalApplications);
        var heldStart = HeldStart[o];
        var heldCount = HeldCount[o];
        var total = heldCount + proposalKeys.Length;

        // Merge the held applications (already in order) with the sorted proposals; keys never tie within an offer.
        int h = 0, n = 0, m = 0;
        while (h < heldCount && n < proposalKeys.Length)
        {
            if (_heldKeys[heldStart + h] < proposalKeys[n])
            {
                _mergedKeys[m] = _heldKeys[heldStart + h];
                _mergedApplications[m++] = HeldApplications[heldStart + h++];
            }
            else
            {
                _mergedKeys[m] = proposalKeys[n];
                _mergedApplications[m++] = proposalApplications[n++];
            }
        }

        while (h < heldCount)
        {
            _mergedKeys[m] = _heldKeys[heldStart + h];
            _mergedApplications[m++] = HeldApplications[heldStart + h++];
        }

        while (n < proposalKeys.Length)
        {
            _mergedKeys[m] = proposalKeys[n];
            _mergedApplications[m++] = proposalApplications[n++];
        }

        var seatsInOrder = _mergedSeats.AsSpan(0, total);
        if (total <= seats.Budget)
        {
            // Everyone fits: the general seats are the budget minus the quota seats filled, so no choice can reject.
            seatsInOrder.Fill(AllocationSeat.General);
        }
        else
        {
            for (var i = 0; i < total; i++)
            {
                _mergedQuota[i] = _applicationQuota[_mergedApplications[i]];
            }

            OfferChoice.ChooseInOrder(seats, _mergedQuota.AsSpan(0, total), seatsInOrder);
        }

        var kept = 0;
        for (var i = 0; i < total; i++)
        {
            var a = _mergedApplications[i];
            var person = _applicationPerson[a];
            if (seatsInOrder[i] == AllocationSeat.None)
            {
                Holding[person] = -1;
                rejected[rejectedCount++] = person;
            }
            else
            {
                Holding[person] = a;
                HeldApplications[heldStart + kept] = a;
                _heldKeys[heldStart + kept++] = _mergedKeys[i];
            }
        }

        HeldCount[o] = kept;
        return rejectedCount;
    }

    /// <summary>With priorities distinct, a person has at most five applications: compare their offers pairwise.</summary>
    private string? FindTwoApplicationsToOneOffer(int personCount)
    {
        for (var p = 0; p < personCount; p++)
        {
            var first = p * MaxPriority;
            for (var i = 0; i < MaxPriority; i++)
            {
                var a = _slots[first + i];
                if (a < 0)
                {
                    continue;
                }

                for (var j = i + 1; j < MaxPriority; j++)
                {
                    var b = _slots[first + j];
                    if (b >= 0 && _applicationOffer[a] == _applicationOffer[b])
                    {
                        return $"Person {p} has two applications to offer {_applicationOffer[a]}: {a} and {b}.";
                    }
                }
            }
        }

        return null;
    }
}
