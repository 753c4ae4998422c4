using System.Globalization;
using System.Text;
using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;

namespace Abitly.Domain.Tests.Allocation;

/// <summary>A whole allocation input, as the tests build or generate it.</summary>
public sealed record Campaign(AllocationOffer[] Offers, AllocationApplication[] Applications, int[] TieRanks)
{
    public int Persons => TieRanks.Length;

    public AllocationResult Allocate() => BudgetAllocation.Allocate(Offers, Applications, TieRanks);

    /// <summary>The application a person made to an offer, or -1.</summary>
    public int ApplicationOf(int person, int offer) =>
        Array.FindIndex(Applications, a => a.Person == person && a.Offer == offer);

    /// <summary>The same campaign in a form FsCheck can print when a property fails.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Offers.Length} offers, {Persons} persons, {Applications.Length} applications\n");
        for (var o = 0; o < Offers.Length; o++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  offer {o}: budget {Offers[o].BudgetPlaces}, q1 {Offers[o].Quota1Places}, q2 {Offers[o].Quota2Places}\n");
        }

        foreach (var a in Applications)
        {
            text.Append(CultureInfo.InvariantCulture, $"  person {a.Person} (tie {TieRanks[a.Person]}) → offer {a.Offer}, priority {a.Priority}, score {a.Score}, {a.Quota}\n");
        }

        return text.ToString();
    }
}

/// <summary>Builds a small campaign by hand: offers, persons, their applications (scores in points, as published).</summary>
public sealed class CampaignBuilder
{
    private readonly List<AllocationOffer> _offers = [];
    private readonly List<AllocationApplication> _applications = [];
    private readonly List<int> _tieRanks = [];

    public int Offer(int budgetPlaces, int quota1Places = 0, int quota2Places = 0)
    {
        _offers.Add(new AllocationOffer(1_000_000 + _offers.Count, budgetPlaces, quota1Places, quota2Places));
        return _offers.Count - 1;
    }

    /// <summary>A person; by default the tie rank is the order of creation.</summary>
    public int Person(int? tieRank = null)
    {
        _tieRanks.Add(tieRank ?? _tieRanks.Count);
        return _tieRanks.Count - 1;
    }

    public int Apply(int person, int offer, int priority, decimal score, QuotaKind quota = QuotaKind.None)
    {
        _applications.Add(new AllocationApplication(person, offer, priority, Thousandths(score), quota));
        return _applications.Count - 1;
    }

    public Campaign Build() => new([.. _offers], [.. _applications], [.. _tieRanks]);

    public static int Thousandths(decimal score) => (int)(score * 1000m);
}
