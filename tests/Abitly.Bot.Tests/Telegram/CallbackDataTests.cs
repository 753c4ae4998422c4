using Abitly.Bot.Callbacks;
using Abitly.Domain.Filters;

namespace Abitly.Bot.Tests.Telegram;

/// <summary>The one callback-data codec: the wire forms buttons already carry, round trips, the 64-byte limit, and forged data.</summary>
public sealed class CallbackDataTests
{
    [Fact]
    public void Records_pack_to_the_wire_forms_existing_buttons_carry()
    {
        // Buttons sent before this codec existed keep working after a deploy.
        Assert.Equal("offer:r:1402001", CallbackData.Pack(new OfferRefresh(1402001)));
        Assert.Equal("od:p:3", CallbackData.Pack(new OpenDaysPage(3)));
        Assert.Equal("od:my", CallbackData.Pack(new OpenDaysFollowed()));
        Assert.Equal("od:f:42:0", CallbackData.Pack(new OpenDayFollow(42, new OpenDaysView(0))));
        Assert.Equal("od:u:42:m", CallbackData.Pack(new OpenDayUnfollow(42, OpenDaysView.Followed)));
        Assert.Equal("fl:r:u:7", CallbackData.Pack(new FilterRemove(FilterDimension.University, 7)));
        Assert.Equal("fl:a:s", CallbackData.Pack(new FilterSearchStart(FilterDimension.Speciality)));
        Assert.Equal("fl:p:0a1b2c3d:s:12", CallbackData.Pack(new FilterPick("0a1b2c3d", FilterDimension.Speciality, 12)));
        Assert.Equal("fl:x:0a1b2c3d", CallbackData.Pack(new FilterSearchCancel("0a1b2c3d")));
        Assert.Equal("profile:unlink-yes", CallbackData.Pack(new ProfileUnlinkConfirmed()));
        Assert.Equal("bc:go:AbC-_9", CallbackData.Pack(new BroadcastConfirm("AbC-_9")));
    }

    [Theory]
    [InlineData("offer:r:1402001", true)]
    [InlineData("offer:r:", false)]
    [InlineData("offer:r:12a", false)]
    [InlineData("offer:r:-5", false)]
    [InlineData("offer:r:1:2", false)]                   // an extra field
    [InlineData("offer:r", false)]
    [InlineData("offer:rx:1", false)]
    [InlineData("offer:r:99999999999999999999", false)] // overflows a long
    public void Only_well_formed_data_unpacks(string data, bool ok) =>
        Assert.Equal(ok, CallbackData.Unpack<OfferRefresh>(data) is not null);

    [Theory]
    [InlineData("od:f:5:m", 5, null)]
    [InlineData("od:f:5:2", 5, 2)]
    public void Open_day_buttons_remember_the_view_to_return_to(string data, int id, int? page)
    {
        var follow = CallbackData.Unpack<OpenDayFollow>(data);
        Assert.Equal(new OpenDayFollow(id, new OpenDaysView(page)), follow);
    }

    [Theory]
    [InlineData("od:f:5:x")]
    [InlineData("fl:r:z:5")]
    [InlineData("fl:p:no:nce:u:5")]
    [InlineData("fl:x:not a token")]
    public void Forged_fields_are_refused(string data)
    {
        Assert.Null(CallbackData.Unpack<OpenDayFollow>(data));
        Assert.Null(CallbackData.Unpack<FilterRemove>(data));
        Assert.Null(CallbackData.Unpack<FilterPick>(data));
        Assert.Null(CallbackData.Unpack<FilterSearchCancel>(data));
    }

    [Fact]
    public void The_codec_refuses_data_over_64_bytes_and_fields_with_a_separator()
    {
        var longest = new string('a', 64 - "bc:go:".Length);
        Assert.Equal(64, CallbackData.Pack(new BroadcastConfirm(longest)).Length);
        var tooLong = Assert.Throws<ArgumentException>(() => CallbackData.Pack(new BroadcastConfirm(longest + "a")));
        Assert.Contains("65 bytes", tooLong.Message, StringComparison.Ordinal);
        // Bytes, not characters: Cyrillic is two bytes each in UTF-8.
        Assert.Throws<ArgumentException>(() => CallbackData.Pack(new BroadcastConfirm(new string('ї', 30))));
        Assert.Throws<ArgumentException>(() => CallbackData.Pack(new BroadcastConfirm("a:b")));
        Assert.Throws<ArgumentException>(() => CallbackData.Pack(new BroadcastConfirm("")));
    }

    [Fact]
    public void Prefixes_match_on_a_field_boundary_only()
    {
        Assert.True(CallbackData.HasPrefix("profile:unlink", "profile:unlink"));
        Assert.False(CallbackData.HasPrefix("profile:unlink-yes", "profile:unlink"));
        Assert.Null(CallbackData.Unpack<ProfileUnlink>("profile:unlink-yes"));
        Assert.NotNull(CallbackData.Unpack<ProfileUnlinkConfirmed>("profile:unlink-yes"));
    }

    [FsCheck.Xunit.Property]
    public bool Every_record_round_trips(long offerId, int openDayId, int page, bool followedView, bool university, int choiceId)
    {
        offerId = Math.Abs(offerId % 10_000_000_000L);
        openDayId = Math.Abs(openDayId);
        page = Math.Abs(page);
        choiceId = Math.Abs(choiceId);
        var view = followedView ? OpenDaysView.Followed : new OpenDaysView(page);
        var dimension = university ? FilterDimension.University : FilterDimension.Speciality;
        return RoundTrips(new OfferRefresh(offerId))
            && RoundTrips(new OpenDaysPage(page))
            && RoundTrips(new OpenDayFollow(openDayId, view))
            && RoundTrips(new OpenDayUnfollow(openDayId, view))
            && RoundTrips(new FilterRemove(dimension, choiceId))
            && RoundTrips(new FilterPick("0a1b2c3d", dimension, choiceId));
    }

    private static bool RoundTrips<T>(T value)
        where T : class, ICallbackData<T> =>
        Equals(CallbackData.Unpack<T>(CallbackData.Pack(value)), value);
}
