using Abitly.Domain.OpenDays;

namespace Abitly.Domain.Tests.OpenDays;

public class OpenDayZoneTests
{
    [Theory]
    [InlineData("Europe/Kyiv")]
    [InlineData("Europe/Kiev")]
    [InlineData(" Europe/Kyiv ")]
    public void Both_Kyiv_spellings_resolve_to_Kyiv_time(string id)
    {
        var zone = OpenDayZone.Resolve(id);

        Assert.Equal(TimeSpan.FromHours(2), zone.GetUtcOffset(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(TimeSpan.FromHours(3), zone.GetUtcOffset(new DateTimeOffset(2026, 7, 15, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Other_zones_resolve_by_their_id()
    {
        Assert.Equal(TimeSpan.Zero, OpenDayZone.Resolve("UTC").BaseUtcOffset);
    }

    [Fact]
    public void An_unknown_zone_fails_with_a_message_naming_it()
    {
        var error = Assert.Throws<TimeZoneNotFoundException>(() => OpenDayZone.Resolve("Mars/Olympus_Mons"));

        Assert.Contains("Mars/Olympus_Mons", error.Message, StringComparison.Ordinal);
        Assert.Contains("TIMEZONE", error.Message, StringComparison.Ordinal);
    }
}
