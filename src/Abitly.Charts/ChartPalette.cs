using ScottPlot;

namespace Abitly.Charts;

/// <summary>
/// The chart's colours. Bars and lines come from the Okabe–Ito palette, which stays distinguishable with the common
/// colour-vision deficiencies; the user's marker is the only warm, saturated colour, so it stands out from the bars.
/// </summary>
internal static class ChartPalette
{
    public static readonly Color Background = Color.FromHex("#FFFFFF");
    public static readonly Color Text = Color.FromHex("#1F2328");
    public static readonly Color MutedText = Color.FromHex("#57606A");
    public static readonly Color Grid = Color.FromHex("#E8EAED");
    public static readonly Color Axis = Color.FromHex("#8C959F");

    /// <summary>Okabe–Ito blue: the general competition, most of every list.</summary>
    public static readonly Color General = Color.FromHex("#0072B2");

    /// <summary>Okabe–Ito sky blue: quota 1.</summary>
    public static readonly Color Quota1 = Color.FromHex("#56B4E9");

    /// <summary>Okabe–Ito reddish purple: quota 2.</summary>
    public static readonly Color Quota2 = Color.FromHex("#CC79A7");

    /// <summary>Near-black, dashed: the budget cut-off.</summary>
    public static readonly Color CutOffLine = Color.FromHex("#1F2328");

    /// <summary>Okabe–Ito vermillion: the user's score.</summary>
    public static readonly Color Marker = Color.FromHex("#D55E00");

    /// <summary>A faint green wash over the budget zone (cut-off to 200).</summary>
    public static readonly Color BudgetZone = Color.FromHex("#009E73").WithAlpha(22);

    public static readonly Color LabelBackground = Color.FromHex("#FFFFFF").WithAlpha(235);
}
