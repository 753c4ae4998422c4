using Abitly.Domain.Allocation;

namespace Abitly.Campaign.Generation;

/// <summary>How the simulated general cut-offs of one allocation agree with those of another, offer by offer (scores in thousandths).</summary>
/// <param name="Offers">Offers with budget places compared.</param>
/// <param name="Identical">Offers whose cut-off is the same in both, a free seat in both included.</param>
/// <param name="BothCut">Offers with a cut-off in both: the differences below are over these.</param>
/// <param name="OneFree">Offers where any scored applicant gets in under one allocation (a free general seat, or an unscored application on the last one) and a cut-off stands in the other.</param>
/// <param name="MeanDifference">Mean |difference| over <see cref="BothCut"/>, in thousandths.</param>
/// <param name="P95Difference">95th percentile of |difference| over <see cref="BothCut"/>, in thousandths.</param>
/// <param name="MaxDifference">Largest |difference|, in thousandths.</param>
/// <param name="MeanSignedDifference">Mean of (found − truth) over <see cref="BothCut"/>: positive when the found cut-offs are stricter.</param>
public sealed record CutOffAgreement(int Offers, int Identical, int BothCut, int OneFree, double MeanDifference, int P95Difference, int MaxDifference, double MeanSignedDifference)
{
    /// <summary>The share of compared offers whose cut-off is identical.</summary>
    public double IdenticalShare => Offers == 0 ? 1.0 : (double)Identical / Offers;

    /// <summary>Compares two allocations of the same offers.</summary>
    public static CutOffAgreement Of(IReadOnlyList<OfferOutcome> truth, IReadOnlyList<OfferOutcome> found)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(found);
        if (truth.Count != found.Count)
        {
            throw new ArgumentException($"The allocations have {truth.Count} and {found.Count} offers; they must have the same ones.", nameof(found));
        }

        int offers = 0, identical = 0, oneFree = 0;
        var differences = new List<int>();
        long signed = 0;
        for (var o = 0; o < truth.Count; o++)
        {
            if (truth[o].BudgetPlaces == 0)
            {
                continue;
            }

            offers++;
            var (t, f) = (Cut(truth[o]), Cut(found[o]));
            if (t == f)
            {
                identical++;
            }

            if (t is { } trueCut && f is { } foundCut)
            {
                differences.Add(Math.Abs(foundCut - trueCut));
                signed += foundCut - trueCut;
            }
            else if (t != f)
            {
                oneFree++;
            }
        }

        differences.Sort();
        return new CutOffAgreement(
            offers,
            identical,
            differences.Count,
            oneFree,
            differences.Count == 0 ? 0 : differences.Average(),
            Percentile(differences, 0.95),
            differences.Count == 0 ? 0 : differences[^1],
            differences.Count == 0 ? 0 : (double)signed / differences.Count);
    }

    /// <summary>
    /// The cut-off a scored applicant faces: null when a general seat is free, and also when an application without a
    /// score holds the last one (<see cref="AdmissionOrder.Unscored"/>: any score ranks above it).
    /// </summary>
    private static int? Cut(OfferOutcome outcome) => outcome.GeneralCutOff is { } cut && cut != AdmissionOrder.Unscored ? cut : null;

    /// <summary>The nearest-rank percentile of sorted values (0 for none).</summary>
    internal static int Percentile(List<int> sorted, double share)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(share * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
