using Abitly.Domain.Allocation;
using Abitly.Domain.Ranking;

namespace Abitly.Campaign.Tests;

/// <summary>How snapshot offers and applications become the person matcher's input.</summary>
public class MatchingAdapterTests
{
    private static SnapshotOffer Offer(IReadOnlyList<SnapshotWeight> weights, bool preparatory = false) => new(
        1402001,
        new SnapshotUniversity("Університет", "м. Київ"),
        new SnapshotSpeciality("F3", "Комп'ютерні науки"),
        "Програма",
        "Денна",
        "Бакалавр",
        100,
        10,
        5,
        1.07m,
        true,
        weights,
        [],
        PreparatoryPointsApply: preparatory);

    private static readonly SnapshotWeight[] Weights =
    [
        new(1, "ukr", 0.30m), new(2, "math", 0.50m), new(3, "hist", 0.20m), new(4, "eng", 0.30m), new(4, "phys", 0.40m),
    ];

    [Fact]
    public void An_offer_with_weights_matches_on_its_formula_with_its_РК_and_ГК()
    {
        var offer = Offer(Weights).ToMatchingOffer(2026);

        Assert.Equal(MatchingOffer.FormulaOf(Offer(Weights).ToOfferWeights(2026)!, preparatoryPointsApply: false), offer.Formula);
        Assert.Equal((1.07m, true), (offer.RegionalCoefficient, offer.SectoralCoefficient));
        Assert.NotEqual(offer.Formula, Offer(Weights, preparatory: true).ToMatchingOffer(2026).Formula);
    }

    [Fact]
    public void An_offer_without_weights_matches_on_its_speciality()
    {
        var offer = Offer([]).ToMatchingOffer(2026);

        Assert.Equal(MatchingOffer.ForSpeciality("F3", false, 1.07m, true), offer);
    }

    [Fact]
    public void A_budget_application_brings_its_stored_name_its_score_in_thousandths_and_its_key()
    {
        var application = new SnapshotApplication(3, "Шевченко Андрій Богданович", 167.829m, 2, "Допущено", QuotaKind.Quota1, "p42");

        Assert.Equal(new MatchingApplication(7, "Шевченко А. Б.", 167_829, 2, QuotaKind.Quota1, "p42"), application.ToMatchingApplication(7));
        Assert.Equal(AdmissionOrder.Unscored, (application with { Score = null }).ToMatchingApplication(7).Score);
        Assert.Throws<InvalidOperationException>(() => (application with { Priority = null }).ToMatchingApplication(7));
    }
}
