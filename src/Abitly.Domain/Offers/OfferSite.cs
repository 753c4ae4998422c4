namespace Abitly.Domain.Offers;

/// <summary>The site an offer link points to; all of them name the offer by its EDBO id.</summary>
public enum OfferSite
{
    /// <summary><c>vstup.edbo.gov.ua/offer/&lt;id&gt;/</c> — the current campaign.</summary>
    Edbo,

    /// <summary><c>vstup&lt;YYYY&gt;.edbo.gov.ua/offer/&lt;id&gt;/</c> — a past campaign.</summary>
    EdboArchive,

    /// <summary><c>vstup.osvita.ua/y&lt;YYYY&gt;/r&lt;region&gt;/&lt;university&gt;/&lt;id&gt;/</c>.</summary>
    OsvitaUa,

    /// <summary><c>abit-poisk.org.ua/rate&lt;YYYY&gt;/direction/&lt;id&gt;</c>.</summary>
    AbitPoisk,
}
