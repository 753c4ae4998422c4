using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using FsCheck.Xunit;
using Telegram.Bot.Types.ReplyMarkups;

namespace Abitly.Bot.Tests.Messaging;

/// <summary>
/// A fan-out's message is serialized once and each chat's row is written from that one form: for every chat it must be
/// exactly what serializing the message for that chat gives.
/// </summary>
public sealed class OutboxPayloadTemplateTests
{
    private static readonly RenderedMessage WithKeyboard = new(
        "🔔 Завтра — <b>«День» & \"лапки\"</b>\n\\ 🗓 11:00",
        new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData("⭐ Стежити", "track:f:1402003")]]));

    [Property]
    public bool The_template_for_a_chat_is_the_message_serialized_for_that_chat(long chatId, string? html)
    {
        var plain = new RenderedMessage(html ?? "");
        return OutboxPayload.MessageTemplate(plain).For(chatId) == OutboxPayload.Message(chatId, plain).ToJson()
            && OutboxPayload.MessageTemplate(WithKeyboard).For(chatId) == OutboxPayload.Message(chatId, WithKeyboard).ToJson();
    }

    [Fact]
    public void A_template_writes_the_stored_form_with_the_chat_in_its_place()
    {
        // Written out by hand: the stored form the outbox workers read (surrogate pairs escaped, Cyrillic as it is).
        Assert.Equal(
            """{"m":"sendMessage","c":-1001234567890,"id":null,"t":"\uD83D\uDD14 Завтра — <b>День</b>","k":null,"q":null,"n1":null,"n0":null,"a":false}""",
            OutboxPayload.MessageTemplate(new RenderedMessage("🔔 Завтра \u2014 <b>День</b>")).For(-1_001_234_567_890));
    }
}
