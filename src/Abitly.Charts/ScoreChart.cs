namespace Abitly.Charts;

/// <summary>A rendered score chart: the PNG and where its data area lies, for callers and tests that locate things on it.</summary>
public sealed class ScoreChart
{
    private readonly byte[] _png;

    internal ScoreChart(byte[] png, int width, int height, PlotArea dataArea, int binWidth, double countAxisMaximum)
    {
        _png = png;
        Width = width;
        Height = height;
        DataArea = dataArea;
        BinWidth = binWidth;
        CountAxisMaximum = countAxisMaximum;
    }

    /// <summary>The PNG file's bytes.</summary>
    public ReadOnlyMemory<byte> Png => _png;

    /// <summary>Picture width in pixels.</summary>
    public int Width { get; }

    /// <summary>Picture height in pixels.</summary>
    public int Height { get; }

    /// <summary>The data area in pixels: x runs from score 100 at its left edge to 200 at its right edge.</summary>
    public PlotArea DataArea { get; }

    /// <summary>Points per histogram bin (1, 2 or 5; see <see cref="ScoreHistogram.ChooseBinWidth"/>).</summary>
    public int BinWidth { get; }

    /// <summary>The count at the data area's top edge (the count axis runs from 0 at its bottom edge).</summary>
    public double CountAxisMaximum { get; }

    /// <summary>The PNG as a read-only stream over the same bytes (for Telegram's InputFile).</summary>
    public Stream OpenPng() => new MemoryStream(_png, writable: false);

    /// <summary>The x pixel (from the picture's left edge) where <paramref name="score"/> lies on the score axis.</summary>
    public float XPixel(decimal score) => DataArea.XPixel(score);

    /// <summary>The y pixel (from the picture's top edge) of a bar <paramref name="count"/> applications tall.</summary>
    public float YPixel(double count) => DataArea.Bottom - (float)(count / CountAxisMaximum * DataArea.Height);
}

/// <summary>A rectangle in pixels, measured from the picture's top-left corner.</summary>
public readonly record struct PlotArea(float Left, float Top, float Right, float Bottom)
{
    /// <summary>Width in pixels.</summary>
    public float Width => Right - Left;

    /// <summary>Height in pixels.</summary>
    public float Height => Bottom - Top;

    /// <summary>The x pixel of a score on the fixed 100–200 axis spanning this area.</summary>
    public float XPixel(decimal score) =>
        Left + (float)((score - ScoreHistogram.AxisMinimum) / (ScoreHistogram.AxisMaximum - ScoreHistogram.AxisMinimum)) * Width;
}
