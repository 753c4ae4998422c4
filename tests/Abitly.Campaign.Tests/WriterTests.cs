using System.IO.Compression;
using System.Text;
using Abitly.Domain.Ranking;

namespace Abitly.Campaign.Tests;

public class WriterTests
{
    private static readonly SnapshotHeader Header = SnapshotHeader.Create(2026, new DateTimeOffset(2026, 7, 20, 12, 40, 0, TimeSpan.FromHours(3)), "writer test", full: true);

    private static SnapshotOffer Offer(long id, int? budget = 10, string? faculty = null) => new(
        id,
        new SnapshotUniversity("Київський національний університет імені Тараса Шевченка", "м. Київ", 41),
        new SnapshotSpeciality("F3", "Комп'ютерні науки"),
        "Комп'ютерні науки",
        "Денна",
        "Бакалавр",
        budget,
        0,
        0,
        1.00m,
        true,
        [],
        [new SnapshotApplication(1, "Шевченко Андрій Богданович", 195.123m, 1, "Допущено", QuotaKind.None, "p1")],
        faculty);

    [Fact]
    public async Task A_gz_path_gets_gzip_and_a_plain_path_plain_text()
    {
        using var folder = new TempFolder();
        var gz = folder.File("s.jsonl.gz");
        var plain = folder.File("s.jsonl");

        Assert.Equal(1, await SnapshotWriter.WriteAsync(gz, Header, [Offer(1)]));
        Assert.Equal(1, await SnapshotWriter.WriteAsync(plain, Header, [Offer(1)]));

        var gzBytes = await File.ReadAllBytesAsync(gz);
        Assert.Equal([0x1f, 0x8b], gzBytes[..2]);
        using var unzip = new GZipStream(new MemoryStream(gzBytes), CompressionMode.Decompress);
        using var text = new MemoryStream();
        await unzip.CopyToAsync(text);
        Assert.Equal(await File.ReadAllBytesAsync(plain), text.ToArray());
    }

    [Fact]
    public async Task Lines_are_utf8_with_the_header_first_and_optional_nulls_left_out()
    {
        using var folder = new TempFolder();
        var path = folder.File("s.jsonl");

        await SnapshotWriter.WriteAsync(path, Header, [Offer(1, budget: null), Offer(2, faculty: "ФКНК")]);

        var lines = await File.ReadAllLinesAsync(path, Encoding.UTF8);
        Assert.Equal(3, lines.Length);
        Assert.Equal("""{"format":"abitly-campaign","version":1,"campaign_year":2026,"taken_at":"2026-07-20T12:40:00+03:00","source":"writer test","full":true}""", lines[0]);
        Assert.Contains("\"speciality\":{\"code\":\"F3\",\"name\":\"Комп'ютерні науки\"}", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"budget_places\":null", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("faculty", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("short_name", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("is_contract_only", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"faculty\":\"ФКНК\"", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("{\"edbo_id\":2,\"university\":{\"edbo_id\":41,", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("\"applications\":[{\"position\":1,\"name\":\"Шевченко Андрій Богданович\",\"score\":195.123,\"priority\":1,\"status\":\"Допущено\",\"quota\":\"none\",\"person_key\":\"p1\"}]}", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_header_comes_first()
    {
        await using var writer = new SnapshotWriter(new MemoryStream());

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await writer.WriteOfferAsync(Offer(1)));
    }

    [Fact]
    public async Task A_write_that_does_not_complete_leaves_the_old_file_and_no_partial_one()
    {
        using var folder = new TempFolder();
        var path = folder.File("s.jsonl.gz");
        await File.WriteAllTextAsync(path, "the previous snapshot");

        await using (var writer = SnapshotWriter.Create(path))
        {
            await writer.WriteHeaderAsync(Header);
            await writer.WriteOfferAsync(Offer(1));
            // No CompleteAsync: as if the producer failed half-way.
        }

        Assert.Equal("the previous snapshot", await File.ReadAllTextAsync(path));
        Assert.Equal(["s.jsonl.gz"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_completed_write_replaces_the_file()
    {
        using var folder = new TempFolder();
        var path = folder.File("s.jsonl");
        await File.WriteAllTextAsync(path, "the previous snapshot");

        await SnapshotWriter.WriteAsync(path, Header, [Offer(5)]);

        await using var reader = await SnapshotReader.OpenAsync(path);
        Assert.Equal(Header, reader.Header);
        Assert.Equal(["s.jsonl"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_writer_on_a_stream_leaves_it_open_when_asked()
    {
        using var stream = new MemoryStream();
        await using (var writer = new SnapshotWriter(stream, gzip: false, leaveOpen: true))
        {
            await writer.WriteHeaderAsync(Header);
            await writer.WriteOfferAsync(Offer(1));
            await writer.CompleteAsync();
        }

        Assert.True(stream.CanRead);
        Assert.Equal(2, Encoding.UTF8.GetString(stream.ToArray()).Count(c => c == '\n'));
    }
}
