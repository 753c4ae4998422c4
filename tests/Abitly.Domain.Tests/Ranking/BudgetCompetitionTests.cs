using Abitly.Domain.Ranking;

namespace Abitly.Domain.Tests.Ranking;

public sealed class BudgetCompetitionTests
{
    [Fact]
    public void Binary_search_counts_equal_a_plain_count_on_random_lists()
    {
        var random = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var applications = Enumerable.Range(0, random.Next(0, 300))
                .Select(_ => new RankedApplication(
                    random.Next(10) == 0 ? null : 140m + random.Next(0, 40) + (random.Next(4) * 0.25m),
                    random.Next(6) == 0 ? null : random.Next(1, 7),
                    random.Next(8) == 0 ? "Скасовано вступником" : "Допущено",
                    random.Next(10) == 0 ? QuotaKind.Quota1 : QuotaKind.None))
                .ToList();
            var competition = BudgetCompetition.From(applications, new BudgetSeats(null, 0, 0));
            var general = applications
                .Where(a => a.Score is not null && a.Priority is >= 1 and <= 5 && a.Status == "Допущено")
                .Select(a => a.Score!.Value)
                .ToList();
            var probe = 140m + random.Next(0, 40) + (random.Next(4) * 0.25m);

            Assert.Equal(general.Count(s => s > probe), competition.CountAbove(probe));
            Assert.Equal(general.Count(s => s >= probe), competition.CountAtLeast(probe));
            Assert.Equal(general.Count, competition.ActiveBudgetApplications);
        }
    }
}

/// <summary>The one cut-off rule of DESIGN.md §9, on lists worked out by hand.</summary>
public sealed class CutOffRuleTests
{
    private const string Ok = "Допущено";

    [Fact]
    public void Unfilled_quota_seats_pass_to_the_general_competition()
    {
        // Budget 5: quota 1 has 2 places and one applicant (seated), quota 2 has 1 place and nobody.
        // General seats = 5 − 1 = 4: scores 190, 180, 170, 160 take them; the cut-off is 160.
        RankedApplication[] list =
        [
            new(150m, 1, Ok, QuotaKind.Quota1),
            new(190m, 1, Ok), new(180m, 2, Ok), new(170m, 1, Ok), new(160m, 3, Ok), new(155m, 1, Ok),
        ];

        var competition = BudgetCompetition.From(list, new BudgetSeats(5, 2, 1));

        Assert.Equal((1, 0, 4), (competition.Quota1Seated, competition.Quota2Seated, competition.GeneralSeats));
        Assert.Equal(160m, competition.CutOff);
    }

    [Fact]
    public void A_quota_applicant_who_misses_a_quota_seat_competes_generally_and_can_win_a_seat()
    {
        // Quota 2 has 1 place: 185 takes it; 175 (quota 2) joins the general pool: 190, 175, 170 for 3 − 1 = 2 seats.
        RankedApplication[] list =
        [
            new(185m, 1, Ok, QuotaKind.Quota2), new(175m, 2, Ok, QuotaKind.Quota2),
            new(190m, 1, Ok), new(170m, 1, Ok),
        ];

        var competition = BudgetCompetition.From(list, new BudgetSeats(3, 0, 1));

        Assert.Equal(2, competition.GeneralSeats);
        Assert.Equal([190m, 175m, 170m], competition.GeneralScoresDescending);
        Assert.Equal(175m, competition.CutOff);
    }

    [Fact]
    public void No_cut_off_while_general_seats_are_left_or_for_a_contract_offer()
    {
        RankedApplication[] list = [new(190m, 1, Ok), new(180m, 1, "Скасовано вступником"), new(170m, null, Ok)];

        Assert.Null(BudgetCompetition.From(list, new BudgetSeats(2, 0, 0)).CutOff);   // one active budget applicant, two seats
        Assert.Equal(190m, BudgetCompetition.From(list, new BudgetSeats(1, 0, 0)).CutOff);
        var contract = BudgetCompetition.From(list, new BudgetSeats(null, 0, 0));
        Assert.Null(contract.GeneralSeats);
        Assert.Null(contract.CutOff);
    }
}

/// <summary>The one-pass build of the competition against the rule written out plainly, on lists in any order.</summary>
public sealed class BudgetCompetitionBuildTests
{
    private static readonly string[] Statuses =
        ["Допущено", "Зареєстровано", "Скасовано вступником", "Відмова", "Рекомендовано (бюджет)", " скасовано (втрата пріоритету)", "", null!];

    [Fact]
    public void Published_order_shuffled_order_and_the_plain_rule_give_the_same_competition()
    {
        var random = new Random(11);
        for (var round = 0; round < 300; round++)
        {
            var list = Enumerable.Range(0, random.Next(0, 400))
                .Select(_ => new RankedApplication(
                    random.Next(12) == 0 ? null : 120m + (random.Next(0, 8000) / 100m),
                    random.Next(7) == 0 ? null : random.Next(0, 8),
                    Statuses[random.Next(Statuses.Length)],
                    random.Next(8) switch { 1 => QuotaKind.Quota1, 2 => QuotaKind.Quota2, _ => QuotaKind.None }))
                .ToList();
            var seats = new BudgetSeats(random.Next(5) == 0 ? null : random.Next(0, 60), random.Next(0, 10), random.Next(0, 10));
            var published = list.OrderByDescending(a => a.Score ?? -1m).ToList();

            // The rule as DESIGN.md §9 states it: quota applicants seated best first up to their places, the rest compete generally.
            var competing = list.Where(a => a.Score is not null && a.Priority is >= 1 and <= 5 && ApplicationStatuses.IsActive(a.Status)).ToList();
            var (q1, q2) = seats.UsableQuotaPlaces;
            var quota1 = competing.Where(a => a.Quota == QuotaKind.Quota1).Select(a => a.Score!.Value).OrderByDescending(s => s).ToList();
            var quota2 = competing.Where(a => a.Quota == QuotaKind.Quota2).Select(a => a.Score!.Value).OrderByDescending(s => s).ToList();
            var expectedGeneral = competing.Where(a => a.Quota == QuotaKind.None).Select(a => a.Score!.Value)
                .Concat(quota1.Skip(q1)).Concat(quota2.Skip(q2)).OrderByDescending(s => s).ToList();

            foreach (var order in new[] { list, published })
            {
                var competition = BudgetCompetition.From(order, seats);
                Assert.Equal(expectedGeneral, competition.GeneralScoresDescending);
                Assert.Equal(competing.Count, competition.ActiveBudgetApplications);
                Assert.Equal((Math.Min(q1, quota1.Count), Math.Min(q2, quota2.Count)), (competition.Quota1Seated, competition.Quota2Seated));
            }
        }
    }

    [Fact]
    public void The_status_memo_answers_as_the_rule_beyond_its_capacity_too()
    {
        var memo = new ActiveStatusMemo();
        var texts = Statuses.Concat(Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? $"Відмовлено {i}" : $"Допущено {i}")).ToList();
        foreach (var text in texts.Concat(texts))
        {
            Assert.Equal(ApplicationStatuses.IsActive(text), memo.IsActive(text));
        }
    }
}

/// <summary>The view's cut-off rule and the allocation's choice of one offer are one rule: on a one-offer campaign they agree.</summary>
public sealed class CutOffRuleAgreesWithAllocation
{
    [FsCheck.Xunit.Property(MaxTest = 300)]
    public bool Same_seats_and_cut_off_as_the_allocation_of_a_single_offer(int[] raw, byte budget, byte quota1, byte quota2)
    {
        var seats = new BudgetSeats(budget % 12, quota1 % 4, quota2 % 4);
        var list = raw.Select((r, i) => new RankedApplication(
            150m + (Math.Abs(r % 40) / 2m),
            1,
            "Допущено",
            (Math.Abs(r / 40) % 6) switch { 0 => QuotaKind.Quota1, 1 => QuotaKind.Quota2, _ => QuotaKind.None })).ToList();

        var competition = BudgetCompetition.From(list, seats);
        var allocation = Abitly.Domain.Allocation.BudgetAllocation.Allocate(
            [new Abitly.Domain.Allocation.AllocationOffer(1, seats.BudgetPlaces ?? 0, seats.Quota1Places, seats.Quota2Places)],
            [.. list.Select((a, i) => new Abitly.Domain.Allocation.AllocationApplication(i, 0, 1, (int)(a.Score!.Value * 1000), a.Quota))],
            [.. Enumerable.Range(0, list.Count)]);
        var outcome = allocation.Offers[0];

        return outcome.Quota1Seated == competition.Quota1Seated
            && outcome.Quota2Seated == competition.Quota2Seated
            && outcome.GeneralSeated == Math.Min(competition.GeneralSeats ?? 0, competition.GeneralScoresDescending.Count)
            && outcome.GeneralCutOff == (competition.CutOff is { } c ? (int)(c * 1000) : null);
    }
}
