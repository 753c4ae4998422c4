using System.Text.Json;

namespace Abitly.Bench;

/// <summary>Which way a figure improves, so that a target reads "≤ 5" or "≥ 1500".</summary>
internal enum Better
{
    Lower,
    Higher,
}

/// <summary>
/// One figure a benchmark run measured, as `bench all` collects it: the value, the target it is held to (if any), and an
/// anchor measured in the same run (a peer's figure or a floor such as the bare SQL fetch) that the ratio is taken to.
/// </summary>
internal sealed record BenchFigure(
    string Key,
    string Label,
    double Value,
    string Unit,
    Better Better,
    double? Target = null,
    string? AnchorLabel = null,
    double? Anchor = null,
    double? RatioTarget = null);

/// <summary>
/// Where benchmarks report their figures: printed as they always were, and appended as JSON lines to the file named by
/// ABITLY_BENCH_FIGURES when `bench all` runs the benchmark as its child.
/// </summary>
internal static class BenchFigures
{
    public const string FileVariable = "ABITLY_BENCH_FIGURES";

    private static readonly Lock Gate = new();

    /// <summary>Reports one figure (prints a "figure:" line; written for `bench all` when it asked).</summary>
    public static void Report(BenchFigure figure)
    {
        var target = figure.Target is { } t ? $" (target {(figure.Better == Better.Lower ? "≤" : "≥")} {t:0.###})" : "";
        var anchor = figure.Anchor is { } a ? $"; {figure.AnchorLabel} {a:0.###} {figure.Unit}, ratio {figure.Value / a:0.00}" : "";
        Console.WriteLine($"figure: {figure.Label} = {figure.Value:0.###} {figure.Unit}{target}{anchor}");
        if (Environment.GetEnvironmentVariable(FileVariable) is { Length: > 0 } path)
        {
            var line = JsonSerializer.Serialize(figure, BenchJson.Options) + "\n";
            lock (Gate)
            {
                File.AppendAllText(path, line);
            }
        }
    }

    /// <summary>Shorthand for a figure held to a target with no anchor.</summary>
    public static void Report(string key, string label, double value, string unit, Better better, double? target = null) =>
        Report(new BenchFigure(key, label, value, unit, better, target));
}

/// <summary>The JSON shape of figure lines (enums as names, so RESULTS.md tooling can read them by eye too).</summary>
internal static class BenchJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
