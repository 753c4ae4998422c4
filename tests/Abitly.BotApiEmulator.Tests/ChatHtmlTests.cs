namespace Abitly.BotApiEmulator.Tests;

public sealed class ChatHtmlTests
{
    private const string LinkAttributes = "target=\"_blank\" rel=\"noopener noreferrer\"";

    [Theory]
    [InlineData("<b>x</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <ins>n</ins> <s>s</s> <strike>k</strike> <del>d</del>",
        "<b>x</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <ins>n</ins> <s>s</s> <strike>k</strike> <del>d</del>")]
    [InlineData("<B>x</B>", "<b>x</b>")]
    [InlineData("<b><i>x</i></b>", "<b><i>x</i></b>")]
    [InlineData("<b>open", "<b>open</b>")]
    [InlineData("<b><i>x</b>y</i>", "<b><i>x</i></b>y")]
    [InlineData("stray</b> end", "stray end")]
    [InlineData("line 1\nline 2\r\n", "line 1<br>line 2<br>")]
    [InlineData("<pre><code class=\"language-csharp\">var x = 1;\nvar y;</code></pre>", "<pre><code>var x = 1;<br>var y;</code></pre>")]
    [InlineData("<blockquote expandable>q</blockquote>", "<blockquote>q</blockquote>")]
    [InlineData("<span class=\"tg-spoiler\">s</span><span>p</span><tg-spoiler>t</tg-spoiler>", "<span class=\"spoiler\">s</span>p<span class=\"spoiler\">t</span>")]
    [InlineData("<tg-spoiler><span>a</span>b</tg-spoiler>", "<span class=\"spoiler\">ab</span>")]
    public void Allowed_tags_are_kept_without_attributes_and_balanced(string telegram, string expected) =>
        Assert.Equal(expected, ChatHtml.FromTelegramHtml(telegram));

    [Theory]
    [InlineData("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("&#60;img src=x onerror=alert(1)&#x3E;", "&lt;img src=x onerror=alert(1)&gt;")]
    [InlineData("&quot;q&quot; &amp; &#39; &#1111;", "&quot;q&quot; &amp; &#39; ї")]
    [InlineData("Tom & Jerry &nbsp; &#xD800;", "Tom &amp; Jerry &amp;nbsp; &amp;#xD800;")]
    [InlineData("1 < 2 > 0", "1 &lt; 2 &gt; 0")]
    [InlineData("<script>alert(1)</script>", "alert(1)")]
    [InlineData("<img src=x onerror=alert(1)>", "")]
    [InlineData("<b onclick=\"alert(1)\" style='x'>x</b>", "<b>x</b>")]
    [InlineData("<b title=\"a>b\">x</b>", "<b>x</b>")]
    [InlineData("<span class=\"x\" onclick=\"tg-spoiler\">x</span>", "x")]
    public void Text_and_entities_are_escaped_and_other_markup_dropped(string telegram, string expected) =>
        Assert.Equal(expected, ChatHtml.FromTelegramHtml(telegram));

    [Theory]
    [InlineData("<a href=\"https://abit.ly/?a=1&amp;b=2\">x</a>", "https://abit.ly/?a=1&amp;b=2")]
    [InlineData("<a href='http://abit.ly/' onmouseover='alert(1)'>x</a>", "http://abit.ly/")]
    [InlineData("<a href=HTTPS://abit.ly/>x</a>", "HTTPS://abit.ly/")]
    [InlineData("<a href=\"tg://resolve?domain=AbitlyBot&amp;start=abc\">x</a>", "tg://resolve?domain=AbitlyBot&amp;start=abc")]
    [InlineData("<a href=\"https://x.ua/?q=&quot;&gt;&lt;script&gt;&#39;\">x</a>", "https://x.ua/?q=&quot;&gt;&lt;script&gt;&#39;")]
    public void Links_to_http_https_and_tg_keep_an_escaped_href(string telegram, string href) =>
        Assert.Equal($"<a href=\"{href}\" {LinkAttributes}>x</a>", ChatHtml.FromTelegramHtml(telegram));

    [Theory]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    [InlineData("<a href=\" JaVaScRiPt:alert(1)\">x</a>")]
    [InlineData("<a href=\"jav&#x09;ascript:alert(1)\">x</a>")]
    [InlineData("<a href=\"https:&#10;//x.ua\">x</a>")]
    [InlineData("<a href=\"data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;\">x</a>")]
    [InlineData("<a href=\"/relative\">x</a>")]
    [InlineData("<a href=\"//evil.example/\">x</a>")]
    [InlineData("<a title=\"https://abit.ly\">x</a>")]
    [InlineData("<a>x</a>")]
    public void Other_links_lose_the_tag_and_keep_the_text(string telegram) =>
        Assert.Equal("x", ChatHtml.FromTelegramHtml(telegram));

    [Fact]
    public void A_link_inside_a_link_is_dropped()
    {
        var html = ChatHtml.FromTelegramHtml("<a href=\"https://a.ua/\">1<a href=\"https://b.ua/\">2</a>3</a>");

        Assert.Equal($"<a href=\"https://a.ua/\" {LinkAttributes}>123</a>", html);
    }

    [Fact]
    public void Plain_text_is_escaped_with_line_breaks()
    {
        Assert.Equal("&lt;b&gt;1 &amp; 2&lt;/b&gt;<br>&#39;&quot;&amp;amp;", ChatHtml.FromPlainText("<b>1 & 2</b>\r\n'\"&amp;"));
        Assert.Equal("&lt;b&gt;x&lt;/b&gt;", ChatHtml.ForMessage("<b>x</b>", parseMode: null));
        Assert.Equal("<b>x</b>", ChatHtml.ForMessage("<b>x</b>", "html"));
        Assert.Equal(string.Empty, ChatHtml.ForMessage(null, "HTML"));
    }
}
