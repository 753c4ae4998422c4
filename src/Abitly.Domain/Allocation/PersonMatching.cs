using Abitly.Domain.Ranking;
using Abitly.Domain.Scoring;

namespace Abitly.Domain.Allocation;

/// <summary>
/// Finds the persons behind a campaign's budget applications (docs/allocation.md, "Persons across lists"): by the
/// person key where an application has one, else by a heuristic over the published fields — the same name, at most one
/// application per priority and per offer, one quota kind, equal КБ on offers with one formula, and scores that fit.
/// </summary>
/// <remarks>
/// Where the fields leave a choice open, the matcher splits rather than merges: an application it cannot place counts as
/// a person of its own. A split keeps someone competing twice, which pushes cut-offs up (the simulation is stricter than
/// reality); a wrong merge takes a real competitor off a list, which pulls cut-offs down (it promises seats that are not
/// there). The first error is the one a user can live with.
/// </remarks>
public static class PersonMatching
{
    /// <summary>The lowest <see cref="PersonMatchResult.MatchedShare"/> at which a simulation is shown.</summary>
    /// <remarks>
    /// Measured on generated campaigns of 60,000 to 1,160,000 rows with the person keys dropped, names as stored or
    /// poorer, formulas known (docs/allocation.md, "Persons across lists"; the <c>matching</c> benchmark): in all 24
    /// cases with a matched share of 0.90 or more, the simulated cut-offs on matched persons differed from those on true
    /// persons by at most 0.05 points on average and 0.22 points at the 95th percentile, with at least 90 % of the offers'
    /// cut-offs identical. Below it the error grows: 0.04–0.15 points on average and up to 0.94 at the 95th percentile
    /// with poorer names, 0.10–0.14 and 0.6–1.05 when the cancelled applications are missing. A fifth of a point is well
    /// inside what the simulation can promise anyway; a point moves users from one side of a cut-off to the other.
    /// </remarks>
    public const double MinMatchedShare = 0.90;

    /// <summary>The lowest <see cref="PersonMatchResult.FormulaShare"/> at which a simulation is shown.</summary>
    /// <remarks>
    /// Without a known formula a name shared by several persons is split by priorities and loose score distances only,
    /// and the matched share stops predicting the error: with the formula unknown on 10 % of the offers the campaign
    /// preset kept a matched share of 0.93 while its cut-offs moved by 0.06 points on average and 0.36 at the 95th
    /// percentile; at 5 % by at most 0.053 and 0.165, about the worst that <see cref="MinMatchedShare"/> lets through.
    /// The adapter (<c>SnapshotOffer.ToMatchingOffer</c>: the weights, else the speciality) always knows the formula,
    /// so real snapshots pass; the guard is for callers that cannot say.
    /// </remarks>
    public const double MinFormulaShare = 0.95;

    /// <summary>Matches every application to a person.</summary>
    /// <param name="offers">The offers; an application's <see cref="MatchingApplication.Offer"/> indexes them.</param>
    /// <param name="applications">
    /// The budget applications of the campaign, whatever their status: a cancelled application still shows its person's
    /// priority, and the allocation can then take the active ones with the same person indices.
    /// </param>
    /// <exception cref="ArgumentException">An offer index is out of range, a priority is not 1–5, a quota kind is unknown, a name is missing, or an РК is not in (0, 2].</exception>
    public static PersonMatchResult Match(ReadOnlySpan<MatchingOffer> offers, ReadOnlySpan<MatchingApplication> applications)
    {
        var formulas = new Dictionary<string, int>(StringComparer.Ordinal);
        var offerFormula = new int[offers.Length];
        var multiplier = new double[offers.Length];
        var bonusMultiplier = new double[offers.Length];
        for (var o = 0; o < offers.Length; o++)
        {
            var offer = offers[o];
            if (offer.RegionalCoefficient is <= 0m or > 2m)
            {
                throw new ArgumentException($"Offer {o} has РК {offer.RegionalCoefficient}; it must be in (0, 2].", nameof(offers));
            }

            offerFormula[o] = offer.Formula is null ? -1 : FormulaId(formulas, offer.Formula);
            multiplier[o] = (double)offer.RegionalCoefficient;
            bonusMultiplier[o] = (double)(offer.RegionalCoefficient * SectoralCoefficient.For(offer.SectoralCoefficient, 1));
        }

        var count = applications.Length;
        var facts = new MatchingFacts[count];
        var group = new int[count];
        var groups = new List<PersonMatchConfidence>();
        var keyGroups = new Dictionary<string, int>(StringComparer.Ordinal);
        var nameIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var nameOf = new int[count];
        var nameSizes = new List<int>();
        int unkeyed = 0, withFormula = 0;
        for (var a = 0; a < count; a++)
        {
            var application = applications[a];
            if ((uint)application.Offer >= (uint)offers.Length)
            {
                throw new ArgumentException($"Application {a} names offer {application.Offer}; there are {offers.Length}.", nameof(applications));
            }

            if (application.Priority is < 1 or > BudgetAllocation.MaxPriority)
            {
                throw new ArgumentException($"Application {a} has priority {application.Priority}; budget priorities are 1–5.", nameof(applications));
            }

            if (application.Quota is not (QuotaKind.None or QuotaKind.Quota1 or QuotaKind.Quota2))
            {
                throw new ArgumentException($"Application {a} has an unknown quota kind {application.Quota}.", nameof(applications));
            }

            var o = application.Offer;
            facts[a] = MatchingFacts.Of(application, offerFormula[o], application.Priority <= SectoralCoefficient.MaxPriority ? bonusMultiplier[o] : multiplier[o]);
            if (!string.IsNullOrEmpty(application.PersonKey))
            {
                nameOf[a] = -1;
                if (!keyGroups.TryGetValue(application.PersonKey, out var keyed))
                {
                    keyed = groups.Count;
                    groups.Add(PersonMatchConfidence.Key);
                    keyGroups.Add(application.PersonKey, keyed);
                }

                group[a] = keyed;
                continue;
            }

            if (string.IsNullOrWhiteSpace(application.Name))
            {
                throw new ArgumentException($"Application {a} has neither a person key nor a name.", nameof(applications));
            }

            var nameKey = NameKey(application.Name);
            if (!nameIds.TryGetValue(nameKey, out var name))
            {
                name = nameSizes.Count;
                nameIds.Add(nameKey, name);
                nameSizes.Add(0);
            }

            nameOf[a] = name;
            nameSizes[name]++;
            unkeyed++;
            withFormula += offerFormula[o] >= 0 ? 1 : 0;
        }

        // The applications of each name side by side (a counting sort by name), then each name on its own.
        var start = new int[nameSizes.Count + 1];
        for (var name = 0; name < nameSizes.Count; name++)
        {
            start[name + 1] = start[name] + nameSizes[name];
        }

        var byName = new int[start[^1]];
        var filled = start[..^1];
        for (var a = 0; a < count; a++)
        {
            if (nameOf[a] >= 0)
            {
                byName[filled[nameOf[a]]++] = a;
            }
        }

        // Pass 1 learns from the names that can only be one person how one person's КБ differ across formulas;
        // pass 2 splits every name into persons with that knowledge.
        var calibration = new ScoreCalibration();
        foreach (ref readonly var fact in facts.AsSpan())
        {
            if (fact.Scored)
            {
                calibration.AddBase(fact.Base);
            }
        }

        var resolver = new NameResolver(facts, group, groups, calibration);
        for (var name = 0; name < nameSizes.Count; name++)
        {
            resolver.Learn(byName.AsSpan(start[name], nameSizes[name]));
        }

        calibration.Complete();
        for (var name = 0; name < nameSizes.Count; name++)
        {
            resolver.Resolve(byName.AsSpan(start[name], nameSizes[name]));
        }

        return Number(group, groups, unkeyed == 0 ? 1.0 : (double)withFormula / unkeyed);
    }

    /// <summary>
    /// The name as matching compares it: the stored text, with the apostrophes lists write differently (’ ʼ ` ′) as one
    /// and the spaces trimmed. Names are already in the stored form, so anything else is left as it is.
    /// </summary>
    internal static string NameKey(string name)
    {
        var trimmed = name.Trim();
        return trimmed.AsSpan().IndexOfAny("’ʼ`′") < 0
            ? trimmed
            : trimmed.Replace('’', '\'').Replace('ʼ', '\'').Replace('`', '\'').Replace('′', '\'');
    }

    private static int FormulaId(Dictionary<string, int> formulas, string formula)
    {
        if (!formulas.TryGetValue(formula, out var id))
        {
            id = formulas.Count;
            formulas.Add(formula, id);
        }

        return id;
    }

    /// <summary>Persons numbered in order of their first application, so the numbering depends only on the input.</summary>
    private static PersonMatchResult Number(int[] group, List<PersonMatchConfidence> groups, double formulaShare)
    {
        var number = new int[groups.Count];
        Array.Fill(number, -1);
        var confidence = new PersonMatchConfidence[groups.Count];
        var byConfidence = new int[Enum.GetValues<PersonMatchConfidence>().Length];
        var persons = 0;
        var person = new int[group.Length];
        for (var a = 0; a < group.Length; a++)
        {
            var g = group[a];
            if (number[g] < 0)
            {
                number[g] = persons;
                confidence[persons++] = groups[g];
            }

            person[a] = number[g];
            byConfidence[(int)groups[g]]++;
        }

        return new PersonMatchResult(person, confidence[..persons], byConfidence, formulaShare);
    }
}

/// <summary>What matching needs of one application, with its score turned back into the КБ interval it allows.</summary>
/// <param name="Offer">Offer index.</param>
/// <param name="Priority">Priority 1–5.</param>
/// <param name="Quota">Quota kind.</param>
/// <param name="Formula">The offer's formula id, -1 when unknown.</param>
/// <param name="Low">Lowest КБ (thousandths) that publishes this score: (score − 0.5) / (РК·ГК); NaN when unscored.</param>
/// <param name="High">Highest such КБ; +∞ for a score capped at 200.</param>
/// <param name="Base">Score / (РК·ГК): the КБ the score points at; NaN when unscored.</param>
internal readonly record struct MatchingFacts(int Offer, int Priority, QuotaKind Quota, int Formula, double Low, double High, double Base)
{
    private const int CappedScore = 200_000;

    // A little slack so that the division's rounding never splits two applications of one person.
    private const double Slack = 1e-6;

    public bool Scored => !double.IsNaN(Base);

    public static MatchingFacts Of(in MatchingApplication application, int formula, double multiplier)
    {
        if (application.Score == AdmissionOrder.Unscored)
        {
            return new MatchingFacts(application.Offer, application.Priority, application.Quota, formula, double.NaN, double.NaN, double.NaN);
        }

        // Published = round(min(КБ·m, 200), 3): half a thousandth either side, and anything above when capped.
        var score = application.Score;
        var low = ((score - 0.5) / multiplier) - Slack;
        var high = score >= CappedScore ? double.PositiveInfinity : ((score + 0.5) / multiplier) + Slack;
        return new MatchingFacts(application.Offer, application.Priority, application.Quota, formula, low, high, score / multiplier);
    }
}
