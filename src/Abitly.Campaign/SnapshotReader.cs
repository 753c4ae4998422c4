using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Abitly.Campaign;

/// <summary>
/// Reads a campaign snapshot (plain or gzip JSON Lines) one offer at a time: the header on opening, then each offer line
/// with its line number and every problem found. Memory stays at about one line, however large the file.
/// </summary>
/// <remarks>
/// Nothing in the file throws: malformed lines, wrong values and a cut-off gzip stream all come back as
/// <see cref="SnapshotError"/>s. Only I/O failures of the underlying stream and cancellation escape.
/// <code>
/// await using var reader = await SnapshotReader.OpenAsync(path);
/// if (reader.Header is null) { report(reader.HeaderErrors); return; }
/// await foreach (var entry in reader.ReadOffersAsync()) { if (entry.IsValid) import(entry.Offer!); else report(entry.Errors); }
/// </code>
/// </remarks>
public sealed class SnapshotReader : IAsyncDisposable, IDisposable
{
    /// <summary>The longest line read (64 MiB); a longer one is reported and skipped.</summary>
    public const int DefaultMaxLineBytes = 64 << 20;

    private readonly Stream _text;
    private readonly JsonLineSource _lines;
    private readonly Dictionary<long, int> _offerLines = [];
    private SnapshotOfferEntry? _firstLineOffer;
    private bool _started;
    private bool _finished;
    private int _entries;
    private int _validOffers;
    private int _errors;

    private SnapshotReader(string fileName, Stream text, bool compressed, int maxLineBytes)
    {
        FileName = fileName;
        _text = text;
        Compressed = compressed;
        _lines = new JsonLineSource(text, maxLineBytes);
    }

    /// <summary>The file name errors are reported under.</summary>
    public string FileName { get; }

    /// <summary>Whether the file was gzip-compressed (decided by its first two bytes).</summary>
    public bool Compressed { get; }

    /// <summary>The header, or null when line 1 is not a valid header (see <see cref="HeaderErrors"/>); never import without one.</summary>
    public SnapshotHeader? Header { get; private set; }

    /// <summary>What is wrong with the header (line 1), or with the file as a whole when it is empty or unreadable.</summary>
    public IReadOnlyList<SnapshotError> HeaderErrors { get; private set; } = [];

    /// <summary>
    /// True once <see cref="ReadOffersAsync"/> has reached the end of the file with the stream intact. False before that,
    /// after a cut-off or damaged gzip stream, or when the caller stopped early: then the snapshot is incomplete and a full
    /// snapshot's missing offers must not be withdrawn.
    /// </summary>
    public bool IsComplete { get; private set; }

    /// <summary>Counts so far; final once <see cref="ReadOffersAsync"/> has been enumerated to the end.</summary>
    public SnapshotReadSummary Summary => new(_lines.LineNumber, _entries, _validOffers, _errors);

    /// <summary>Opens a file and reads its header.</summary>
    public static async Task<SnapshotReader> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            BufferSize = 0,
        });
        try
        {
            return await OpenAsync(file, path, leaveOpen: false, DefaultMaxLineBytes, cancellationToken);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads a snapshot from a stream (plain or gzip), reporting errors under <paramref name="fileName"/>.</summary>
    public static Task<SnapshotReader> OpenAsync(Stream stream, string fileName, bool leaveOpen = false, CancellationToken cancellationToken = default) =>
        OpenAsync(stream, fileName, leaveOpen, DefaultMaxLineBytes, cancellationToken);

    /// <summary>Reads a whole file and returns every problem in it (header, lines, cross-line rules), at most <paramref name="maxErrors"/>.</summary>
    public static async Task<IReadOnlyList<SnapshotError>> CheckAsync(string path, int maxErrors = 1000, CancellationToken cancellationToken = default)
    {
        await using var reader = await OpenAsync(path, cancellationToken);
        var errors = new List<SnapshotError>(reader.HeaderErrors);
        await foreach (var entry in reader.ReadOffersAsync(cancellationToken))
        {
            errors.AddRange(entry.Errors);
            if (errors.Count >= maxErrors)
            {
                break;
            }
        }

        return errors.Count > maxErrors ? errors[..maxErrors] : errors;
    }

    internal static async Task<SnapshotReader> OpenAsync(Stream stream, string fileName, bool leaveOpen, int maxLineBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        var (text, compressed) = await GzipInput.OpenAsync(stream, leaveOpen, cancellationToken);
        var reader = new SnapshotReader(fileName, text, compressed, maxLineBytes);
        try
        {
            await reader.ReadHeaderAsync(cancellationToken);
            return reader;
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    /// <summary>Yields each non-empty line after the header as an entry, in file order. Can be enumerated once.</summary>
    public async IAsyncEnumerable<SnapshotOfferEntry> ReadOffersAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_started)
        {
            throw new InvalidOperationException("The offers of a snapshot can be read only once; open the file again.");
        }

        _started = true;
        if (_firstLineOffer is not null)
        {
            yield return Count(_firstLineOffer);
        }

        while (!_finished)
        {
            SnapshotOfferEntry? entry;
            try
            {
                if (!await _lines.MoveNextAsync(cancellationToken))
                {
                    _finished = true;
                    IsComplete = true;
                    yield break;
                }

                entry = _lines.TooLong
                    ? Problem(_lines.LineNumber, $"the line is longer than {Size(_lines.MaxLineBytes)} and was skipped")
                    : IsBlank(_lines.Line.Span) ? null : ReadOfferLine(_lines.Line.Span, _lines.LineNumber, _lines.Unterminated);
            }
            catch (InvalidDataException unreadable)
            {
                _finished = true;
                var last = _lines.LineNumber;
                entry = Problem(last + 1, $"{unreadable.Message}; the offers after line {last} are missing");
            }

            if (entry is not null)
            {
                yield return Count(entry);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _lines.Dispose();
        _text.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _lines.Dispose();
        await _text.DisposeAsync();
    }

    private async Task ReadHeaderAsync(CancellationToken cancellationToken)
    {
        var errors = new List<SnapshotError>();
        try
        {
            if (!await _lines.MoveNextAsync(cancellationToken))
            {
                _finished = true;
                errors.Add(new SnapshotError(FileName, 1, "", "the file is empty; expected a header line and then one offer per line"));
            }
            else if (_lines.TooLong)
            {
                errors.Add(new SnapshotError(FileName, 1, "", $"line 1 is longer than {Size(_lines.MaxLineBytes)} and was skipped; the first line must be the header"));
            }
            else
            {
                var result = SnapshotHeaderParser.Parse(_lines.Line.Span, FileName);
                Header = result.Header;
                errors.AddRange(result.Errors);
                if (result.LineIsOffer)
                {
                    // Still read line 1 as an offer, so the operator sees everything that is wrong in one pass.
                    _firstLineOffer = ReadOfferLine(_lines.Line.Span, 1, _lines.Unterminated);
                }
            }
        }
        catch (InvalidDataException unreadable)
        {
            _finished = true;
            errors.Add(new SnapshotError(FileName, 1, "", $"{unreadable.Message}; not even the header could be read"));
        }

        HeaderErrors = errors;
        _errors = errors.Count;
    }

    private static string Size(int bytes) => bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : $"{bytes} bytes";

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t"u8).IsEmpty;

    private SnapshotOfferEntry Count(SnapshotOfferEntry entry)
    {
        _entries++;
        _errors += entry.Errors.Count;
        if (entry.IsValid)
        {
            _validOffers++;
        }

        return entry;
    }

    private SnapshotOfferEntry Problem(int line, string message) =>
        new(line, null, null, [new SnapshotError(FileName, line, "", message)]);

    private SnapshotOfferEntry ReadOfferLine(ReadOnlySpan<byte> line, int lineNumber, bool unterminated)
    {
        SnapshotOffer? offer = null;
        List<SnapshotError>? errors = null;
        long? edboId;
        try
        {
            offer = JsonSerializer.Deserialize(line, CampaignJsonContext.Default.SnapshotOffer);
            edboId = offer?.EdboId;
            if (offer is null)
            {
                errors = [new SnapshotError(FileName, lineNumber, "", "expected an offer object, found null")];
            }
        }
        catch (JsonException rejected)
        {
            (errors, edboId) = LineDiagnostics.ExplainOffer(line, FileName, lineNumber, rejected);
            if (unterminated && errors.Count > 0 && errors[0].Message.StartsWith("malformed JSON", StringComparison.Ordinal))
            {
                errors[0] = errors[0] with { Message = errors[0].Message + " (the last line has no line break: is the file cut off?)" };
            }
        }

        if (offer is not null)
        {
            var found = new List<SnapshotError>();
            SnapshotValidator.Validate(offer, FileName, lineNumber, found);
            errors = found;
        }

        if (edboId is { } id && !_offerLines.TryAdd(id, lineNumber))
        {
            (errors ??= []).Add(new SnapshotError(FileName, lineNumber, "edbo_id", $"offer {id} already appeared on line {_offerLines[id]}; each offer may appear only once"));
        }

        return new SnapshotOfferEntry(lineNumber, edboId, offer, errors is null || errors.Count == 0 ? [] : errors);
    }
}
