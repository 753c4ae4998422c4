using Abitly.Domain.Ranking;

namespace Abitly.Domain.Allocation;

/// <summary>
/// Splits the applications of one name into persons (the heuristic of <see cref="PersonMatching"/>): fragments of equal
/// КБ on one formula, persons anchored by a fragment with priority 1, and every other fragment attached to the only
/// anchor it fits, or to the one the scores clearly prefer, or to none. Scratch arrays are kept from name to name.
/// </summary>
internal sealed class NameResolver(MatchingFacts[] facts, int[] group, List<PersonMatchConfidence> groups, ScoreCalibration calibration)
{
    /// <summary>Evidence for two applications on one formula whose КБ intervals meet: left apart only by a collision.</summary>
    private const double EqualScoreEvidence = 10;

    /// <summary>
    /// The least evidence (a log likelihood ratio) for the anchor a fragment joins by choice: 0, so its scores must be
    /// likelier one person's than two strangers'. Measured on the national preset with another seed: 1 or 2 only add
    /// splits, and the cut-offs move more (identical on 97.3 % and 94.4 % of offers instead of 97.6 %).
    /// </summary>
    private const double MinEvidence = 0;

    /// <summary>
    /// How far the chosen anchor's evidence must lead the next one's: 1, so it is e ≈ 2.7 times likelier. Measured on the
    /// national preset with another seed: 0.5 merges 40 % more persons wrongly (895 against 639) for 0.2 % more identical
    /// cut-offs; 2 splits 40 % more persons (3,917 against 2,801) and leaves 0.8 % fewer cut-offs identical.
    /// </summary>
    private const double EvidenceMargin = 1;

    /// <summary>
    /// A name with more fragments than this gets no attach step: it costs fragments × anchors, and a name shared by
    /// hundreds of persons (or a placeholder for hidden names) is no ground for matching anyway.
    /// </summary>
    private const int MaxFragmentsToAttach = 2_000;

    // Per application of the name (local index 0..count-1).
    private int[] _application = [];
    private int[] _parent = [];
    private int[] _order = [];
    private int[] _fragmentOf = [];
    private int[] _nextMember = [];
    private bool _collided;

    // Per fragment.
    private int[] _firstMember = [];
    private int[] _lastMember = [];
    private int[] _priorities = [];
    private QuotaKind[] _quota = [];
    private bool[] _joined = [];
    private bool[] _chosen = [];
    private bool[] _open = [];

    // The attach step: anchors, the other fragments, and for each pair whether they fit and the evidence.
    private int[] _anchors = [];
    private int[] _others = [];
    private bool[] _fits = [];
    private double[] _evidence = [];
    private int _anchorCount;
    private int _otherCount;
    private bool _choiceMade;

    /// <summary>
    /// Pass 1: when every application of the name fits one person with a priority-1 application, the name is one person
    /// for sure, and their КБ on different formulas teach <see cref="ScoreCalibration"/> how one person's differ.
    /// </summary>
    public void Learn(ReadOnlySpan<int> applications)
    {
        var count = applications.Length;
        if (count < 2 || count > BudgetAllocation.MaxPriority)
        {
            return;
        }

        var priorities = 0;
        var quota = QuotaKind.None;
        for (var x = 0; x < count; x++)
        {
            ref readonly var fx = ref facts[applications[x]];
            var bit = 1 << (fx.Priority - 1);
            if ((priorities & bit) != 0 || !Widen(ref quota, fx.Quota))
            {
                return;
            }

            priorities |= bit;
            for (var y = 0; y < x; y++)
            {
                ref readonly var fy = ref facts[applications[y]];
                if (fx.Offer == fy.Offer || DifferentScoresOnOneFormula(fx, fy))
                {
                    return;
                }
            }
        }

        if ((priorities & 1) == 0)
        {
            return;
        }

        for (var x = 0; x < count; x++)
        {
            ref readonly var fx = ref facts[applications[x]];
            if (!fx.Scored || FormulaSeenBefore(applications, x))
            {
                continue;
            }

            for (var y = 0; y < x; y++)
            {
                ref readonly var fy = ref facts[applications[y]];
                if (fy.Scored && (fx.Formula != fy.Formula || fx.Formula < 0) && !FormulaSeenBefore(applications, y))
                {
                    calibration.AddPair(fx.Formula, fx.Base, fy.Formula, fy.Base);
                }
            }
        }
    }

    /// <summary>Pass 2: splits the name's applications into persons and records them in the group table.</summary>
    public void Resolve(ReadOnlySpan<int> applications)
    {
        var count = applications.Length;
        if (count == 1)
        {
            group[applications[0]] = NewGroup(PersonMatchConfidence.Unique);
            return;
        }

        Reserve(count);
        for (var i = 0; i < count; i++)
        {
            _application[i] = applications[i];
            _parent[i] = i;
        }

        _collided = false;
        _choiceMade = false;
        LinkEqualScores(count);
        var fragments = BuildFragments(count);
        Attach(fragments);
        Emit(fragments);
    }

    /// <summary>
    /// Step 1: on offers with one formula, one person's scores allow one КБ. Applications whose КБ intervals overlap form a
    /// run; a run that can be one person (distinct priorities and offers, one quota kind, a КБ common to all) is joined,
    /// any other is a collision of several persons and is left to the next steps.
    /// </summary>
    private void LinkEqualScores(int count)
    {
        var scored = 0;
        for (var i = 0; i < count; i++)
        {
            ref readonly var f = ref Facts(i);
            if (f.Formula >= 0 && f.Scored)
            {
                _order[scored++] = i;
            }
        }

        var order = _order.AsSpan(0, scored);
        order.Sort(new ByFormulaAndLow(facts, _application));
        var k = 0;
        while (k < scored)
        {
            ref readonly var first = ref Facts(order[k]);
            var high = first.High;
            var end = k + 1;
            while (end < scored && Facts(order[end]).Formula == first.Formula && Facts(order[end]).Low <= high)
            {
                high = Math.Max(high, Facts(order[end]).High);
                end++;
            }

            if (end - k > 1)
            {
                var run = order[k..end];
                if (CanBeOnePerson(run))
                {
                    foreach (var i in run)
                    {
                        Union(run[0], i);
                    }
                }
                else
                {
                    _collided = true;
                }
            }

            k = end;
        }
    }

    private bool CanBeOnePerson(ReadOnlySpan<int> run)
    {
        if (run.Length > BudgetAllocation.MaxPriority)
        {
            return false;
        }

        var priorities = 0;
        var quota = QuotaKind.None;
        var low = double.NegativeInfinity;
        var high = double.PositiveInfinity;
        for (var x = 0; x < run.Length; x++)
        {
            ref readonly var f = ref Facts(run[x]);
            var bit = 1 << (f.Priority - 1);
            if ((priorities & bit) != 0 || !Widen(ref quota, f.Quota))
            {
                return false;
            }

            priorities |= bit;
            low = Math.Max(low, f.Low);
            high = Math.Min(high, f.High);
            for (var y = 0; y < x; y++)
            {
                if (Facts(run[y]).Offer == f.Offer)
                {
                    return false;
                }
            }
        }

        return low <= high;
    }

    /// <summary>Fragments: the joined runs and every application left alone, with their priorities and quota kind.</summary>
    private int BuildFragments(int count)
    {
        var fragments = 0;
        Array.Fill(_fragmentOf, -1, 0, count);
        for (var i = 0; i < count; i++)
        {
            // A set's root is its smallest member, so it is met before the rest.
            var root = Find(i);
            if (root == i)
            {
                var fragment = fragments++;
                _fragmentOf[i] = fragment;
                _firstMember[fragment] = -1;
                _lastMember[fragment] = -1;
                _priorities[fragment] = 0;
                _quota[fragment] = QuotaKind.None;
                _joined[fragment] = false;
                _chosen[fragment] = false;
                _open[fragment] = false;
            }
            else
            {
                _fragmentOf[i] = _fragmentOf[root];
            }
        }

        for (var i = count - 1; i >= 0; i--)
        {
            var fragment = _fragmentOf[i];
            _nextMember[i] = _firstMember[fragment];
            _firstMember[fragment] = i;
            if (_lastMember[fragment] < 0)
            {
                _lastMember[fragment] = i;
            }

            _priorities[fragment] |= 1 << (Facts(i).Priority - 1);
            Widen(ref _quota[fragment], Facts(i).Quota);
        }

        return fragments;
    }

    /// <summary>
    /// Steps 2 and 3: a person is anchored by the fragment with their priority-1 application; every other fragment joins
    /// an anchor it fits (<see cref="Fits"/>). One that fits a single anchor joins it, and this repeats while anything
    /// joins, since each join narrows what the others fit. Then one fragment that fits several joins the anchor it
    /// prefers (<see cref="Prefer"/>), the surest such choice first, and the single-fit step runs again. What is left
    /// stays apart.
    /// </summary>
    private void Attach(int fragments)
    {
        int anchors = 0, others = 0;
        for (var f = 0; f < fragments; f++)
        {
            if ((_priorities[f] & 1) != 0)
            {
                _anchors[anchors++] = f;
            }
            else
            {
                _others[others++] = f;
            }
        }

        (_anchorCount, _otherCount) = (anchors, others);
        if (anchors == 0 || others == 0)
        {
            return;
        }

        if (fragments > MaxFragmentsToAttach)
        {
            // Nothing joins: every anchor may be missing applications.
            _otherCount = 0;
            for (var a = 0; a < anchors; a++)
            {
                _open[_anchors[a]] = true;
            }

            return;
        }

        ReservePairs(anchors * others);
        for (var o = 0; o < others; o++)
        {
            for (var a = 0; a < anchors; a++)
            {
                Score(o, a, anchors);
            }
        }

        while (true)
        {
            var joined = true;
            while (joined)
            {
                joined = false;
                for (var o = 0; o < others; o++)
                {
                    if (_joined[_others[o]])
                    {
                        continue;
                    }

                    int fits = 0, only = -1;
                    for (var a = 0; a < anchors; a++)
                    {
                        if (_fits[(o * anchors) + a])
                        {
                            fits++;
                            only = a;
                        }
                    }

                    if (fits == 1)
                    {
                        Join(o, only, anchors, others, chosen: false);
                        joined = true;
                    }
                }
            }

            int bestOther = -1, bestAnchor = -1;
            var bestMargin = double.NegativeInfinity;
            for (var o = 0; o < others; o++)
            {
                if (!_joined[_others[o]] && Prefer(o, anchors, out var anchor, out var margin) && margin > bestMargin)
                {
                    (bestOther, bestAnchor, bestMargin) = (o, anchor, margin);
                }
            }

            if (bestOther < 0)
            {
                return;
            }

            Join(bestOther, bestAnchor, anchors, others, chosen: true);
            _choiceMade = true;
        }
    }

    /// <summary>
    /// Whether one anchor stands out for fragment <paramref name="o"/> among several it fits: the only one whose union
    /// with it has priorities 1..k without a gap, or the one with evidence at least <see cref="MinEvidence"/> and
    /// <see cref="EvidenceMargin"/> above every other's. <paramref name="margin"/> ranks such choices, the surest first.
    /// </summary>
    private bool Prefer(int o, int anchors, out int anchor, out double margin)
    {
        anchor = -1;
        margin = 0;
        int candidates = 0, gapless = 0, onlyGapless = -1, best = -1;
        double bestEvidence = double.NegativeInfinity, secondEvidence = double.NegativeInfinity;
        var priorities = _priorities[_others[o]];
        for (var a = 0; a < anchors; a++)
        {
            var pair = (o * anchors) + a;
            if (!_fits[pair])
            {
                continue;
            }

            candidates++;
            var union = _priorities[_anchors[a]] | priorities;
            if ((union & (union + 1)) == 0)
            {
                gapless++;
                onlyGapless = a;
            }

            var evidence = _evidence[pair];
            if (evidence > bestEvidence)
            {
                (secondEvidence, bestEvidence, best) = (bestEvidence, evidence, a);
            }
            else if (evidence > secondEvidence)
            {
                secondEvidence = evidence;
            }
        }

        if (candidates < 2)
        {
            return false;
        }

        if (gapless == 1)
        {
            anchor = onlyGapless;
            margin = double.MaxValue;
            return true;
        }

        if (bestEvidence < MinEvidence || bestEvidence - secondEvidence < EvidenceMargin)
        {
            return false;
        }

        anchor = best;
        margin = bestEvidence - secondEvidence;
        return true;
    }

    /// <summary>Fragment <paramref name="o"/> joins anchor <paramref name="a"/>; what the other fragments fit of that anchor is scored again.</summary>
    private void Join(int o, int a, int anchors, int others, bool chosen)
    {
        var f = _others[o];
        var anchor = _anchors[a];
        _joined[f] = true;
        _nextMember[_lastMember[f]] = _firstMember[anchor];
        _firstMember[anchor] = _firstMember[f];
        _priorities[anchor] |= _priorities[f];
        Widen(ref _quota[anchor], _quota[f]);

        // After a choice, being the only fit may follow from the choice: no longer sure.
        _chosen[anchor] |= chosen || _choiceMade;
        for (var other = 0; other < others; other++)
        {
            if (!_joined[_others[other]])
            {
                Score(other, a, anchors);
            }
        }
    }

    private void Score(int o, int a, int anchors)
    {
        var pair = (o * anchors) + a;
        _fits[pair] = Fits(_others[o], _anchors[a]);
        _evidence[pair] = _fits[pair] ? Evidence(_others[o], _anchors[a]) : double.NaN;
    }

    /// <summary>
    /// Whether fragment <paramref name="f"/> can be the same person as <paramref name="anchor"/>: no priority, offer or
    /// quota kind in conflict, and equal КБ wherever both have applications on one formula.
    /// </summary>
    private bool Fits(int f, int anchor)
    {
        if ((_priorities[f] & _priorities[anchor]) != 0)
        {
            return false;
        }

        var quota = _quota[anchor];
        if (!Widen(ref quota, _quota[f]))
        {
            return false;
        }

        for (var x = _firstMember[f]; x >= 0; x = _nextMember[x])
        {
            ref readonly var fx = ref Facts(x);
            for (var y = _firstMember[anchor]; y >= 0; y = _nextMember[y])
            {
                ref readonly var fy = ref Facts(y);
                if (fx.Offer == fy.Offer || DifferentScoresOnOneFormula(fx, fy))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Evidence (a log likelihood ratio, <see cref="ScoreCalibration.Evidence"/>) that fragment <paramref name="f"/> and
    /// <paramref name="anchor"/> are one person, summed over pairs of their КБ; a formula counts once per fragment, since
    /// one person's applications on it repeat one КБ. 0 when there is nothing to compare.
    /// </summary>
    private double Evidence(int f, int anchor)
    {
        var evidence = 0.0;
        for (var x = _firstMember[f]; x >= 0; x = _nextMember[x])
        {
            ref readonly var fx = ref Facts(x);
            if (!fx.Scored || FormulaSeenBefore(_firstMember[f], x))
            {
                continue;
            }

            for (var y = _firstMember[anchor]; y >= 0; y = _nextMember[y])
            {
                ref readonly var fy = ref Facts(y);
                if (!fy.Scored || FormulaSeenBefore(_firstMember[anchor], y))
                {
                    continue;
                }

                evidence += fx.Formula >= 0 && fx.Formula == fy.Formula
                    ? EqualScoreEvidence
                    : calibration.Evidence(fx.Formula, fx.Base, fy.Formula, fy.Base);
            }
        }

        return evidence;
    }

    private void Emit(int fragments)
    {
        // A fragment left apart that fits some anchors may be theirs: those persons may miss applications. One that fits
        // none is a person without priority 1, whose other fragments may sit with any anchor: nobody here is sure.
        var anchorless = _anchorCount == 0;
        for (var o = 0; o < _otherCount && !anchorless; o++)
        {
            if (!_joined[_others[o]])
            {
                var fitsAny = false;
                for (var a = 0; a < _anchorCount; a++)
                {
                    var fits = _fits[(o * _anchorCount) + a];
                    _open[_anchors[a]] |= fits;
                    fitsAny |= fits;
                }

                anchorless |= !fitsAny;
            }
        }

        for (var a = 0; a < _anchorCount; a++)
        {
            var priorities = _priorities[_anchors[a]];
            _open[_anchors[a]] |= anchorless || (priorities & (priorities + 1)) != 0;
        }

        var persons = 0;
        for (var f = 0; f < fragments; f++)
        {
            if (!_joined[f])
            {
                persons++;
            }
        }

        for (var f = 0; f < fragments; f++)
        {
            if (_joined[f])
            {
                continue;
            }

            var confidence = (_priorities[f] & 1) == 0 ? PersonMatchConfidence.Unresolved
                : _chosen[f] ? PersonMatchConfidence.Chosen
                : _open[f] ? PersonMatchConfidence.Open
                : persons == 1 && !_collided ? PersonMatchConfidence.Unique
                : PersonMatchConfidence.Linked;
            var id = NewGroup(confidence);
            for (var x = _firstMember[f]; x >= 0; x = _nextMember[x])
            {
                group[_application[x]] = id;
            }
        }
    }

    /// <summary>Both on one known formula, both scored, and no КБ fits both scores: two persons.</summary>
    private static bool DifferentScoresOnOneFormula(in MatchingFacts a, in MatchingFacts b) =>
        a.Formula >= 0 && a.Formula == b.Formula && a.Scored && b.Scored && (a.Low > b.High || b.Low > a.High);

    /// <summary>Whether an earlier scored application of the span has the same known formula (its КБ stands for both).</summary>
    private bool FormulaSeenBefore(ReadOnlySpan<int> applications, int x)
    {
        var formula = facts[applications[x]].Formula;
        if (formula < 0)
        {
            return false;
        }

        for (var y = 0; y < x; y++)
        {
            ref readonly var fy = ref facts[applications[y]];
            if (fy.Scored && fy.Formula == formula)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a scored member before <paramref name="x"/> in the list from <paramref name="first"/> has the same known formula.</summary>
    private bool FormulaSeenBefore(int first, int x)
    {
        var formula = Facts(x).Formula;
        if (formula < 0)
        {
            return false;
        }

        for (var y = first; y != x; y = _nextMember[y])
        {
            if (Facts(y).Scored && Facts(y).Formula == formula)
            {
                return true;
            }
        }

        return false;
    }

    private int NewGroup(PersonMatchConfidence confidence)
    {
        groups.Add(confidence);
        return groups.Count - 1;
    }

    private ref readonly MatchingFacts Facts(int local) => ref facts[_application[local]];

    /// <summary>Whether quota kind <paramref name="next"/> can be the same person's as <paramref name="quota"/> (one kind per person); widens it.</summary>
    private static bool Widen(ref QuotaKind quota, QuotaKind next)
    {
        if (next == QuotaKind.None || next == quota)
        {
            return true;
        }

        if (quota == QuotaKind.None)
        {
            quota = next;
            return true;
        }

        return false;
    }

    private int Find(int i)
    {
        while (_parent[i] != i)
        {
            _parent[i] = _parent[_parent[i]];
            i = _parent[i];
        }

        return i;
    }

    private void Union(int a, int b)
    {
        var ra = Find(a);
        var rb = Find(b);
        if (ra != rb)
        {
            _parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
    }

    private void Reserve(int count)
    {
        if (_application.Length >= count)
        {
            return;
        }

        var size = Math.Max(count, _application.Length * 2);
        _application = new int[size];
        _parent = new int[size];
        _order = new int[size];
        _fragmentOf = new int[size];
        _nextMember = new int[size];
        _firstMember = new int[size];
        _lastMember = new int[size];
        _priorities = new int[size];
        _quota = new QuotaKind[size];
        _joined = new bool[size];
        _chosen = new bool[size];
        _open = new bool[size];
        _anchors = new int[size];
        _others = new int[size];
    }

    private void ReservePairs(int pairs)
    {
        if (_fits.Length < pairs)
        {
            _fits = new bool[Math.Max(pairs, _fits.Length * 2)];
            _evidence = new double[_fits.Length];
        }
    }

    /// <summary>Orders local applications by formula, then by the low end of their КБ interval.</summary>
    private readonly struct ByFormulaAndLow(MatchingFacts[] facts, int[] application) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            ref readonly var fx = ref facts[application[x]];
            ref readonly var fy = ref facts[application[y]];
            return fx.Formula != fy.Formula ? fx.Formula.CompareTo(fy.Formula) : fx.Low.CompareTo(fy.Low);
        }
    }
}
