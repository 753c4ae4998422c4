using SkiaSharp;

namespace Abitly.Charts.Tests;

public class PngWriterTests
{
    [Fact]
    public void Pixels_come_back_exactly_when_skiasharp_decodes_the_file()
    {
        // Three columns, two rows, each pixel a different colour (also across the row boundary).
        SKColor[] colours = [new(255, 0, 0), new(0, 128, 0), new(0, 0, 255), new(1, 2, 3), new(250, 251, 252), new(0x0E, 0x72, 0xB2)];
        using var bitmap = new SKBitmap(new SKImageInfo(3, 2, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (var i = 0; i < colours.Length; i++)
        {
            bitmap.SetPixel(i % 3, i / 3, colours[i]);
        }

        using var pixmap = bitmap.PeekPixels();
        var png = PngWriter.Encode(pixmap);

        using var decoded = SKBitmap.Decode(png);
        Assert.NotNull(decoded);
        Assert.Equal((3, 2), (decoded.Width, decoded.Height));
        for (var i = 0; i < colours.Length; i++)
        {
            Assert.Equal(colours[i], decoded.GetPixel(i % 3, i / 3));
        }
    }

    [Fact]
    public void Pixels_with_transparency_are_refused()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(2, 2, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var pixmap = bitmap.PeekPixels();

        Assert.Throws<ArgumentException>(() => PngWriter.Encode(pixmap));
    }
}
