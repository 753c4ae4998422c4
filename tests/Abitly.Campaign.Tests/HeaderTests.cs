using System.Text.Json.Nodes;
using static Abitly.Campaign.Tests.SnapshotText;

namespace Abitly.Campaign.Tests;

public class HeaderTests
{
    private static string HeaderWith(Action<JsonObject> change)
    {
        var header = JsonNode.Parse(Header)!.AsObject();
        change(header);
        return header.ToJsonString();
    }

    private static async Task<string[]> HeaderErrorsAsync(string header)
    {
        var result = await ReadAsync(header, Line(Offer()));
        Assert.Null(result.Header);
        return [.. result.HeaderErrors.Select(e => e.ToString())];
    }

    [Fact]
    public async Task A_valid_header_is_read_with_its_offset()
    {
        var result = await ReadAsync(Header, Line(Offer()));

        Assert.Empty(result.Errors);
        Assert.Equal(SnapshotHeader.Create(2026, new DateTimeOffset(2026, 7, 20, 12, 40, 0, TimeSpan.FromHours(3)), "test", full: true), result.Header);
        Assert.Equal(TimeSpan.FromHours(3), result.Header!.TakenAt.Offset);
    }

    [Theory]
    [InlineData("2026-07-20T09:40:00Z")]
    [InlineData("2026-07-20T12:40+03:00")]
    [InlineData("2026-07-20T12:40:00.123+03:00")]
    [InlineData("2026-07-20T06:40:00-03:00")]
    public async Task Taken_at_accepts_any_explicit_offset(string takenAt)
    {
        var result = await ReadAsync(HeaderWith(h => h["taken_at"] = takenAt), Line(Offer()));

        // Each form names 09:40 UTC (one adds 0.123 s).
        Assert.Empty(result.Errors);
        Assert.InRange((result.Header!.TakenAt - new DateTimeOffset(2026, 7, 20, 9, 40, 0, TimeSpan.Zero)).TotalSeconds, 0, 0.2);
    }

    [Theory]
    [InlineData("2026-07-20T12:40:00")]
    [InlineData("2026-07-20 12:40:00+03:00")]
    [InlineData("20.07.2026 12:40")]
    [InlineData("2026-13-20T12:40:00+03:00")]
    public async Task Taken_at_without_an_explicit_offset_or_not_iso_is_refused(string takenAt) =>
        Assert.Equal(
            [$"test.jsonl:1: taken_at: \"{takenAt}\" is not an ISO 8601 date and time with an explicit offset, e.g. \"2026-07-20T12:40:00+03:00\""],
            await HeaderErrorsAsync(HeaderWith(h => h["taken_at"] = takenAt)));

    [Fact]
    public async Task Another_format_name_is_refused() =>
        Assert.Equal(
            ["test.jsonl:1: format: expected \"abitly-campaign\", found \"edbo-export\": this is not a campaign snapshot"],
            await HeaderErrorsAsync(HeaderWith(h => h["format"] = "edbo-export")));

    [Fact]
    public async Task Another_version_is_refused() =>
        Assert.Equal(
            ["test.jsonl:1: version: version 2 is not supported; this reader understands version 1"],
            await HeaderErrorsAsync(HeaderWith(h => h["version"] = 2)));

    [Theory]
    [InlineData(1999)]
    [InlineData(2101)]
    public async Task The_year_must_be_2000_to_2100(int year) =>
        Assert.Equal(
            [$"test.jsonl:1: campaign_year: {year} is outside 2000–2100"],
            await HeaderErrorsAsync(HeaderWith(h => h["campaign_year"] = year)));

    [Fact]
    public async Task The_source_must_say_something() =>
        Assert.Equal(
            ["test.jsonl:1: source: must not be empty: say who or what produced the data"],
            await HeaderErrorsAsync(HeaderWith(h => h["source"] = "  ")));

    [Fact]
    public async Task Full_must_be_a_boolean() =>
        Assert.Equal(
            ["test.jsonl:1: full: wrong type: expected true or false, found the string \"true\""],
            await HeaderErrorsAsync(HeaderWith(h => h["full"] = "true")));

    [Fact]
    public async Task Every_missing_header_field_is_named() =>
        Assert.Equal(
            [
                "test.jsonl:1: version: is missing (required)",
                "test.jsonl:1: campaign_year: wrong type: expected a whole number, found the string \"2026\"",
                "test.jsonl:1: full: is missing (required): true when the file lists every offer of the year, false when it only updates the offers it lists",
            ],
            await HeaderErrorsAsync(HeaderWith(h =>
            {
                h.Remove("version");
                h["campaign_year"] = "2026";
                h.Remove("full");
            })));

    [Fact]
    public async Task A_missing_header_is_reported_and_line_1_is_still_read_as_an_offer()
    {
        var result = await ReadAsync(Line(Offer(1)), Line(Offer(2)));

        Assert.Null(result.Header);
        Assert.Equal(
            ["test.jsonl:1: the header is missing: line 1 is an offer, but the first line must be the header ({\"format\":\"abitly-campaign\",\"version\":1,…})"],
            result.HeaderErrors.Select(e => e.ToString()));
        Assert.Equal([1L, 2L], result.Entries.Select(e => e.EdboId!.Value));
        Assert.All(result.Entries, e => Assert.True(e.IsValid));
    }

    [Fact]
    public async Task A_missing_header_still_catches_a_repeat_of_the_line_1_offer()
    {
        var result = await ReadAsync(Line(Offer(1)), Line(Offer(1)));

        Assert.Equal("test.jsonl:2: edbo_id: offer 1 already appeared on line 1; each offer may appear only once", result.Entries[1].Errors.Single().ToString());
    }

    [Fact]
    public async Task A_header_that_is_not_on_line_1_is_reported_where_it_is()
    {
        var result = await ReadAsync(Line(Offer(1)), Line(Offer(2)), Header, Line(Offer(3)));

        Assert.Null(result.Header);
        Assert.Equal(
            [
                "test.jsonl:1: the header is missing: line 1 is an offer, but the first line must be the header ({\"format\":\"abitly-campaign\",\"version\":1,…})",
                "test.jsonl:3: this is a header line; the header must be the first line of the file and appear only once",
            ],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public async Task A_second_header_after_a_valid_one_is_reported()
    {
        var result = await ReadAsync(Header, Line(Offer(1)), Header);

        Assert.NotNull(result.Header);
        Assert.Equal(["test.jsonl:3: this is a header line; the header must be the first line of the file and appear only once"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public async Task An_empty_first_line_is_not_a_header()
    {
        var result = await ReadAsync("", Header, Line(Offer(1)));

        Assert.Equal(
            [
                "test.jsonl:1: line 1 is empty; the first line must be the header ({\"format\":\"abitly-campaign\",\"version\":1,…})",
                "test.jsonl:2: this is a header line; the header must be the first line of the file and appear only once",
            ],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public async Task A_malformed_header_is_reported()
    {
        var result = await ReadAsync("{\"format\":\"abitly-campaign\"", Line(Offer(1)));

        var error = Assert.Single(result.Errors);
        Assert.Equal(1, error.Line);
        Assert.StartsWith("malformed JSON at byte ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("the first line must be the header ({\"format\":\"abitly-campaign\",\"version\":1,…})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_file_is_one_error_and_no_entries()
    {
        var result = await ReadAsync(Array.Empty<byte>());

        Assert.Null(result.Header);
        Assert.Equal(["test.jsonl:1: the file is empty; expected a header line and then one offer per line"], result.Errors.Select(e => e.ToString()));
        Assert.Empty(result.Entries);
    }

    [Fact]
    public async Task A_header_alone_is_a_valid_snapshot_with_no_offers()
    {
        var result = await ReadAsync(Header);

        Assert.NotNull(result.Header);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Entries);
    }
}
