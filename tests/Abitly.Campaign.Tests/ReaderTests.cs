using System.Text;
using System.Text.Json.Nodes;
using static Abitly.Campaign.Tests.SnapshotText;

namespace Abitly.Campaign.Tests;

public class ReaderTests
{
    private static byte[] ThreeOffers() => Utf8(Header, Line(Offer(1)), Line(Offer(2)), Line(Offer(3)));

    [Fact]
    public async Task Gzip_and_plain_read_the_same_offers()
    {
        var plain = await ReadAsync(ThreeOffers());
        var gzip = await ReadAsync(Gzip(ThreeOffers()));

        Assert.False(plain.Compressed);
        Assert.True(gzip.Compressed);
        Assert.Empty(gzip.Errors);
        Assert.Equal(plain.Header, gzip.Header);
        Assert.Equal(plain.Entries.Select(e => e.Offer), gzip.Entries.Select(e => e.Offer));
        Assert.Equal([1L, 2L, 3L], gzip.Entries.Select(e => e.Offer!.EdboId));
    }

    [Fact]
    public async Task Gzip_is_detected_by_its_magic_bytes_not_the_file_name()
    {
        using var folder = new TempFolder();
        var gzipNamedPlain = folder.File("snapshot.jsonl");
        var plainNamedGzip = folder.File("snapshot.jsonl.gz");
        await File.WriteAllBytesAsync(gzipNamedPlain, Gzip(ThreeOffers()));
        await File.WriteAllBytesAsync(plainNamedGzip, ThreeOffers());

        await using (var reader = await SnapshotReader.OpenAsync(gzipNamedPlain))
        {
            Assert.True(reader.Compressed);
            Assert.NotNull(reader.Header);
        }

        await using (var reader = await SnapshotReader.OpenAsync(plainNamedGzip))
        {
            Assert.False(reader.Compressed);
            Assert.NotNull(reader.Header);
        }

        Assert.Empty(await SnapshotReader.CheckAsync(gzipNamedPlain));
        Assert.Empty(await SnapshotReader.CheckAsync(plainNamedGzip));
    }

    [Fact]
    public async Task A_truncated_gzip_stream_is_an_error_at_every_cut_never_an_exception_or_a_quiet_short_read()
    {
        var full = Gzip(ThreeOffers());
        for (var cut = 2; cut < full.Length; cut++)
        {
            var result = await ReadAsync(full[..cut]);

            // Whatever was read before the cut, the last problem says the stream ends early (even a cut inside the
            // 8-byte trailer, after all three offers came through).
            Assert.True(result.Errors.Count > 0, $"cut at {cut} of {full.Length} bytes read without an error");
            Assert.Contains("gzip stream ends early", result.Errors[^1].Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_truncated_gzip_stream_names_the_line_after_the_last_one_read()
    {
        // A compressed stream of a file whose lines are long enough that a cut lands after some complete lines.
        var offers = Enumerable.Range(1, 40).Select(i => Line(Offer(i))).Prepend(Header).ToArray();
        var full = Gzip(Utf8(offers));

        var result = await ReadAsync(full[..(full.Length * 3 / 4)]);

        var lastEntry = result.Entries[^1];
        Assert.Null(lastEntry.Offer);
        var error = Assert.Single(lastEntry.Errors);
        var lastLineRead = result.Entries[^2].Line;
        Assert.Equal(lastLineRead + 1, error.Line);
        Assert.EndsWith($"; the offers after line {lastLineRead} are missing", error.Message, StringComparison.Ordinal);
        Assert.All(result.Entries.SkipLast(1), e => Assert.True(e.IsValid));
    }

    [Fact]
    public async Task A_gzip_stream_cut_inside_the_header_is_a_header_error()
    {
        var full = Gzip(ThreeOffers());

        var result = await ReadAsync(full[..12]);

        Assert.Null(result.Header);
        var error = Assert.Single(result.Errors);
        Assert.Equal(1, error.Line);
        Assert.Contains("gzip stream ends early", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("not even the header could be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_gzip_stream_is_an_error_not_an_exception()
    {
        var damaged = Gzip(ThreeOffers());
        for (var i = 20; i < damaged.Length - 8; i += 7)
        {
            damaged[i] ^= 0x5A;
        }

        var result = await ReadAsync(damaged);

        Assert.Contains("gzip stream", result.Errors[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gzip_stream_with_a_wrong_checksum_is_an_error()
    {
        var full = Gzip(ThreeOffers());
        full[^8] ^= 0x01; // the CRC-32 in the trailer

        var result = await ReadAsync(full);

        Assert.StartsWith("the gzip stream is damaged and cannot be decompressed past byte ", result.Errors[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_file_cut_inside_a_line_says_the_file_may_be_cut_off()
    {
        var content = ThreeOffers();

        var result = await ReadAsync(content[..(content.Length - 40)]);

        var error = Assert.Single(result.Errors);
        Assert.Equal(4, error.Line);
        Assert.EndsWith("(the last line has no line break: is the file cut off?)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_last_line_without_a_line_break_is_read_normally()
    {
        var content = Encoding.UTF8.GetBytes(Header + "\n" + Line(Offer(1)));

        var result = await ReadAsync(content);

        Assert.Empty(result.Errors);
        Assert.Single(result.Entries);
    }

    [Fact]
    public async Task A_line_of_1_5_megabytes_is_read_whole()
    {
        var offer = Offer();
        var applications = new JsonArray();
        for (var i = 1; i <= 9_000; i++)
        {
            applications.Add(Application(i, "Шевченко Андрій Богданович", 150m + (i % 500 / 10m), 1 + (i % 5), "Допущено", "none", $"person-{i:D10}"));
        }

        offer["applications"] = applications;
        var line = Line(offer);
        Assert.InRange(Encoding.UTF8.GetByteCount(line), 1_500_000, 3_000_000);

        foreach (var content in new[] { Utf8(Header, line, Line(Offer(2))), Gzip(Utf8(Header, line, Line(Offer(2)))) })
        {
            var result = await ReadAsync(content);

            Assert.Empty(result.Errors);
            Assert.Equal(9_000, result.Entries[0].Offer!.Applications.Count);
            Assert.Equal("person-0000009000", result.Entries[0].Offer!.Applications[^1].PersonKey);
            Assert.Equal(2, result.Entries[1].Offer!.EdboId);
        }
    }

    [Fact]
    public async Task A_line_over_the_limit_is_skipped_and_reported_and_reading_goes_on()
    {
        var big = Line(Mutated(o => o["program"] = new string('x', 5_000), edboId: 2));

        var result = await ReadAsync(Utf8(Header, Line(Offer(1)), big, Line(Offer(3))), maxLineBytes: 4_096);

        Assert.Equal(["test.jsonl:3: the line is longer than 4096 bytes and was skipped"], result.Errors.Select(e => e.ToString()));
        Assert.Equal([1L, 3L], result.Entries.Where(e => e.IsValid).Select(e => e.Offer!.EdboId));
    }

    [Fact]
    public async Task A_byte_order_mark_and_windows_line_breaks_are_accepted()
    {
        var content = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Header + "\r\n" + Line(Offer(1)) + "\r\n\r\n" + Line(Offer(2)) + "\r\n")).ToArray();

        var result = await ReadAsync(content);

        Assert.Empty(result.Errors);
        Assert.Equal([2, 4], result.Entries.Select(e => e.Line));
    }

    [Fact]
    public async Task The_summary_counts_lines_entries_valid_offers_and_errors()
    {
        var result = await ReadAsync(Header, Line(Offer(1)), "", Line(Mutated(o => o["budget_places"] = -1, edboId: 2)), "not json");

        Assert.Equal(new SnapshotReadSummary(Lines: 5, Entries: 3, ValidOffers: 1, Errors: 2), result.Summary);
    }

    [Fact]
    public async Task A_snapshot_is_complete_only_when_read_to_its_end_with_the_stream_intact()
    {
        var full = Gzip(ThreeOffers());

        Assert.True(await ReadToEndAsync(full));
        Assert.True(await ReadToEndAsync(Utf8(Header)));
        Assert.True(await ReadToEndAsync(Utf8(Header, "not json"))); // a bad line is reported, but the file is all there
        Assert.False(await ReadToEndAsync(full[..^3]));
        Assert.False(await ReadToEndAsync(full[..(full.Length / 2)]));

        await using var reader = await SnapshotReader.OpenAsync(new MemoryStream(full), FileName);
        await foreach (var _ in reader.ReadOffersAsync())
        {
            break;
        }

        Assert.False(reader.IsComplete);
    }

    private static async Task<bool> ReadToEndAsync(byte[] content)
    {
        await using var reader = await SnapshotReader.OpenAsync(new MemoryStream(content), FileName);
        Assert.False(reader.IsComplete);
        await foreach (var _ in reader.ReadOffersAsync())
        {
        }

        return reader.IsComplete;
    }

    [Fact]
    public async Task The_offers_can_be_read_only_once()
    {
        await using var reader = await SnapshotReader.OpenAsync(new MemoryStream(ThreeOffers()), FileName);
        await foreach (var _ in reader.ReadOffersAsync())
        {
        }

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in reader.ReadOffersAsync())
            {
            }
        });
    }

    [Fact]
    public async Task Errors_use_the_path_the_reader_was_given()
    {
        using var folder = new TempFolder();
        var path = folder.File("broken.jsonl");
        await File.WriteAllBytesAsync(path, Utf8(Header, Line(Mutated(o => o["applications"]![3]!["priority"] = 7))));

        var errors = await SnapshotReader.CheckAsync(path);

        Assert.Equal([$"{path}:2: applications[3].priority: 7 is outside 1–5"], errors.Select(e => e.ToString()));
    }

    [Fact]
    public async Task Check_stops_at_the_error_limit()
    {
        using var folder = new TempFolder();
        var path = folder.File("many.jsonl");
        var lines = Enumerable.Range(1, 30).Select(i => Line(Mutated(o => o["budget_places"] = -1, edboId: i))).Prepend(Header).ToArray();
        await File.WriteAllBytesAsync(path, Utf8(lines));

        Assert.Equal(10, (await SnapshotReader.CheckAsync(path, maxErrors: 10)).Count);
    }
}
