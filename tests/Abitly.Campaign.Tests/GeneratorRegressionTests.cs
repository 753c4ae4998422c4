using System.Security.Cryptography;
using System.Text;
using Abitly.Campaign.Generation;

namespace Abitly.Campaign.Tests;

/// <summary>
/// Campaigns already generated must stay the same: fixtures, benchmarks and imported test databases are built from them.
/// The digests were computed from the generator at commit f004816, before pinned offers and the faster score calculator;
/// a change here means every existing campaign changed. Regenerate them only for a deliberate change of the model, and say so.
/// </summary>
public class GeneratorRegressionTests
{
    public static TheoryData<string, string> Campaigns => new()
    {
        { "ci", "d615594b829d467486248ea81880bb484f134fb953cdb50a50e3fb8aff701700" },
        { "ci, revision 2", "de077fa88f97accf7a4cc5191ac396cb056ff4832cc4f49a523aa3fad755f9fe" },
        { "120 offers, 12,000 applications, seed 5, 2025", "7618730e351345a1d9a90830b08faf08e053fc0b9d1df5ee6b22493cc96e1a0b" },
    };

    [Theory]
    [MemberData(nameof(Campaigns))]
    public void Existing_campaigns_keep_their_content_hashes(string name, string digest)
    {
        var options = name switch
        {
            "ci" => CampaignGeneratorOptions.For(CampaignPreset.Ci),
            "ci, revision 2" => CampaignGeneratorOptions.For(CampaignPreset.Ci) with { Revision = 2 },
            _ => new CampaignGeneratorOptions { Offers = 120, Applications = 12_000, Seed = 5, Year = 2025 },
        };

        // One digest over every offer's content hash, in file order, one per line.
        var hashes = string.Join("\n", CampaignGenerator.Generate(options).Offers().Select(OfferContentHash.Compute));

        Assert.Equal(digest, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hashes))));
    }
}
