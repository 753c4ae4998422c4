using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Abitly.Campaign.Generation;
using Json.Schema;

namespace Abitly.Campaign.Tests;

// docs/campaign-snapshot.schema.json and docs/examples/campaign-snapshot.example.jsonl are part of the contract.
public class DocsTests
{
    private static readonly string Docs = Path.Combine(AppContext.BaseDirectory, "docs");
    private static readonly string SchemaPath = Path.Combine(Docs, "campaign-snapshot.schema.json");
    private static readonly string ExamplePath = Path.Combine(Docs, "campaign-snapshot.example.jsonl");
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(SchemaPath)));

    private static bool SchemaAccepts(string line)
    {
        using var document = JsonDocument.Parse(line);
        return Schema.Value.Evaluate(document.RootElement).IsValid;
    }

    [Fact]
    public async Task The_example_passes_the_validator_and_shows_what_it_promises()
    {
        Assert.Empty(await SnapshotReader.CheckAsync(ExamplePath));

        await using var reader = await SnapshotReader.OpenAsync(ExamplePath);
        var offers = new List<SnapshotOffer>();
        await foreach (var entry in reader.ReadOffersAsync())
        {
            offers.Add(entry.Offer!);
        }

        Assert.Equal(3, offers.Count);
        Assert.Contains(offers, o => o.IsContractOnly && o.Applications.Count > 0 && o.Applications.All(a => a.Priority is null));
        Assert.Contains(offers, o => o.Quota1Places > 0 && o.Quota2Places > 0 && o.Applications.Any(a => a.Quota != Abitly.Domain.Ranking.QuotaKind.None));
        Assert.All(offers, o => Assert.InRange(o.Applications.Count, 2, 6));
    }

    [Fact]
    public void Every_example_line_passes_the_schema()
    {
        var lines = File.ReadAllLines(ExamplePath).Where(l => l.Length > 0).ToList();

        Assert.Equal(4, lines.Count);
        Assert.All(lines, line => Assert.True(SchemaAccepts(line), line[..60]));
    }

    [Fact]
    public async Task Generated_lines_pass_the_schema()
    {
        using var folder = new TempFolder();
        var path = folder.File("ci.jsonl");
        var campaign = CampaignGenerator.Generate(CampaignGeneratorOptions.For(CampaignPreset.Ci) with { Offers = 12, Applications = 600 });
        await campaign.WriteAsync(path);

        var lines = await File.ReadAllLinesAsync(path);

        Assert.Equal(13, lines.Length);
        Assert.All(lines, line => Assert.True(SchemaAccepts(line), line[..60]));
    }

    [Theory]
    [InlineData("applications", 0, "priority", "7")]
    [InlineData("applications", 2, "quota", "\"quota1\"")] // on a contract application
    [InlineData("applications", 0, "quota", "\"quota3\"")]
    [InlineData("applications", 0, "score", "99.5")]
    [InlineData("weights", 0, "subject", "\"math\"")] // slot 1 is ukr
    [InlineData("weights", 3, "subject", "\"creative\"")] // slot 4 takes 4th subjects
    [InlineData("weights", 1, "coefficient", "0")]
    public void The_schema_rejects_what_the_validator_rejects(string list, int index, string field, string value)
    {
        var offer = SnapshotText.Offer();
        offer[list]![index]![field] = JsonNode.Parse(value);

        Assert.False(SchemaAccepts(offer.ToJsonString()));
        Assert.True(SchemaAccepts(SnapshotText.Offer().ToJsonString()));
    }

    [Theory]
    [InlineData("taken_at", "\"2026-07-20T12:40:00\"")]
    [InlineData("version", "2")]
    [InlineData("source", "\"\"")]
    public void The_schema_rejects_a_bad_header(string field, string value)
    {
        var header = JsonNode.Parse(SnapshotText.Header)!;
        header[field] = JsonNode.Parse(value);

        Assert.False(SchemaAccepts(header.ToJsonString()));
        Assert.True(SchemaAccepts(SnapshotText.Header));
    }

    public static TheoryData<string, Type> Definitions => new()
    {
        { "header", typeof(SnapshotHeader) },
        { "offer", typeof(SnapshotOffer) },
        { "university", typeof(SnapshotUniversity) },
        { "speciality", typeof(SnapshotSpeciality) },
        { "weight", typeof(SnapshotWeight) },
        { "application", typeof(SnapshotApplication) },
    };

    [Theory]
    [MemberData(nameof(Definitions))]
    public void The_schema_names_the_properties_and_required_ones_the_records_have(string definition, Type record)
    {
        var schema = JsonNode.Parse(File.ReadAllText(SchemaPath))!["$defs"]![definition]!;
        var info = CampaignJsonContext.Default.GetTypeInfo(record)!;

        // The JSON properties are the constructor parameters (computed ones like IsContractOnly are not written);
        // required = a parameter without a default, which the reader enforces (RespectRequiredConstructorParameters).
        var required = info.Properties.Where(IsRequired).Select(p => p.Name).Order(StringComparer.Ordinal);
        var all = info.Properties.Where(p => p.AssociatedParameter is not null).Select(p => p.Name).Order(StringComparer.Ordinal);

        Assert.Equal(required, schema["required"]!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(all, schema["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("offer", typeof(SnapshotOffer))]
    [InlineData("university", typeof(SnapshotUniversity))]
    [InlineData("speciality", typeof(SnapshotSpeciality))]
    [InlineData("weight", typeof(SnapshotWeight))]
    [InlineData("application", typeof(SnapshotApplication))]
    public void The_line_diagnostics_know_the_same_required_fields(string definition, Type record)
    {
        var info = CampaignJsonContext.Default.GetTypeInfo(record)!;

        Assert.Equal(
            info.Properties.Where(IsRequired).Select(p => p.Name).Order(StringComparer.Ordinal),
            LineDiagnostics.RequiredProperties[definition].Order(StringComparer.Ordinal));
    }

    private static bool IsRequired(JsonPropertyInfo property) => property.AssociatedParameter is { HasDefaultValue: false };
}
