using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using SkiaSharp;

namespace Abitly.Charts;

/// <summary>
/// Writes an opaque RGBA pixmap as an 8-bit RGB PNG. Encoding is most of a render's time, and .NET's zlib
/// compresses the chart's scanlines unfiltered both faster and smaller than SkiaSharp's encoder at any setting
/// measured (10,000-application chart: about 5 ms and 55 KB against 8 ms and 67 KB for zlib level 4 with the
/// "up" filter, SkiaSharp's best trade-off): flat areas and exact repeats suit plain deflate better than filters.
/// </summary>
internal static class PngWriter
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Encode(SKPixmap pixmap)
    {
        if (pixmap.ColorType != SKColorType.Rgba8888 || pixmap.AlphaType != SKAlphaType.Opaque)
        {
            throw new ArgumentException("Only opaque RGBA pixels are written.", nameof(pixmap));
        }

        var (width, height) = (pixmap.Width, pixmap.Height);
        using var output = new MemoryStream(96 * 1024);
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bits per channel
        header[9] = 2; // colour type: RGB
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering, each row says its filter
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR"u8, header);

        using (var deflated = new MemoryStream(96 * 1024))
        {
            using (var zlib = new ZLibStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
            {
                var pixels = pixmap.GetPixelSpan();
                var rowBytes = pixmap.RowBytes;
                var scanline = new byte[1 + (width * 3)]; // scanline[0] = 0: filter type "none"
                for (var y = 0; y < height; y++)
                {
                    var row = pixels.Slice(y * rowBytes, width * 4);
                    for (int x = 0, to = 1, from = 0; x < width; x++, to += 3, from += 4)
                    {
                        scanline[to] = row[from];
                        scanline[to + 1] = row[from + 1];
                        scanline[to + 2] = row[from + 2];
                    }

                    zlib.Write(scanline);
                }
            }

            WriteChunk(output, "IDAT"u8, deflated.GetBuffer().AsSpan(0, (int)deflated.Length));
        }

        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        output.Write(number);
        output.Write(type);
        output.Write(data);

        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, crc.GetCurrentHashAsUInt32());
        output.Write(number);
    }
}
