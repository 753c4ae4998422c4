using Abitly.Bot.Callbacks;
using Abitly.Bot.Data;
using Abitly.Bot.Rendering;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace Abitly.Bot.Tests;

/// <summary>The offer flow end to end: a pasted link → the view from PostgreSQL demo data, through the emulator.</summary>
public sealed class OfferViewTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private BotTestHost _host = null!;

    public async Task InitializeAsync() => _host = await BotTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("https://vstup.edbo.gov.ua/offer/1402001/")]
    [InlineData("Дивись: vstup.edbo.gov.ua/offer/1402001 — що скажеш?")]
    [InlineData("https://vstup2026.edbo.gov.ua/offer/1402001/?list=simulation#top")]
    [InlineData("http://www.vstup.osvita.ua/y2026/r27/79/1402001/")]
    [InlineData("https://abit-poisk.org.ua/rate2026/direction/1402001")]
    [InlineData("https://vstup.edbo.gov.ua/offer/01402001/")]
    public async Task Each_link_form_gets_the_offer_view(string text)
    {
        const long chat = 8001;
        _host.Emulator.SendText(chat, text);
        var reply = await _host.Emulator.WaitForBotMessageAsync(chat, timeout: Wait);

        Assert.Contains("КНУ ім. Шевченка", reply.PlainText);
        Assert.Contains("F3 Комп'ютерні науки", reply.PlainText);
        Assert.Contains("Бюджетних місць (макс. держзамовлення): 120", reply.PlainText);
        Assert.Contains("Аналітика", reply.PlainText);
        Assert.Contains("Під'єднайте профіль", reply.PlainText);
        Assert.Equal("HTML", reply.ParseMode, ignoreCase: true);
        Assert.Contains(CallbackData.Pack(new OfferRefresh(1402001)), reply.CallbackData);
        Assert.Contains(reply.ReplyMarkup!.SelectMany(r => r), b => b.Url == "https://abitly.example/profile");
        // Privacy: the list's names never appear.
        Assert.DoesNotContain("Шевченко ", reply.Text);
    }

    [Fact]
    public async Task Several_links_answer_the_first_and_say_so()
    {
        const long chat = 8002;
        _host.Emulator.SendText(chat, "https://vstup.edbo.gov.ua/offer/1402003/ і ще https://vstup.edbo.gov.ua/offer/1402001/");
        var reply = await _host.Emulator.WaitForBotMessageAsync(chat, timeout: Wait);
        Assert.StartsWith(OfferViewRenderer.SeveralLinks, reply.Text);
        Assert.Contains("C5 Соціологія", reply.Text);
    }

    [Fact]
    public async Task Unknown_offer_and_other_years_get_their_own_messages()
    {
        _host.Emulator.SendText(8003, "https://vstup.edbo.gov.ua/offer/9999999/");
        var notFound = await _host.Emulator.WaitForBotMessageAsync(8003, timeout: Wait);
        Assert.Contains("Не знайшов конкурсну пропозицію <b>9999999</b>", notFound.Text);

        _host.Emulator.SendText(8004, "https://vstup2025.edbo.gov.ua/offer/1402001/");
        var linkYear = await _host.Emulator.WaitForBotMessageAsync(8004, timeout: Wait);
        Assert.Contains("кампанії <b>2025</b>", linkYear.Text);
        Assert.Contains("кампанії <b>2026</b>", linkYear.Text);

        // Stored offer of the previous campaign, linked without a year.
        _host.Emulator.SendText(8005, "https://vstup.edbo.gov.ua/offer/1302001/");
        var storedYear = await _host.Emulator.WaitForBotMessageAsync(8005, timeout: Wait);
        Assert.Contains("кампанії <b>2025</b>", storedYear.Text);
    }

    [Fact]
    public async Task Linked_user_sees_score_and_place()
    {
        const long chat = 8006;
        await LinkAsync(chat, DemoData.Ids.DemoWebUser);

        _host.Emulator.SendText(chat, "https://vstup.edbo.gov.ua/offer/1402001/");
        var reply = await _host.Emulator.WaitForBotMessageAsync(chat, IsOfferView, Wait);

        // Demo user: ukr 186, math 167, hist 168, eng 152; offer weights 0.30/0.50/0.20, eng 0.30, К4max 0.40 (phys).
        // КБ = (55.8 + 83.5 + 33.6 + 45.6) / (1.0 + (0.40 + 0.30)/2) = 218.5 / 1.35 = 161.85185… → 161.852
        // × ГК 1.02 (F3 is supported) = 165.08888… → 165.089
        Assert.Contains("<b>165.089</b> для пріоритетів 1–2", reply.Text);
        Assert.Contains("<b>161.852</b> для інших", reply.Text);
        Assert.Contains("Англійська мова", reply.Text);
        Assert.Contains("Місце (оцінка", reply.Text);
        Assert.Contains("активних бюджетних заяв", reply.Text);
        Assert.Contains("Це оцінка", reply.Text);
        Assert.DoesNotContain(reply.ReplyMarkup!.SelectMany(r => r), b => b.Text == Texts.LinkProfileButton);
    }

    [Fact]
    public async Task Place_matches_an_independent_count_over_the_stored_list()
    {
        const long chat = 8007;
        await LinkAsync(chat, DemoData.Ids.DemoWebUser);
        _host.Emulator.SendText(chat, "https://vstup.edbo.gov.ua/offer/1402003/");
        var reply = await _host.Emulator.WaitForBotMessageAsync(chat, IsOfferView, Wait);

        // Sociology (C5, no ГК, РК 1.00): weights 0.45/0.40/0.40, eng 0.50 = К4max.
        // (0.45·186 + 0.40·167 + 0.40·168 + 0.50·152) / 1.75 = 293.7 / 1.75 = 167.829 (DESIGN.md worked example)
        Assert.Contains("<b>167.829</b>", reply.Text);
        await using var db = _host.OpenDb();
        var higher = await IndependentRank.HigherAsync(db, DemoData.Ids.SociologyOffer, 167.829m);
        Assert.Contains($"Місце (оцінка): <b>{higher + 1}", reply.Text);
    }

    [Fact]
    public async Task A_changed_offer_is_never_served_from_an_older_cached_list()
    {
        const long chat = 8011;
        await LinkAsync(chat, DemoData.Ids.DemoWebUser);
        _host.Emulator.SendText(chat, "https://vstup.edbo.gov.ua/offer/1402003/");
        var before = await _host.Emulator.WaitForBotMessageAsync(chat, IsOfferView, Wait);

        await using (var db = _host.OpenDb())
        {
            var now = DateTime.UtcNow;
            db.Applicants.AddRange(Enumerable.Range(0, 50).Select(i => new Applicant
            {
                OfferId = DemoData.Ids.SociologyOffer,
                FullName = "Нова А. А.",
                Score = 199m,
                Priority = 1,
                Status = "Допущено",
                UpdatedAt = now,
            }));
            await db.SaveChangesAsync();
            // The list's publisher bumps the offer's updated_at with every change of its list.
            await db.Offers.Where(o => o.Id == DemoData.Ids.SociologyOffer).ExecuteUpdateAsync(s => s.SetProperty(o => o.UpdatedAt, now));
        }

        _host.Emulator.PressButton(chat, chat, before.MessageId, CallbackData.Pack(new OfferRefresh(DemoData.Ids.SociologyOffer)));
        await FoundationTests.WaitUntilAsync(() => _host.Emulator.MessagesIn(chat).Single(m => m.MessageId == before.MessageId).EditCount == 1);
        var after = _host.Emulator.MessagesIn(chat).Single(m => m.MessageId == before.MessageId);
        Assert.Equal(PlaceOf(before.Text!) + 50, PlaceOf(after.Text!));
    }

    private static int PlaceOf(string text)
    {
        var start = text.IndexOf("Місце (оцінка): <b>", StringComparison.Ordinal) + "Місце (оцінка): <b>".Length;
        var end = text.IndexOfAny(['<', '–'], start);
        return int.Parse(text[start..end], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Refresh_edits_the_view_in_place_and_an_unchanged_view_just_answers()
    {
        const long chat = 8008;
        _host.Emulator.SendText(chat, "https://vstup.edbo.gov.ua/offer/1402007/");
        var view = await _host.Emulator.WaitForBotMessageAsync(chat, timeout: Wait);

        var unchanged = _host.Emulator.PressButton(chat, chat, view.MessageId, CallbackData.Pack(new OfferRefresh(1402007)));
        await _host.Emulator.WaitForCallAsync(c => c.Method == "answerCallbackQuery", Wait);
        Assert.Contains(_host.Emulator.CallbackAnswers, a => a.CallbackQueryId == unchanged && a.Text == OfferViewRenderer.Unchanged);

        await using (var db = _host.OpenDb())
        {
            await db.OfferAnalytics.Where(a => a.OfferId == 1402007).ExecuteUpdateAsync(s => s.SetProperty(a => a.ApplicationsTotal, 4321));
        }

        var changed = _host.Emulator.PressButton(chat, chat, view.MessageId, CallbackData.Pack(new OfferRefresh(1402007)));
        await FoundationTests.WaitUntilAsync(() => _host.Emulator.CallbackAnswers.Any(a => a.CallbackQueryId == changed));
        var edited = _host.Emulator.MessagesIn(chat).Single(m => m.MessageId == view.MessageId);
        Assert.Equal(1, edited.EditCount);
        Assert.Contains("Заяв: 4321", edited.Text);
        Assert.Single(_host.Emulator.MessagesIn(chat), m => m.FromBot);
    }

    [Fact]
    public async Task Plain_text_is_ignored_and_a_junk_url_gets_the_hint()
    {
        const long chat = 8009;
        _host.Emulator.SendText(chat, "привіт, як справи?");
        _host.Emulator.SendText(chat, "https://vstup.edbo.gov.ua.evil.example/offer/1402001/");
        var hint = await _host.Emulator.WaitForBotMessageAsync(chat, timeout: Wait);
        Assert.Equal(OfferViewRenderer.LinkHint, hint.Text);

        _host.Emulator.SendText(chat, "javascript:alert(1) vstup.еdbo.gov.ua/offer/1402001/");
        _host.Emulator.SendText(chat, "https://vstup.edbo.gov.ua/offer/99999999999999999999999/");
        await FoundationTests.WaitForIdleAsync(_host);
        var replies = _host.Emulator.MessagesIn(chat).Where(m => m.FromBot).ToList();
        // The evil host and the overflowing id get the hint; a javascript: scheme with a look-alike
        // (Cyrillic) host is not a URL we recognise at all, so it is ignored like plain text.
        Assert.All(replies, r => Assert.Equal(OfferViewRenderer.LinkHint, r.Text));
        Assert.Equal(2, replies.Count);
    }

    [Fact]
    public async Task Offer_without_subjects_or_applicants_and_odd_grades_still_render()
    {
        const long chat = 8010;
        await using (var db = _host.OpenDb())
        {
            await db.OfferSubjects.Where(s => s.OfferId == DemoData.Ids.EmptyContractOffer).ExecuteDeleteAsync();
            await db.UserGrades.Where(g => g.UserId == DemoData.Ids.SecondWebUser && g.Subject == "hist").ExecuteUpdateAsync(s => s.SetProperty(g => g.Score, 250m));
        }

        await LinkAsync(chat, DemoData.Ids.SecondWebUser);
        _host.Emulator.SendText(chat, "https://vstup.edbo.gov.ua/offer/1402009/");
        var empty = await _host.Emulator.WaitForBotMessageAsync(chat, IsOfferView, Wait);
        Assert.Contains("Лише контракт", empty.Text);
        Assert.Contains("Коефіцієнти ще не опубліковано", empty.Text);
        Assert.Contains("Заяв на цю пропозицію ще немає", empty.Text);
        Assert.Contains("опублікує вагові коефіцієнти", empty.Text);

        _host.Emulator.SendText(chat, "https://vstup.edbo.gov.ua/offer/1402001/");
        var invalid = await _host.Emulator.WaitForBotMessageAsync(chat, m => IsOfferView(m) && m.MessageId != empty.MessageId, Wait);
        Assert.Contains("бракує результатів", invalid.Text);
        Assert.Contains("Історія України", invalid.Text);
        Assert.Contains("поза шкалою 100–200", invalid.Text);
    }

    [Fact]
    public async Task A_creative_contest_offer_scores_with_the_stored_creative_grade()
    {
        const long chat = 8012;
        const long offerId = 1409901;
        await using (var db = _host.OpenDb())
        {
            db.Offers.Add(new Offer
            {
                Id = offerId,
                Year = TestServices.CampaignYear,
                UniversityId = await DemoRows.UniversityIdAsync(db, DemoCampaign.Lnu),
                SpecialityId = await DemoRows.SpecialityIdAsync(db, DemoCampaign.Philology),
                ProgramName = "Сценічне мистецтво",
                EducationForm = "Денна",
                Degree = "Бакалавр",
                BudgetPlaces = 10,
                UpdatedAt = DateTime.UtcNow,
                Subjects =
                [
                    new OfferSubject { Slot = 1, Subject = "ukr", Coefficient = 0.35m },
                    new OfferSubject { Slot = 2, Subject = "math", Coefficient = 0.20m },
                    new OfferSubject { Slot = 3, Subject = "hist", Coefficient = 0.20m },
                    new OfferSubject { Slot = 4, Subject = "eng", Coefficient = 0.25m },
                    new OfferSubject { Slot = 5, Subject = "creative", Coefficient = 0.40m },
                ],
            });
            db.UserGrades.Add(new UserGrade { UserId = DemoData.Ids.DemoWebUser, Subject = "creative", Score = 180m, Year = TestServices.CampaignYear });
            await db.SaveChangesAsync();
        }

        await LinkAsync(chat, DemoData.Ids.DemoWebUser);
        _host.Emulator.SendText(chat, $"https://vstup.edbo.gov.ua/offer/{offerId}/");
        var reply = await _host.Emulator.WaitForBotMessageAsync(chat, IsOfferView, Wait);

        // ukr 186, math 167, hist 168, eng 152, creative 180; B11 has no ГК, РК 1.00.
        // (0.35·186 + 0.20·167 + 0.20·168 + 0.25·152 + 0.40·180) / (0.35 + 0.20 + 0.20 + (0.25 + 0.25)/2 + 0.40)
        //   = (65.1 + 33.4 + 33.6 + 38.0 + 72.0) / 1.40 = 242.1 / 1.40 = 172.92857… → 172.929
        Assert.Contains("<b>172.929</b>", reply.Text);
        Assert.DoesNotContain("бракує результатів", reply.Text);
    }

    [Fact]
    public async Task Preparatory_points_are_added_where_the_offer_grants_them()
    {
        const long chat = 8013;
        await using (var db = _host.OpenDb())
        {
            await db.Offers.Where(o => o.Id == DemoData.Ids.SociologyOffer).ExecuteUpdateAsync(s => s.SetProperty(o => o.PreparatoryPointsApply, true));
            db.UserGrades.Add(new UserGrade { UserId = DemoData.Ids.DemoWebUser, Subject = "prep", Score = 8m, Year = TestServices.CampaignYear });
            await db.SaveChangesAsync();
        }

        await LinkAsync(chat, DemoData.Ids.DemoWebUser);
        _host.Emulator.SendText(chat, "https://vstup.edbo.gov.ua/offer/1402003/");
        var granted = await _host.Emulator.WaitForBotMessageAsync(chat, IsOfferView, Wait);
        // 293.7 / 1.75 = 167.82857… (the DESIGN.md worked example) + ОУ 8 = 175.82857… → 175.829
        Assert.Contains("<b>175.829</b>", granted.Text);

        // The same stored points on an offer that does not grant them are ignored: 167.829.
        _host.Emulator.SendText(chat, "https://vstup.edbo.gov.ua/offer/1402008/");
        var other = await _host.Emulator.WaitForBotMessageAsync(chat, m => IsOfferView(m) && m.MessageId != granted.MessageId, Wait);
        Assert.DoesNotContain("175.829", other.Text);
    }

    [Fact]
    public async Task An_applicant_below_a_subject_minimum_is_told_so()
    {
        const long chat = 8014;
        await using (var db = _host.OpenDb())
        {
            await db.OfferSubjects.Where(s => s.OfferId == DemoData.Ids.SociologyOffer && s.Subject == "math")
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.MinScore, 170m));
            await db.Offers.Where(o => o.Id == DemoData.Ids.SociologyOffer).ExecuteUpdateAsync(s => s.SetProperty(o => o.UpdatedAt, DateTime.UtcNow));
        }

        await LinkAsync(chat, DemoData.Ids.DemoWebUser);
        _host.Emulator.SendText(chat, "https://vstup.edbo.gov.ua/offer/1402003/");
        var reply = await _host.Emulator.WaitForBotMessageAsync(chat, IsOfferView, Wait);

        // The demo user's mathematics is 167, under the offer's minimum of 170.
        Assert.Contains("Математика (мінімум 170)", reply.PlainText);
    }

    private static bool IsOfferView(Abitly.BotApiEmulator.EmulatedMessage m) => m.Text!.Contains("Пропозиція ", StringComparison.Ordinal);

    private async Task LinkAsync(long chat, long webUserId)
    {
        _host.Emulator.SendText(chat, "/help");
        await _host.Emulator.WaitForBotMessageAsync(chat, timeout: Wait);
        await FoundationTests.WaitForIdleAsync(_host);
        await using var db = _host.OpenDb();
        await db.TelegramUsers.Where(u => u.Id == chat).ExecuteUpdateAsync(s => s.SetProperty(u => u.WebUserId, webUserId));
    }
}
