using System.Buffers;

namespace Abitly.Campaign;

/// <summary>Splits a UTF-8 stream into lines without holding more than the current line (plus one read chunk) in memory.</summary>
internal sealed class JsonLineSource(Stream stream, int maxLineBytes) : IDisposable
{
    private const int ChunkBytes = 1 << 20;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
    private int _start;
    private int _end;
    private int _scanned;
    private bool _endOfStream;
    private bool _skipping;
    private bool _atFirstLine = true;

    /// <summary>The 1-based number of the current line.</summary>
    public int LineNumber { get; private set; }

    /// <summary>The current line without its line break; empty when <see cref="TooLong"/>.</summary>
    public ReadOnlyMemory<byte> Line { get; private set; }

    /// <summary>Whether the current line exceeded the limit and was skipped.</summary>
    public bool TooLong { get; private set; }

    /// <summary>Whether the current line is the last one and no line break follows it (a cut-off file looks like this).</summary>
    public bool Unterminated { get; private set; }

    /// <summary>The limit on one line's length in bytes.</summary>
    public int MaxLineBytes => maxLineBytes;

    /// <summary>Moves to the next line; false at the end of the stream. Stream errors (e.g. a damaged gzip stream) propagate.</summary>
    public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        TooLong = false;
        Unterminated = false;
        while (true)
        {
            var newline = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var at = _scanned + newline;
                var wasSkipping = _skipping;
                Complete(_start, at, wasSkipping);
                _start = at + 1;
                _scanned = _start;
                return true;
            }

            _scanned = _end;
            if (_endOfStream)
            {
                if (_start < _end || _skipping)
                {
                    Unterminated = true;
                    Complete(_start, _end, _skipping);
                    _start = _end;
                    return true;
                }

                Line = ReadOnlyMemory<byte>.Empty;
                return false;
            }

            MakeRoom();
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                _endOfStream = true;
            }

            _end += read;
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void Complete(int from, int to, bool skipped)
    {
        LineNumber++;
        _skipping = false;
        if (skipped)
        {
            _atFirstLine = false;
            TooLong = true;
            Line = ReadOnlyMemory<byte>.Empty;
            return;
        }

        if (to > from && _buffer[to - 1] == (byte)'\r')
        {
            to--;
        }

        if (to - from > maxLineBytes)
        {
            _atFirstLine = false;
            TooLong = true;
            Line = ReadOnlyMemory<byte>.Empty;
            return;
        }

        // A UTF-8 byte order mark at the start of the file is not part of the header.
        if (_atFirstLine && to - from >= 3 && _buffer[from] == 0xEF && _buffer[from + 1] == 0xBB && _buffer[from + 2] == 0xBF)
        {
            from += 3;
        }

        _atFirstLine = false;
        Line = _buffer.AsMemory(from, to - from);
    }

    private void MakeRoom()
    {
        if (_skipping)
        {
            // The over-long line's bytes are not kept: only its end is looked for.
            _start = _end = _scanned = 0;
            return;
        }

        var pending = _end - _start;
        if (_start > 0 && (pending == 0 || _buffer.Length - _end < ChunkBytes / 4))
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            _scanned -= _start;
            _end = pending;
            _start = 0;
        }

        if (_buffer.Length - _end >= ChunkBytes / 4)
        {
            return;
        }

        if (pending > maxLineBytes)
        {
            _skipping = true;
            _start = _end = _scanned = 0;
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, pending + ChunkBytes));
        _buffer.AsSpan(_start, pending).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
        _scanned -= _start;
        _end = pending;
        _start = 0;
    }
}
