using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Abitly.Campaign;

/// <summary>Opens a snapshot stream as plain text or gzip, chosen by the gzip magic bytes rather than the file name.</summary>
internal static class GzipInput
{
    /// <summary>Returns a stream of the file's text and whether it was gzip-compressed; the result owns <paramref name="raw"/> unless <paramref name="leaveOpen"/>.</summary>
    public static async Task<(Stream Text, bool Compressed)> OpenAsync(Stream raw, bool leaveOpen, CancellationToken cancellationToken)
    {
        var prefix = new byte[2];
        var read = 0;
        while (read < prefix.Length)
        {
            var n = await raw.ReadAsync(prefix.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        var replay = new ReplayStream(prefix.AsMemory(0, read), raw, leaveOpen);
        if (read == 2 && prefix[0] == 0x1f && prefix[1] == 0x8b)
        {
            return (new VerifiedGzipStream(replay), true);
        }

        return (replay, false);
    }

    /// <summary>Replays bytes already read, then the rest of the inner stream; remembers the last 8 bytes read (the gzip trailer).</summary>
    private sealed class ReplayStream(ReadOnlyMemory<byte> prefix, Stream inner, bool leaveOpen) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;
        private readonly byte[] _tail = new byte[8];

        public int TailLength { get; private set; }

        public long BytesRead { get; private set; }

        public ReadOnlySpan<byte> Tail => _tail.AsSpan(0, TailLength);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n;
            if (!_prefix.IsEmpty)
            {
                n = Math.Min(buffer.Length, _prefix.Length);
                _prefix.Span[..n].CopyTo(buffer);
                _prefix = _prefix[n..];
            }
            else
            {
                n = inner.Read(buffer);
            }

            Remember(buffer[..n]);
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_prefix.IsEmpty)
            {
                return Read(buffer.Span);
            }

            var n = await inner.ReadAsync(buffer, cancellationToken);
            Remember(buffer.Span[..n]);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && !leaveOpen)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            if (!leaveOpen)
            {
                await inner.DisposeAsync();
            }

            await base.DisposeAsync();
        }

        private void Remember(ReadOnlySpan<byte> data)
        {
            BytesRead += data.Length;
            if (data.Length >= _tail.Length)
            {
                data[^_tail.Length..].CopyTo(_tail);
                TailLength = _tail.Length;
                return;
            }

            // Shift the kept bytes left to make room for the new ones.
            var keep = Math.Min(TailLength, _tail.Length - data.Length);
            _tail.AsSpan(TailLength - keep, keep).CopyTo(_tail);
            data.CopyTo(_tail.AsSpan(keep));
            TailLength = keep + data.Length;
        }
    }

    /// <summary>
    /// Decompresses gzip and, at the end, checks the trailer (CRC-32 and length) against what came out. .NET's GZipStream
    /// ends quietly on a cut-off stream; this turns that into an <see cref="InvalidDataException"/>.
    /// </summary>
    /// <remarks>The trailer checked is the last 8 bytes of the file, so a file of several concatenated gzip members fails the check.</remarks>
    private sealed class VerifiedGzipStream(ReplayStream compressed) : Stream
    {
        private readonly GZipStream _gzip = new(compressed, CompressionMode.Decompress, leaveOpen: false);
        private readonly Crc32 _crc = new();
        private long _length;
        private bool _verified;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n;
            try
            {
                n = _gzip.Read(buffer);
            }
            catch (InvalidDataException damaged)
            {
                throw Damaged(damaged);
            }

            if (n == 0 && !_verified)
            {
                // Anything after the member would have been read by GZipStream; make sure the tail is the file's end.
                Span<byte> drain = stackalloc byte[512];
                while (compressed.Read(drain) > 0)
                {
                }
            }

            return Account(buffer[..n]);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n;
            try
            {
                n = await _gzip.ReadAsync(buffer, cancellationToken);
            }
            catch (InvalidDataException damaged)
            {
                throw Damaged(damaged);
            }

            if (n == 0 && !_verified)
            {
                // Anything after the member would have been read by GZipStream; make sure the tail is the file's end.
                var drain = new byte[4096];
                while (await compressed.ReadAsync(drain, cancellationToken) > 0)
                {
                }
            }

            return Account(buffer.Span[..n]);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _gzip.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await _gzip.DisposeAsync();
            await base.DisposeAsync();
        }

        // zlib's own complaints (a bad block, a wrong checksum) reach .NET as misleading texts; say what it means.
        private InvalidDataException Damaged(InvalidDataException inner) =>
            new($"the gzip stream is damaged and cannot be decompressed past byte {_length} of its content", inner);

        private int Account(ReadOnlySpan<byte> data)
        {
            if (data.Length > 0)
            {
                _crc.Append(data);
                _length += data.Length;
                return data.Length;
            }

            if (!_verified)
            {
                _verified = true;
                Verify();
            }

            return 0;
        }

        private void Verify()
        {
            // A gzip member is at least a 10-byte header and an 8-byte trailer.
            if (compressed.BytesRead < 18 || compressed.TailLength < 8)
            {
                throw new InvalidDataException(
                    $"the gzip stream ends early after {compressed.BytesRead} bytes: the file is truncated");
            }

            var crc = BinaryPrimitives.ReadUInt32LittleEndian(compressed.Tail);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(compressed.Tail[4..]);
            if (crc != _crc.GetCurrentHashAsUInt32() || size != unchecked((uint)_length))
            {
                throw new InvalidDataException(
                    $"the gzip stream ends early or is damaged: its trailer does not match the {_length} bytes decompressed "
                    + "(the file is probably truncated; a file of several concatenated gzip members is not supported either)");
            }
        }
    }
}
