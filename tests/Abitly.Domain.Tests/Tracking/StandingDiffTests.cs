using Abitly.Domain.Ranking;
using Abitly.Domain.Tracking;

namespace Abitly.Domain.Tests.Tracking;

public class StandingDiffTests
{
    private static readonly AlertPreference All3 = new(AlertMode.All, 3);
    private static readonly AlertPreference Important3 = new(AlertMode.Important, 3);
    private static readonly AlertPreference Off = new(AlertMode.Off, 3);
    private static readonly decimal[] Scores = [190m, 185m, 180m, 175m, 170m, 165m];

    // A linked user at place 100 of 120 general seats, score 170, cut-off 168.5; 130 budget places.
    private static readonly OfferStanding Told = new(168.5m, 130, 120, false, new PersonalStanding(170m, 100, 100, BudgetSide.Inside, 1.5m));

    private static OfferStanding WithPlace(int place, int seats = 120) =>
        Told with { Personal = Told.Personal! with { Place = place, PlaceWorst = place, Side = PersonalStanding.SideOf(place, seats) } };

    public static TheoryData<string, OfferStanding, AlertPreference, AlertTriggers> Cases => new()
    {
        { "nothing moved", Told, All3, AlertTriggers.None },
        { "place by 2 under threshold 3", WithPlace(102), All3, AlertTriggers.None },
        { "place by 3 at threshold 3", WithPlace(103), All3, AlertTriggers.PlaceMoved },
        { "place up by 3", WithPlace(97), All3, AlertTriggers.PlaceMoved },
        { "crossing out by 21 places", WithPlace(121), All3, AlertTriggers.PlaceMoved | AlertTriggers.BudgetLineCrossed },
        { "important ignores a move of 4", WithPlace(104), Important3, AlertTriggers.None },
        { "important counts a move of 5", WithPlace(105), Important3, AlertTriggers.PlaceMoved },
        { "important ignores the cut-off", Told with { CutOff = 170m }, Important3, AlertTriggers.None },
        { "cut-off by 0.499", Told with { CutOff = 168.999m }, All3, AlertTriggers.None },
        { "cut-off by 0.5", Told with { CutOff = 169.0m }, All3, AlertTriggers.CutOffMoved },
        { "cut-off down by 0.5", Told with { CutOff = 168.0m }, All3, AlertTriggers.CutOffMoved },
        { "cut-off disappears (list emptied)", Told with { CutOff = null }, All3, AlertTriggers.CutOffMoved },
        { "seats changed", Told with { BudgetPlaces = 110 }, Important3, AlertTriggers.SeatsChanged },
        { "withdrawn hides everything else", WithPlace(150) with { Withdrawn = true, CutOff = 190m }, All3, AlertTriggers.Withdrawn },
        { "off hears nothing", WithPlace(150) with { Withdrawn = true }, Off, AlertTriggers.None },
        { "unlinked: place gone, cut-off within 0.5", Told with { Personal = null, CutOff = 168.9m }, All3, AlertTriggers.None },
        { "unlinked: cut-off by 1", Told with { Personal = null, CutOff = 169.5m }, All3, AlertTriggers.CutOffMoved },
        { "score changed: no personal triggers", Told with { Personal = Told.Personal! with { Score = 160m, Place = 300, Side = BudgetSide.Outside } }, All3, AlertTriggers.None },
        { "no budget any more: seats trigger, not a crossing", Told with { BudgetPlaces = 0, GeneralSeats = 0, Personal = Told.Personal! with { Side = BudgetSide.NoBudget } }, Important3, AlertTriggers.SeatsChanged },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Triggers_follow_the_rules(string why, OfferStanding now, AlertPreference preference, AlertTriggers expected)
    {
        Assert.True(expected == StandingDiff.Compare(Told, now, preference), why);
    }

    [Fact]
    public void Crossing_the_line_by_one_place_alerts_whatever_the_threshold()
    {
        var onTheLine = WithPlace(120);
        Assert.Equal(AlertTriggers.BudgetLineCrossed, StandingDiff.Compare(onTheLine, WithPlace(121), new AlertPreference(AlertMode.Important, 20)));
        Assert.Equal(AlertTriggers.BudgetLineCrossed, StandingDiff.Compare(WithPlace(121), onTheLine, new AlertPreference(AlertMode.All, 20)));
    }

    [Fact]
    public void A_withdrawn_offer_that_returns_reports_reinstatement()
    {
        var withdrawn = Told with { Withdrawn = true };
        Assert.Equal(AlertTriggers.Reinstated, StandingDiff.Compare(withdrawn, Told, Important3));
        Assert.Equal(AlertTriggers.None, StandingDiff.Compare(withdrawn, withdrawn with { CutOff = 190m }, All3));
    }

    [Fact]
    public void Told_without_a_place_never_alerts_on_the_place_but_is_rebaselined()
    {
        var unlinked = Told with { Personal = null };
        Assert.Equal(AlertTriggers.None, StandingDiff.Compare(unlinked, WithPlace(130), All3));
        Assert.Equal(WithPlace(130).Personal, StandingDiff.Rebaseline(unlinked, WithPlace(130))!.Personal);
        // The offer-level part of the told standing stays: a cut-off drift still accumulates.
        Assert.Equal(168.5m, StandingDiff.Rebaseline(unlinked, WithPlace(130) with { CutOff = 168.8m })!.CutOff);
    }

    [Fact]
    public void Rebaseline_only_when_a_place_appears_or_the_score_changes()
    {
        Assert.Null(StandingDiff.Rebaseline(Told, WithPlace(101)));
        Assert.Null(StandingDiff.Rebaseline(Told, Told with { Personal = null }));   // unlinking keeps the old place for later
        var newScore = Told with { Personal = Told.Personal! with { Score = 171m, Place = 90 } };
        Assert.Equal(90, StandingDiff.Rebaseline(Told, newScore)!.Personal!.Place);
    }

    [Theory]
    [InlineData(100, 120, BudgetSide.Inside)]
    [InlineData(120, 120, BudgetSide.Inside)]
    [InlineData(121, 120, BudgetSide.Outside)]
    [InlineData(1, 0, BudgetSide.NoBudget)]
    [InlineData(1, null, BudgetSide.NoBudget)]
    public void The_budget_line_is_the_last_general_seat(int place, int? seats, BudgetSide expected) =>
        Assert.Equal(expected, PersonalStanding.SideOf(place, seats));

    [Fact]
    public void A_personal_standing_reads_the_offer_views_estimate()
    {
        // 5 general seats; scores 190, 185, 180, 175, 170, 165: a 172 is 5th, inside, 2 points above the cut-off 170.
        var competition = BudgetCompetition.From([.. Scores.Select(s => new RankedApplication(s, 1, "Допущено"))], new BudgetSeats(5, 0, 0));
        var standing = PersonalStanding.From(172m, RankEstimator.Estimate(competition, 172m));
        Assert.Equal(new PersonalStanding(172m, 5, 5, BudgetSide.Inside, 2m), standing);
    }

    [Theory]
    [InlineData(AlertMode.All, 1, 1)]
    [InlineData(AlertMode.All, 10, 10)]
    [InlineData(AlertMode.Important, 3, 5)]
    [InlineData(AlertMode.Important, 10, 10)]
    [InlineData(AlertMode.Off, 3, null)]
    public void The_place_threshold_depends_on_the_mode(AlertMode mode, int chosen, int? expected) =>
        Assert.Equal(expected, new AlertPreference(mode, chosen).EffectivePlaceThreshold);
}
