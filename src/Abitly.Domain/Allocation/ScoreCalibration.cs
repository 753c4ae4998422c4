namespace Abitly.Domain.Allocation;

/// <summary>
/// How one person's КБ on one formula relates to their КБ on another, learnt from the campaign itself: from names that
/// can only be one person (every application fits one person and one is at priority 1), per pair of formulas, a
/// least-squares line from the КБ on the one to the КБ on the other and the spread around it. It turns "these scores are
/// 4 points apart" into "as far apart as one person's usually are, or not", which is what choosing between persons needs.
/// Pairs seen too rarely, and offers whose formula is unknown, use one pooled spread around no difference.
/// </summary>
internal sealed class ScoreCalibration
{
    /// <summary>Pairs seen fewer times than this use the pooled figures.</summary>
    private const int MinSamples = 20;

    /// <summary>The narrowest spread believed (thousandths): a pair of near-identical formulas must not claim certainty.</summary>
    private const double MinSpread = 500;

    /// <summary>The spread used before anything is learnt (thousandths): about what one person's КБ differ by across formulas.</summary>
    private const double DefaultSpread = 8_000;

    /// <summary>The spread of different persons' differences before anything is learnt (thousandths).</summary>
    private const double DefaultStrangerSpread = 25_000;

    private readonly Dictionary<long, PairFit> _pairs = [];
    private Moments _pooled;
    private Moments _bases;
    private double _pooledSpread = DefaultSpread;
    private double _strangerSpread = DefaultStrangerSpread;

    /// <summary>Notes one application's КБ, for the spread between different persons.</summary>
    public void AddBase(double value) => _bases.Add(value);

    /// <summary>Notes one person's КБ on formulas <paramref name="f"/> and <paramref name="g"/> (f ≠ g; -1 = unknown formula).</summary>
    public void AddPair(int f, double baseF, int g, double baseG)
    {
        var (key, x, y) = Oriented(f, baseF, g, baseG);
        _pooled.Add(x - y);
        if (key >= 0)
        {
            ref var fit = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_pairs, key, out _);
            fit.Add(x, y);
        }
    }

    /// <summary>Fixes the pooled figures once every sample is in.</summary>
    public void Complete()
    {
        if (_pooled.Count >= MinSamples)
        {
            // Around 0, not around the mean: pooled pairs mix formulas whose offsets go either way.
            _pooledSpread = Math.Max(MinSpread, Math.Sqrt(_pooled.SumOfSquares / _pooled.Count));
        }

        if (_bases.Count >= MinSamples)
        {
            // Two strangers' КБ differ by the spread of one КБ times √2.
            _strangerSpread = Math.Max(_pooledSpread * 2, _bases.StandardDeviation * Math.Sqrt(2));
        }
    }

    /// <summary>
    /// Evidence (natural log of the likelihood ratio) that КБ <paramref name="baseF"/> on formula <paramref name="f"/> and
    /// <paramref name="baseG"/> on <paramref name="g"/> are one person's rather than two strangers'.
    /// </summary>
    public double Evidence(int f, double baseF, int g, double baseG)
    {
        var (key, x, y) = Oriented(f, baseF, g, baseG);
        double residual = x - y, spread = _pooledSpread;
        if (key >= 0 && _pairs.TryGetValue(key, out var fit) && fit.Count >= MinSamples)
        {
            residual = y - fit.Predict(x);
            spread = Math.Max(MinSpread, fit.ResidualSpread);
        }

        var z = residual / spread;
        var zStranger = residual / _strangerSpread;
        return Math.Log(_strangerSpread / spread) - (0.5 * z * z) + (0.5 * zStranger * zStranger);
    }

    /// <summary>The pair's key with the smaller formula first, and the difference taken in that order; key -1 when a formula is unknown.</summary>
    private static (long Key, double X, double Y) Oriented(int f, double baseF, int g, double baseG)
    {
        if (f < 0 || g < 0)
        {
            return (-1, baseF, baseG);
        }

        return f < g ? (((long)f << 32) | (uint)g, baseF, baseG) : (((long)g << 32) | (uint)f, baseG, baseF);
    }

    /// <summary>A least-squares line y = a + b·x through one person's КБ pairs on two formulas, and the spread around it.</summary>
    private struct PairFit
    {
        // Centred near the usual КБ so that the sums keep their precision.
        private const double Centre = 150_000;
        private double _x, _y, _xx, _xy, _yy;

        public int Count { get; private set; }

        public readonly double Slope
        {
            get
            {
                var sxx = _xx - (_x * _x / Count);
                return sxx <= 0 ? 1 : (_xy - (_x * _y / Count)) / sxx;
            }
        }

        public readonly double ResidualSpread
        {
            get
            {
                var sxx = _xx - (_x * _x / Count);
                var sxy = _xy - (_x * _y / Count);
                var syy = _yy - (_y * _y / Count);
                var residual = sxx <= 0 ? syy : syy - (sxy * sxy / sxx);
                return Count > 2 ? Math.Sqrt(Math.Max(0, residual) / (Count - 2)) : 0;
            }
        }

        public void Add(double x, double y)
        {
            x -= Centre;
            y -= Centre;
            Count++;
            _x += x;
            _y += y;
            _xx += x * x;
            _xy += x * y;
            _yy += y * y;
        }

        public readonly double Predict(double x) => Centre + (_y / Count) + (Slope * (x - Centre - (_x / Count)));
    }

    /// <summary>Count, mean and spread of a stream of values (Welford's method).</summary>
    private struct Moments
    {
        private double _m2;

        public int Count { get; private set; }

        public double Mean { get; private set; }

        public double SumOfSquares { get; private set; }

        public readonly double StandardDeviation => Count > 1 ? Math.Sqrt(_m2 / (Count - 1)) : 0;

        public void Add(double value)
        {
            Count++;
            SumOfSquares += value * value;
            var delta = value - Mean;
            Mean += delta / Count;
            _m2 += delta * (value - Mean);
        }
    }
}
