using System.Diagnostics;
using System.Text;
using Abitly.Domain.Offers;

namespace Abitly.Domain.Tests.Offers;

public class OfferLinkParserTests
{
    [Theory]
    [InlineData("https://vstup.edbo.gov.ua/offer/1234567/", 1234567L, null, OfferSite.Edbo)]
    [InlineData("http://vstup.edbo.gov.ua/offer/1234567", 1234567L, null, OfferSite.Edbo)]
    [InlineData("https://www.vstup.edbo.gov.ua/offer/1234567/", 1234567L, null, OfferSite.Edbo)]
    [InlineData("vstup.edbo.gov.ua/offer/123456/", 123456L, null, OfferSite.Edbo)]
    [InlineData("www.vstup.edbo.gov.ua/offer/123456", 123456L, null, OfferSite.Edbo)]
    [InlineData("https://vstup.edbo.gov.ua/offer/1234567//", 1234567L, null, OfferSite.Edbo)]
    [InlineData("https://vstup.edbo.gov.ua/offer/1234567/?page=2", 1234567L, null, OfferSite.Edbo)]
    [InlineData("https://vstup.edbo.gov.ua/offer/1234567?list=simulation#top", 1234567L, null, OfferSite.Edbo)]
    [InlineData("https://vstup.edbo.gov.ua/offer/1234567#applicants", 1234567L, null, OfferSite.Edbo)]
    [InlineData("https://VSTUP.EDBO.GOV.UA/offer/1234567/", 1234567L, null, OfferSite.Edbo)]
    [InlineData("HTTPS://Vstup.Edbo.Gov.Ua/OFFER/1234567/", 1234567L, null, OfferSite.Edbo)]
    [InlineData("Ось моя програма: https://vstup.edbo.gov.ua/offer/1234567/. Дякую!", 1234567L, null, OfferSite.Edbo)]
    [InlineData("(https://vstup.edbo.gov.ua/offer/1234567/)", 1234567L, null, OfferSite.Edbo)]
    [InlineData("[посилання](https://vstup.edbo.gov.ua/offer/1234567/)", 1234567L, null, OfferSite.Edbo)]
    [InlineData("«https://vstup.edbo.gov.ua/offer/1234567/»", 1234567L, null, OfferSite.Edbo)]
    [InlineData("\"https://vstup.edbo.gov.ua/offer/1234567\",", 1234567L, null, OfferSite.Edbo)]
    [InlineData("посилання:https://vstup.edbo.gov.ua/offer/1234567/", 1234567L, null, OfferSite.Edbo)]
    [InlineData("текст\nhttps://vstup.edbo.gov.ua/offer/1234567/\nще текст", 1234567L, null, OfferSite.Edbo)]
    [InlineData("https://vstup.edbo.gov.ua/offer/000123/", 123L, null, OfferSite.Edbo)]
    [InlineData("https://vstup.edbo.gov.ua/offer/1/", 1L, null, OfferSite.Edbo)]
    [InlineData("https://vstup.edbo.gov.ua/offer/999999999/", 999999999L, null, OfferSite.Edbo)]
    [InlineData("https://vstup2024.edbo.gov.ua/offer/1234567/", 1234567L, 2024, OfferSite.EdboArchive)]
    [InlineData("vstup2023.edbo.gov.ua/offer/987654", 987654L, 2023, OfferSite.EdboArchive)]
    [InlineData("https://www.VSTUP2025.edbo.gov.ua/offer/1234567/?x=1", 1234567L, 2025, OfferSite.EdboArchive)]
    [InlineData("https://vstup.osvita.ua/y2025/r27/79/1234567/", 1234567L, 2025, OfferSite.OsvitaUa)]
    [InlineData("http://www.vstup.osvita.ua/y2024/r80/174/1300000?ref=tg", 1300000L, 2024, OfferSite.OsvitaUa)]
    [InlineData("https://abit-poisk.org.ua/rate2025/direction/1234567", 1234567L, 2025, OfferSite.AbitPoisk)]
    [InlineData("abit-poisk.org.ua/rate2024/direction/1234567/#list", 1234567L, 2024, OfferSite.AbitPoisk)]
    public void Accepts_every_documented_form(string text, long id, int? year, OfferSite site)
    {
        var scan = OfferLinkParser.Parse(text);

        var link = Assert.Single(scan.Links);
        Assert.Equal(id, link.OfferId);
        Assert.Equal(year, link.Year);
        Assert.Equal(site, link.Site);
        Assert.True(scan.ContainsUrl);
    }

    [Theory]
    [InlineData("https://vstup.еdbo.gov.ua/offer/1234567/")] // Cyrillic «е»
    [InlineData("https://vstuр.edbo.gov.ua/offer/1234567/")] // Cyrillic «р»
    [InlineData("https://abıt-poisk.org.ua/rate2025/direction/1234567")] // dotless «ı» folds to I under ordinal ignore-case
    [InlineData("https://vstup.xn--dbo-5cd.gov.ua/offer/1234567/")]
    [InlineData("https://vstup.edbo.gov.ua.evil.com/offer/1234567/")]
    [InlineData("https://evilvstup.edbo.gov.ua/offer/1234567/")]
    [InlineData("https://evil.vstup.edbo.gov.ua/offer/1234567/")]
    [InlineData("https://vstup.edbo.gov.ua@evil.com/offer/1234567/")]
    [InlineData("https://evil.com@vstup.edbo.gov.ua/offer/1234567/")]
    [InlineData("https://vstup.edbo.gov.ua:8443/offer/1234567/")]
    [InlineData("https://evil.com/?next=https://vstup.edbo.gov.ua/offer/1234567/")]
    [InlineData("ftp://vstup.edbo.gov.ua/offer/1234567/")]
    [InlineData("xhttps://vstup.edbo.gov.ua/offer/1234567/")]
    [InlineData("javascript:vstup.edbo.gov.ua/offer/1234567/")]
    [InlineData("javascript://vstup.edbo.gov.ua/offer/1234567/")]
    [InlineData("https://vstup.edbo.gov.ua/offer/1234567890/")]
    [InlineData("https://vstup.edbo.gov.ua/offer/99999999999999999999999999/")]
    [InlineData("https://vstup.edbo.gov.ua/offer/0/")]
    [InlineData("https://vstup.edbo.gov.ua/offer/0000/")]
    [InlineData("https://vstup.edbo.gov.ua/offer/-5/")]
    [InlineData("https://vstup.edbo.gov.ua/offer/12a45/")]
    [InlineData("https://vstup.edbo.gov.ua/offer/１２３４５６７/")] // full-width digits
    [InlineData("https://vstup.edbo.gov.ua/offer/")]
    [InlineData("https://vstup.edbo.gov.ua/offers/1234567/")]
    [InlineData("https://vstup.edbo.gov.ua/offer/1234567/applicants")]
    [InlineData("https://vstup1999.edbo.gov.ua/offer/1234567/")]
    [InlineData("https://vstup2100.edbo.gov.ua/offer/1234567/")]
    [InlineData("https://vstup20245.edbo.gov.ua/offer/1234567/")]
    [InlineData("https://vstup.osvita.ua/y2025/r27/79/")]
    [InlineData("https://vstup.osvita.ua/y1999/r27/79/1234567/")]
    [InlineData("https://vstup.osvita.ua/y25/r27/79/1234567/")]
    [InlineData("https://vstup.osvita.ua/y2025/27/79/1234567/")]
    [InlineData("https://abit-poisk.org.ua/rate2025/1234567")]
    [InlineData("https://abit-poisk.org.ua/rate/direction/1234567")]
    public void Rejects_look_alikes_other_schemes_and_absurd_ids(string text)
    {
        var scan = OfferLinkParser.Parse(text);

        Assert.Empty(scan.Links);
        Assert.Null(scan.First);
    }

    [Theory]
    [InlineData("https://vstup.еdbo.gov.ua/offer/1234567/")]
    [InlineData("https://vstup.edbo.gov.ua.evil.com/offer/1234567/")]
    [InlineData("ftp://vstup.edbo.gov.ua/offer/1234567/")]
    [InlineData("https://example.com/page")]
    [InlineData("подивись www.google.com")]
    [InlineData("example.com/path")]
    [InlineData("https://vstup.edbo.gov.ua/")]
    public void A_url_without_an_offer_link_is_still_reported_as_a_url(string text)
    {
        var scan = OfferLinkParser.Parse(text);

        Assert.Empty(scan.Links);
        Assert.True(scan.ContainsUrl);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Привіт! Який у мене бал?")]
    [InlineData("1.5/2 бала, 186 з укр.")]
    [InlineData("файл.txt")]
    public void Text_without_a_url_holds_neither_links_nor_a_url(string? text)
    {
        var scan = OfferLinkParser.Parse(text);

        Assert.Empty(scan.Links);
        Assert.False(scan.ContainsUrl);
    }

    [Fact]
    public void Several_links_come_in_order_of_appearance_once_per_offer_id()
    {
        const string text = "перша https://abit-poisk.org.ua/rate2025/direction/222222 "
            + "друга https://vstup.edbo.gov.ua/offer/111111/ "
            + "та сама, що перша: https://vstup.osvita.ua/y2025/r27/79/222222/ "
            + "і ще раз друга vstup.edbo.gov.ua/offer/111111";

        var scan = OfferLinkParser.Parse(text);

        Assert.Equal([222222L, 111111L], scan.Links.Select(l => l.OfferId));
        Assert.Equal(OfferSite.AbitPoisk, scan.First?.Site);
        Assert.Equal(OfferSite.Edbo, scan.Links[1].Site);
    }

    [Fact]
    public void The_url_is_kept_as_written_without_the_surrounding_punctuation()
    {
        var scan = OfferLinkParser.Parse("Ось (https://vstup.edbo.gov.ua/offer/1234567/?page=2).");

        Assert.Equal("https://vstup.edbo.gov.ua/offer/1234567/?page=2", Assert.Single(scan.Links).Url);
    }

    [Fact]
    public void A_prefix_glued_to_the_scheme_is_not_part_of_the_url()
    {
        var scan = OfferLinkParser.Parse("посилання:https://vstup.edbo.gov.ua/offer/1234567/");

        Assert.Equal("https://vstup.edbo.gov.ua/offer/1234567/", Assert.Single(scan.Links).Url);
    }

    [Fact]
    public void A_long_message_full_of_links_parses_quickly()
    {
        var builder = new StringBuilder();
        var id = 100000;
        while (builder.Length < 10_000)
        {
            builder.Append("https://vstup.edbo.gov.ua/offer/").Append(id++).Append("/?page=2 ");
        }

        var text = builder.ToString();
        OfferLinkParser.Parse(text); // warm-up: the first call pays for JIT

        var stopwatch = Stopwatch.StartNew();
        var scan = OfferLinkParser.Parse(text);
        stopwatch.Stop();

        Assert.Equal(id - 100000, scan.Links.Count);
        Assert.True(stopwatch.ElapsedMilliseconds < 500, $"took {stopwatch.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData("https://")]
    [InlineData("/")]
    [InlineData("a")]
    [InlineData("vstup.edbo.gov.ua/offer/")]
    [InlineData("https://vstup.edbo.gov.ua/offer/1234567")]
    public void Adversarial_unbroken_input_stays_fast(string unit)
    {
        var text = string.Concat(Enumerable.Repeat(unit, 10_000 / unit.Length));
        OfferLinkParser.Parse(text);

        var stopwatch = Stopwatch.StartNew();
        OfferLinkParser.Parse(text);
        stopwatch.Stop();

        Assert.True(stopwatch.ElapsedMilliseconds < 500, $"took {stopwatch.ElapsedMilliseconds} ms");
    }
}
