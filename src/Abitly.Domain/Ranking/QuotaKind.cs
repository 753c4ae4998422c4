namespace Abitly.Domain.Ranking;

/// <summary>Which budget competition an application is in: the general one, quota 1 (benefit categories) or quota 2 (occupied territories, combat zones).</summary>
public enum QuotaKind
{
    /// <summary>No quota: the general competition only.</summary>
    None = 0,

    /// <summary>Quota 1 (квота 1): legally defined benefit categories.</summary>
    Quota1 = 1,

    /// <summary>Quota 2 (квота 2): applicants from temporarily occupied territories or combat zones.</summary>
    Quota2 = 2,
}
