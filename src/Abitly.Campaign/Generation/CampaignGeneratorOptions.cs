namespace Abitly.Campaign.Generation;

/// <summary>The generator's sizes from DESIGN §9.</summary>
public enum CampaignPreset
{
    /// <summary>50 offers, 5,000 applications: fast enough for every test run.</summary>
    Ci,

    /// <summary>1,500 offers, 600,000 applications: a large regional campaign, for benchmarks.</summary>
    Campaign,

    /// <summary>10,000 offers, about 1,000,000 budget applications of about 300,000 persons (1,160,000 rows with contract ones).</summary>
    National,
}

/// <summary>What to generate: a preset, optionally resized, reseeded, moved in time, advanced by revisions or with pinned offers.</summary>
public sealed record CampaignGeneratorOptions
{
    /// <summary>The seed every preset uses unless told otherwise.</summary>
    public const long DefaultSeed = 20260720;

    /// <summary>The size preset; <see cref="Offers"/> and <see cref="Applications"/> override its numbers.</summary>
    public CampaignPreset Preset { get; init; } = CampaignPreset.Ci;

    /// <summary>Number of offers; null takes the preset's.</summary>
    public int? Offers { get; init; }

    /// <summary>Number of application rows (budget and contract) across all lists, exactly; null takes the preset's.</summary>
    public int? Applications { get; init; }

    /// <summary>The seed: the same options give the same snapshot, line for line.</summary>
    public long Seed { get; init; } = DefaultSeed;

    /// <summary>The campaign year in the header and the score formula.</summary>
    public int Year { get; init; } = 2026;

    /// <summary>When the base snapshot (revision 0) was taken; null is 20 July of <see cref="Year"/>, 12:40 Kyiv summer time.</summary>
    public DateTimeOffset? TakenAt { get; init; }

    /// <summary>0 = the base snapshot; n = the same campaign n hours later, after n rounds of changes.</summary>
    public int Revision { get; init; }

    /// <summary>Offers each revision round changes (exactly); null is 20 % of the offers.</summary>
    public int? ChangedOffers { get; init; }

    /// <summary>
    /// Offers fixed by the caller (<see cref="PinnedOffer"/>). They are part of the campaign and count toward
    /// <see cref="Offers"/>; generated offers fill the rest. Empty: the campaign is the preset's, unchanged.
    /// </summary>
    public IReadOnlyList<PinnedOffer> PinnedOffers { get; init; } = [];

    /// <summary>The options of a preset with the default seed.</summary>
    public static CampaignGeneratorOptions For(CampaignPreset preset) => new() { Preset = preset };

    /// <summary>Offers after the preset is applied.</summary>
    public int OfferCount => Offers ?? Preset switch
    {
        CampaignPreset.Campaign => 1_500,
        CampaignPreset.National => 10_000,
        _ => 50,
    };

    /// <summary>Application rows after the preset is applied.</summary>
    public int ApplicationCount => Applications ?? Preset switch
    {
        CampaignPreset.Campaign => 600_000,
        CampaignPreset.National => 1_160_000,
        _ => 5_000,
    };

    /// <summary>Offers changed per revision round after the default is applied.</summary>
    public int ChangedOfferCount => Math.Min(OfferCount, ChangedOffers ?? Math.Max(1, OfferCount / 5));

    /// <summary>The base snapshot's time after the default is applied.</summary>
    public DateTimeOffset BaseTakenAt => TakenAt ?? new DateTimeOffset(Year, 7, 20, 12, 40, 0, TimeSpan.FromHours(3));

    /// <summary>This revision's time: the base time plus one hour per revision.</summary>
    public DateTimeOffset RevisionTakenAt => BaseTakenAt.AddHours(Revision);
}
