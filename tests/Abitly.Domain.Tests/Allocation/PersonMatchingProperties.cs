using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Abitly.Domain.Tests.Allocation;

/// <summary>
/// Properties of person matching on small random lists: 1–12 offers on three formulas (and some unknown), 1–60 persons
/// who share a few names, each with a КБ per formula published through the offer's РК and ГК, some with a person key.
/// </summary>
public class PersonMatchingProperties
{
    private static readonly string?[] Formulas = ["A", "B", "C", null];
    private static readonly decimal[] Regional = [1.00m, 1.04m, 1.07m];

    [Property(MaxTest = 200)]
    public Property Every_found_person_can_be_one_person() => Prop.ForAll(Lists(namePool: 4).ToArbitrary(), lists =>
    {
        var result = PersonMatching.Match(lists.Offers, lists.Applications);
        foreach (var person in Enumerable.Range(0, lists.Applications.Length).GroupBy(a => result.Person[a]))
        {
            var applications = person.Select(a => lists.Applications[a]).ToList();
            var quotas = applications.Select(a => a.Quota).Where(q => q != QuotaKind.None).Distinct().Count();
            var unkeyed = applications.All(a => a.PersonKey is null);
            if (unkeyed && (applications.Select(a => a.Priority).Distinct().Count() < applications.Count
                || applications.Select(a => a.Offer).Distinct().Count() < applications.Count
                || applications.Select(a => a.Name).Distinct().Count() > 1
                || quotas > 1))
            {
                return false;
            }
        }

        // And the allocation takes the persons as they are (it refuses a person with two equal priorities or offers).
        var allocation = lists.Applications.Select((a, i) => new AllocationApplication(result.Person[i], a.Offer, a.Priority, a.Score, a.Quota)).ToArray();
        var offers = lists.Offers.Select((_, o) => new AllocationOffer(o, 2, 0, 0)).ToArray();
        BudgetAllocation.Allocate(offers, allocation, Enumerable.Range(0, result.PersonCount).ToArray());
        return true;
    });

    [Property(MaxTest = 200)]
    public Property A_person_key_decides_alone() => Prop.ForAll(Lists(namePool: 4).ToArbitrary(), lists =>
    {
        var result = PersonMatching.Match(lists.Offers, lists.Applications);
        for (var a = 0; a < lists.Applications.Length; a++)
        {
            for (var b = 0; b < lists.Applications.Length; b++)
            {
                var (ka, kb) = (lists.Applications[a].PersonKey, lists.Applications[b].PersonKey);
                var together = result.Person[a] == result.Person[b];
                if ((ka is not null || kb is not null) && together != (ka == kb))
                {
                    return false;
                }
            }
        }

        return result.Confidence.Where((c, p) => c == PersonMatchConfidence.Key).Count() == lists.Applications.Where(a => a.PersonKey is not null).Select(a => a.PersonKey).Distinct().Count();
    });

    [Property(MaxTest = 200)]
    public Property Persons_with_names_of_their_own_and_a_priority_1_application_are_found_exactly() =>
        Prop.ForAll(Lists(namePool: 0).ToArbitrary(), lists =>
        {
            var result = PersonMatching.Match(lists.Offers, lists.Applications);
            var anchored = lists.Truth.GroupBy(p => p).Where(g => lists.Applications.Where((_, a) => lists.Truth[a] == g.Key).Any(a => a.Priority == 1)).Select(g => g.Key).ToHashSet();
            for (var a = 0; a < lists.Applications.Length; a++)
            {
                for (var b = 0; b < lists.Applications.Length; b++)
                {
                    if (anchored.Contains(lists.Truth[a]) && (result.Person[a] == result.Person[b]) != (lists.Truth[a] == lists.Truth[b]))
                    {
                        return false;
                    }
                }
            }

            return true;
        });

    [Property(MaxTest = 200)]
    public Property The_counts_add_up() => Prop.ForAll(Lists(namePool: 3).ToArbitrary(), lists =>
    {
        var result = PersonMatching.Match(lists.Offers, lists.Applications);
        var byPerson = Enumerable.Range(0, result.ApplicationCount).CountBy(a => result.Confidence[result.Person[a]]).ToDictionary();
        return result.ApplicationsByConfidence.Sum() == lists.Applications.Length
            && Enum.GetValues<PersonMatchConfidence>().All(c => result.ApplicationsByConfidence[(int)c] == byPerson.GetValueOrDefault(c))
            && result.MatchedShare is >= 0 and <= 1
            && result.Person.Distinct().Count() == result.PersonCount
            && (result.PersonCount == 0 || result.Person.Max() == result.PersonCount - 1);
    });

    /// <summary>Random lists; <paramref name="namePool"/> names shared by all persons, or 0 for a name per person.</summary>
    private static Gen<MatchingLists> Lists(int namePool) =>
        from offerCount in Gen.Choose(1, 12)
        from offers in Gen.ArrayOf(Offer(), offerCount)
        from personCount in Gen.Choose(1, 60)
        from persons in Gen.ArrayOf(Person(offerCount, namePool), personCount)
        select Build(offers, persons);

    private static Gen<MatchingOffer> Offer() =>
        from formula in Gen.Elements(Formulas)
        from regional in Gen.Elements(Regional)
        from sectoral in Gen.Elements(true, false)
        select new MatchingOffer(formula, regional, sectoral);

    private static Gen<PersonDraft> Person(int offerCount, int namePool) =>
        from count in Gen.Choose(1, 5)
        from offers in Gen.Shuffle(Enumerable.Range(0, offerCount))
        from contiguous in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
        from priorities in Gen.Shuffle(Enumerable.Range(1, 5))
        from name in Gen.Choose(0, Math.Max(0, namePool - 1))
        from quota in Gen.Frequency((8, Gen.Constant(QuotaKind.None)), (1, Gen.Constant(QuotaKind.Quota1)), (1, Gen.Constant(QuotaKind.Quota2)))
        from kb in Gen.ArrayOf(Gen.Choose(120_000, 195_000), Formulas.Length)
        from keyed in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from unscored in Gen.ArrayOf(Gen.Frequency((19, Gen.Constant(false)), (1, Gen.Constant(true))), 5)
        select new PersonDraft(
            [.. offers.Take(Math.Min(count, offerCount))],
            contiguous ? [.. Enumerable.Range(1, 5)] : priorities,
            namePool == 0 ? -1 : name,
            quota,
            kb,
            keyed,
            unscored);

    private static MatchingLists Build(MatchingOffer[] offers, PersonDraft[] persons)
    {
        var applications = new List<MatchingApplication>();
        var truth = new List<int>();
        for (var p = 0; p < persons.Length; p++)
        {
            var person = persons[p];
            var name = person.Name < 0 ? $"Особа{p} А. Б." : $"Ім'я{person.Name} А. Б.";
            for (var i = 0; i < person.Offers.Length; i++)
            {
                var offer = offers[person.Offers[i]];
                var priority = person.Priorities[i];
                var formula = Array.IndexOf(Formulas, offer.Formula);
                var score = person.Unscored[i] ? AdmissionOrder.Unscored : Published(person.Kb[formula], offer, priority);
                applications.Add(new MatchingApplication(person.Offers[i], name, score, priority, person.Quota, person.Keyed ? $"key{p}" : null));
                truth.Add(p);
            }
        }

        return new MatchingLists(offers, [.. applications], [.. truth]);
    }

    /// <summary>The published score: КБ × РК × ГК (priorities 1–2), capped at 200, rounded half-up to 0.001.</summary>
    private static int Published(int kb, MatchingOffer offer, int priority)
    {
        var multiplier = offer.RegionalCoefficient * (offer.SectoralCoefficient && priority <= 2 ? 1.02m : 1.00m);
        var score = Math.Min(kb / 1000m * multiplier, 200m);
        return (int)(Math.Round(score, 3, MidpointRounding.AwayFromZero) * 1000m);
    }

    private sealed record PersonDraft(int[] Offers, int[] Priorities, int Name, QuotaKind Quota, int[] Kb, bool Keyed, bool[] Unscored);

    public sealed record MatchingLists(MatchingOffer[] Offers, MatchingApplication[] Applications, int[] Truth)
    {
        public override string ToString() =>
            string.Join("; ", Applications.Select((a, i) => $"{Truth[i]}:{a.Name}/o{a.Offer}/p{a.Priority}/{a.Score}/{a.Quota}/{a.PersonKey}"));
    }
}
