using System.Buffers;
using System.IO.Compression;
using System.Text.Json;

namespace Abitly.Campaign;

/// <summary>Writes a campaign snapshot: the header line, then one line per offer, as UTF-8 JSON Lines (gzip when asked).</summary>
/// <remarks>
/// Lines are written in <see cref="SnapshotOffer"/>'s property order, Cyrillic as UTF-8 (not \u escapes), optional fields
/// left out when null. The writer does not validate: run <see cref="SnapshotValidator"/> first when the data is not trusted.
/// </remarks>
public sealed class SnapshotWriter : IAsyncDisposable
{
    private const int FlushBytes = 1 << 20;

    private readonly Stream _stream;
    private readonly Stream? _gzip;
    private readonly bool _leaveOpen;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushBytes + (FlushBytes / 4));
    private readonly Utf8JsonWriter _json;
    private readonly string? _path;
    private readonly string? _partialPath;
    private bool _headerWritten;
    private bool _completed;

    /// <summary>Writes to a stream; <paramref name="gzip"/> compresses it.</summary>
    public SnapshotWriter(Stream stream, bool gzip = false, bool leaveOpen = false, CompressionLevel compression = CompressionLevel.Optimal)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _gzip = gzip ? new GZipStream(stream, compression, leaveOpen: true) : null;
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions
        {
            Encoder = CampaignJsonContext.Readable.Options.Encoder,
            SkipValidation = true,
        });
    }

    /// <summary>Offers written so far.</summary>
    public int OffersWritten { get; private set; }

    private SnapshotWriter(string path, string partialPath, Stream file, CompressionLevel compression)
        : this(file, IsGzipPath(path), leaveOpen: false, compression)
    {
        _path = path;
        _partialPath = partialPath;
    }

    /// <summary>
    /// Creates (or replaces) a file; gzip-compressed when the path ends with ".gz". The data goes to "&lt;path&gt;.partial" and
    /// replaces the file only in <see cref="CompleteAsync"/>, so a failed write never leaves a short snapshot behind.
    /// </summary>
    public static SnapshotWriter Create(string path, CompressionLevel compression = CompressionLevel.Optimal)
    {
        ArgumentNullException.ThrowIfNull(path);
        var partial = path + ".partial";
        var file = new FileStream(partial, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
            BufferSize = 0,
        });
        return new SnapshotWriter(path, partial, file, compression);
    }

    /// <summary>Writes a whole snapshot to a file (gzip when the path ends with ".gz") and returns the number of offers.</summary>
    public static async Task<int> WriteAsync(string path, SnapshotHeader header, IEnumerable<SnapshotOffer> offers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offers);
        await using var writer = Create(path);
        await writer.WriteHeaderAsync(header, cancellationToken);
        foreach (var offer in offers)
        {
            await writer.WriteOfferAsync(offer, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
        return writer.OffersWritten;
    }

    /// <summary>Whether a path names a gzip file (ends with ".gz", any case).</summary>
    public static bool IsGzipPath(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes the header; must come first and only once.</summary>
    public ValueTask WriteHeaderAsync(SnapshotHeader header, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (_headerWritten)
        {
            throw new InvalidOperationException("The header has already been written.");
        }

        _headerWritten = true;
        JsonSerializer.Serialize(_json, header, CampaignJsonContext.Readable.SnapshotHeader);
        return EndLineAsync(cancellationToken);
    }

    /// <summary>Writes one offer line.</summary>
    public ValueTask WriteOfferAsync(SnapshotOffer offer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (!_headerWritten)
        {
            throw new InvalidOperationException("Write the header before the first offer.");
        }

        JsonSerializer.Serialize(_json, offer, CampaignJsonContext.Readable.SnapshotOffer);
        OffersWritten++;
        return EndLineAsync(cancellationToken);
    }

    /// <summary>Writes out everything buffered, finishes the gzip stream and (for a file) puts it in place; the writer is done after this.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (!_headerWritten)
        {
            throw new InvalidOperationException("A snapshot needs a header; write it before completing.");
        }

        await FlushBufferAsync(cancellationToken);
        if (_gzip is not null)
        {
            await _gzip.DisposeAsync();
        }

        await _stream.FlushAsync(cancellationToken);
        _completed = true;
        if (_path is not null)
        {
            await _stream.DisposeAsync();
            File.Move(_partialPath!, _path, overwrite: true);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Without <see cref="CompleteAsync"/> (an exception on the way) a file's partial data is deleted; a caller's stream may
    /// hold a partial snapshot and should be discarded.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        if (_gzip is not null)
        {
            await _gzip.DisposeAsync();
        }

        await _json.DisposeAsync();
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync();
        }

        if (!_completed && _partialPath is not null)
        {
            File.Delete(_partialPath);
        }
    }

    private async ValueTask EndLineAsync(CancellationToken cancellationToken)
    {
        _json.Flush();
        _json.Reset();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        if (_buffer.WrittenCount >= FlushBytes)
        {
            await FlushBufferAsync(cancellationToken);
        }
    }

    private async ValueTask FlushBufferAsync(CancellationToken cancellationToken)
    {
        if (_buffer.WrittenCount == 0)
        {
            return;
        }

        await (_gzip ?? _stream).WriteAsync(_buffer.WrittenMemory, cancellationToken);
        _buffer.ResetWrittenCount();
    }
}
