using Abitly.Bot.Callbacks;
using Abitly.Bot.Data;
using Abitly.Bot.Messaging;
using Abitly.Bot.Rendering;
using Abitly.Bot.Services;
using Abitly.Bot.Tests.Infrastructure;
using Abitly.BotApiEmulator;
using Abitly.Charts;
using Abitly.Domain.Ranking;
using Abitly.Sandbox;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace Abitly.Bot.Tests.Charts;

/// <summary>
/// The 📊 button end to end: the offer view's button → the chart as a photo through the emulator, drawn from PostgreSQL by
/// the one cut-off rule, its file id cached in Redis and sent again, a stale button, and an offer with nothing to draw.
/// </summary>
public sealed class OfferChartTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private BotTestHost _host = null!;

    // File ids belong to one bot (and one emulator here): a bot id of its own keeps this host's cache entries in the shared
    // Redis database apart from every other test's.
    public async Task InitializeAsync() =>
        _host = await BotTestHost.StartAsync(s => s with { BotToken = $"{Random.Shared.NextInt64(1_000_000_000, 9_000_000_000)}:TEST-charts" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_press_uploads_the_chart_and_the_same_picture_is_then_sent_by_its_file_id()
    {
        const long first = 8301;
        const long second = 8302;
        const long twinWebUser = 301;
        await using (var db = _host.OpenDb())
        {
            // Another applicant with the demo user's results, so the same score and place (a web profile links one account).
            db.Users.Add(new WebUser
            {
                Id = twinWebUser,
                Email = "twin@example.com",
                DisplayName = "Близнюк",
                Grades = [.. (await db.UserGrades.AsNoTracking().Where(g => g.UserId == DemoData.Ids.DemoWebUser).ToListAsync())
                    .Select(g => new UserGrade { Subject = g.Subject, Score = g.Score, Year = g.Year })],
            });
            await db.SaveChangesAsync();
        }

        await LinkAsync(first, DemoData.Ids.DemoWebUser);
        await LinkAsync(second, twinWebUser);

        var button = await ChartButtonAsync(first, DemoData.Ids.SociologyOffer);
        var uploaded = await PressForPhotoAsync(first, button);

        Assert.True(uploaded.Call.HasUpload);
        using (var bitmap = SKBitmap.Decode(uploaded.Photo.PhotoBytes))
        {
            Assert.NotNull(bitmap);
            Assert.Equal((1000, 600), (bitmap.Width, bitmap.Height));
        }

        Assert.InRange(uploaded.Photo.PhotoBytes!.Length, 1, 80 * 1024);
        // Sociology (C3, no ГК): 293.7 / 1.75 = 167.829 (the DESIGN.md worked example); the caption repeats it with the place.
        await using (var db = _host.OpenDb())
        {
            var higher = await IndependentRank.HigherAsync(db, DemoData.Ids.SociologyOffer, 167.829m);
            var competing = await db.Applicants.CountAsync(a => a.OfferId == DemoData.Ids.SociologyOffer && a.Score != null
                && a.Priority >= 1 && a.Priority <= 5 && !a.Status.StartsWith("Скасовано") && !a.Status.StartsWith("Відмова"));
            Has(uploaded.Photo.Text, $"Активних заяв на бюджет: {competing}\n");
            Has(uploaded.Photo.Text, $"Ваш бал: <b>167.829</b> · місце ≈ {higher + 1}");
            Has(uploaded.Photo.Text, $" з {competing}\n");

            // The reply went out of the outbox row written in the update's transaction: the PNG itself, to be sent again after a crash.
            var payload = LastPhotoPayload(db, first);
            Assert.Equal(OutboxPayload.SendPhoto, payload.Method);
            Assert.Equal(uploaded.Photo.PhotoBytes, Convert.FromBase64String(payload.PngBase64!));
        }

        // The same user again, then another user with the same score and place: the file id, no upload.
        var again = await PressForPhotoAsync(first, button);
        var other = await PressForPhotoAsync(second, await ChartButtonAsync(second, DemoData.Ids.SociologyOffer));
        Assert.False(again.Call.HasUpload);
        Assert.False(other.Call.HasUpload);
        Assert.Equal(uploaded.Photo.FileId, again.Photo.FileId);
        Assert.Equal(uploaded.Photo.FileId, other.Photo.FileId);
        Assert.Equal(uploaded.Photo.Text, other.Photo.Text);
        await using (var db = _host.OpenDb())
        {
            var payload = LastPhotoPayload(db, second);
            Assert.Equal(uploaded.Photo.FileId, payload.FileId);
            Assert.Null(payload.PngBase64);
        }

        // A user without a profile sees another picture (no marker): drawn and uploaded for them.
        const long unlinked = 8303;
        var plain = await PressForPhotoAsync(unlinked, await ChartButtonAsync(unlinked, DemoData.Ids.SociologyOffer));
        Assert.True(plain.Call.HasUpload);
        Assert.NotEqual(uploaded.Photo.FileId, plain.Photo.FileId);
        Has(plain.Photo.Text, "Під'єднайте профіль");
    }

    [Fact]
    public async Task The_budget_line_and_the_marker_stand_at_the_hand_computed_cut_off_and_score()
    {
        const long chat = 8311;
        const long offerId = 1409911;
        await using (var db = _host.OpenDb())
        {
            db.Offers.Add(HandMadeOffer(offerId));
            db.Applicants.AddRange(HandMadeList(offerId));
            await db.SaveChangesAsync();
        }

        await LinkAsync(chat, DemoData.Ids.DemoWebUser);
        var (photo, _) = await PressForPhotoAsync(chat, await ChartButtonAsync(chat, offerId));

        // Budget 6 places, quota 1: 1 place, quota 2: 1 place. Competing (active, priority 1–5, scored): 10 of the 14 rows.
        // Quota 1 seats 170.000; 165.000 (quota 1) joins the general competition; quota 2 has no one, so its seat passes on.
        // General seats = 6 − 1 − 0 = 5; general scores: 195, 190.5, 185.25, 181, 178.125 | 172.75, 165, 160, 150 → cut-off 178.125.
        // The demo user (ukr 186, math 167, hist 168, eng 152; weights 0.30/0.50/0.20, eng 0.30 = К4max, no ГК):
        // (55.8 + 83.5 + 33.6 + 45.6) / (1.0 + 0.30) = 218.5 / 1.3 = 168.0769… → 168.077; six general scores above → place 7 of 10.
        Has(photo.Text, "Активних заяв на бюджет: 10\n");
        Has(photo.Text, "Бюджетних місць: 6 (квота 1: зайнято 1 з 1; квота 2: 0 з 1)");
        Has(photo.Text, "Місць у загальному конкурсі: 5\n");
        Has(photo.Text, "Прохідний на бюджет зараз: <b>178.125</b>");
        Has(photo.Text, "Ваш бал: <b>168.077</b> · місце ≈ 7 з 10\n❌ Поза бюджетними місцями");
        Assert.DoesNotContain("Тестова", photo.Text);

        using var bitmap = SKBitmap.Decode(photo.PhotoBytes);
        var area = DataArea();
        Assert.InRange(CutOffColumn(bitmap, area), area.XPixel(178.125m) - 2, area.XPixel(178.125m) + 2);
        Assert.InRange(MarkerColumn(bitmap, area), area.XPixel(168.077m) - 2, area.XPixel(168.077m) + 2);
    }

    [Fact]
    public async Task A_button_from_an_older_list_gets_the_notice_and_the_current_chart()
    {
        const long chat = 8321;
        var button = await ChartButtonAsync(chat, DemoData.Ids.SociologyOffer);
        await PressForPhotoAsync(chat, button);

        await using (var db = _host.OpenDb())
        {
            // A new list version: the list's publisher bumps updated_at with every change of the list.
            await db.Offers.Where(o => o.Id == DemoData.Ids.SociologyOffer).ExecuteUpdateAsync(s => s.SetProperty(o => o.UpdatedAt, DateTime.UtcNow.AddMinutes(1)));
        }

        var callbackId = _host.Emulator.PressButton(chat, chat, button.View.MessageId, button.Data);
        await FoundationTests.WaitUntilAsync(() => _host.Emulator.CallbackAnswers.Any(a => a.CallbackQueryId == callbackId));
        Assert.Equal(OfferChartRenderer.StaleNotice, _host.Emulator.CallbackAnswers.Single(a => a.CallbackQueryId == callbackId).Text);
        var current = await _host.Emulator.WaitForBotMessageAsync(chat, m => m.HasPhoto && m.Text!.StartsWith("🔄 Списки оновилися", StringComparison.Ordinal), Wait);
        // The new version is a new picture: drawn and uploaded, not the old one's file id.
        Assert.NotEqual(_host.Emulator.MessagesIn(chat).First(m => m.HasPhoto).FileId, current.FileId);

        // The refreshed view carries the new version, and its button is not stale.
        _host.Emulator.PressButton(chat, chat, button.View.MessageId, CallbackData.Pack(new OfferRefresh(DemoData.Ids.SociologyOffer)));
        await FoundationTests.WaitUntilAsync(() => _host.Emulator.MessagesIn(chat).Single(m => m.MessageId == button.View.MessageId).EditCount == 1);
        var refreshed = _host.Emulator.MessagesIn(chat).Single(m => m.MessageId == button.View.MessageId);
        var newData = Assert.Single(refreshed.CallbackData, d => d.StartsWith(OfferChart.Prefix + ":", StringComparison.Ordinal));
        Assert.NotEqual(button.Data, newData);
        var fresh = _host.Emulator.PressButton(chat, chat, button.View.MessageId, newData);
        await FoundationTests.WaitUntilAsync(() => _host.Emulator.CallbackAnswers.Any(a => a.CallbackQueryId == fresh));
        Assert.Null(_host.Emulator.CallbackAnswers.Single(a => a.CallbackQueryId == fresh).Text);
    }

    [Fact]
    public async Task An_offer_without_applications_shows_no_button_and_a_press_is_answered_in_text()
    {
        const long chat = 8331;
        _host.Emulator.SendText(chat, $"https://vstup.edbo.gov.ua/offer/{DemoData.Ids.EmptyContractOffer}/");
        var view = await _host.Emulator.WaitForBotMessageAsync(chat, timeout: Wait);
        Assert.Contains("Заяв на цю пропозицію ще немає", view.Text);
        Assert.DoesNotContain(view.CallbackData, d => d.StartsWith(OfferChart.Prefix + ":", StringComparison.Ordinal));

        // A button kept from when the offer had applications (its version is the current one, so no stale notice).
        string version;
        await using (var db = _host.OpenDb())
        {
            version = OfferListVersion.Of(await db.Offers.AsNoTracking().SingleAsync(o => o.Id == DemoData.Ids.EmptyContractOffer));
        }

        var callbackId = _host.Emulator.PressButton(chat, chat, view.MessageId, CallbackData.Pack(new OfferChart(DemoData.Ids.EmptyContractOffer, version)));
        var text = await _host.Emulator.WaitForBotMessageAsync(chat, m => m.MessageId != view.MessageId, Wait);
        Assert.False(text.HasPhoto);
        Assert.Contains("розподілу балів поки не показати", text.Text);
        await FoundationTests.WaitUntilAsync(() => _host.Emulator.CallbackAnswers.Any(a => a.CallbackQueryId == callbackId));
        Assert.DoesNotContain(_host.Emulator.Calls, c => c.Method == "sendPhoto");
    }

    /// <summary>Assert.Contains that shows the whole caption when a fragment is missing.</summary>
    private static void Has(string? caption, string fragment) =>
        Assert.True(caption?.Contains(fragment, StringComparison.Ordinal) == true, $"Missing «{fragment}» in:\n{caption}");

    private sealed record ChartButton(EmulatedMessage View, string Data);

    /// <summary>Sends the offer link and returns the view with its 📊 button's data.</summary>
    private async Task<ChartButton> ChartButtonAsync(long chat, long offerId)
    {
        var last = _host.Emulator.MessagesIn(chat).Select(m => m.MessageId).DefaultIfEmpty(0).Max();
        _host.Emulator.SendText(chat, $"https://vstup.edbo.gov.ua/offer/{offerId}/");
        var view = await _host.Emulator.WaitForBotMessageAsync(chat, m => m.MessageId > last && m.Text!.Contains("Пропозиція ", StringComparison.Ordinal), Wait);
        var button = Assert.Single(view.ReplyMarkup!.SelectMany(row => row), b => b.CallbackData?.StartsWith(OfferChart.Prefix + ":", StringComparison.Ordinal) == true);
        Assert.Equal(OfferChartRenderer.Button, button.Text);
        Assert.StartsWith($"{OfferChart.Prefix}:{offerId}:", button.CallbackData, StringComparison.Ordinal);
        return new ChartButton(view, button.CallbackData!);
    }

    /// <summary>Presses the button and returns the photo it brought and the sendPhoto call that sent it.</summary>
    private async Task<(EmulatedMessage Photo, RecordedCall Call)> PressForPhotoAsync(long chat, ChartButton button)
    {
        var photos = _host.Emulator.MessagesIn(chat).Count(m => m.HasPhoto);
        var calls = _host.Emulator.Calls.Count(c => c.Method == "sendPhoto" && c.ChatId == chat);
        _host.Emulator.PressButton(chat, chat, button.View.MessageId, button.Data);
        await FoundationTests.WaitUntilAsync(() => _host.Emulator.MessagesIn(chat).Count(m => m.HasPhoto) > photos);
        var photo = _host.Emulator.MessagesIn(chat).Where(m => m.HasPhoto).Last();
        // A call is recorded when its answer is written, just after the message it made appears.
        await FoundationTests.WaitUntilAsync(() => _host.Emulator.Calls.Count(c => c.Method == "sendPhoto" && c.ChatId == chat) > calls);
        var call = _host.Emulator.Calls.Where(c => c.Method == "sendPhoto" && c.ChatId == chat).Skip(calls).First();
        Assert.True(call.Ok);
        return (photo, call);
    }

    private static OutboxPayload LastPhotoPayload(AbitlyDbContext db, long chat) =>
        OutboxPayload.FromJson(db.Outbox.AsNoTracking().Where(o => o.ChatId == chat && o.Payload.Contains("sendPhoto")).OrderBy(o => o.Id).AsEnumerable().Last().Payload);

    private async Task LinkAsync(long chat, long webUserId)
    {
        _host.Emulator.SendText(chat, "/help");
        await _host.Emulator.WaitForBotMessageAsync(chat, timeout: Wait);
        await FoundationTests.WaitForIdleAsync(_host);
        await using var db = _host.OpenDb();
        await db.TelegramUsers.Where(u => u.Id == chat).ExecuteUpdateAsync(s => s.SetProperty(u => u.WebUserId, webUserId));
    }

    private static Offer HandMadeOffer(long offerId) => new()
    {
        Id = offerId,
        Year = TestServices.CampaignYear,
        UniversityId = 3,
        SpecialityId = 3,
        ProgramName = "Соціологія (тестовий список)",
        EducationForm = "Денна",
        Degree = "Бакалавр",
        BudgetPlaces = 6,
        Quota1Places = 1,
        Quota2Places = 1,
        RegionalCoefficient = 1.00m,
        SectoralCoefficientApplies = false,
        UpdatedAt = DateTime.UtcNow,
        Subjects =
        [
            new OfferSubject { Slot = 1, Subject = "ukr", Coefficient = 0.30m },
            new OfferSubject { Slot = 2, Subject = "math", Coefficient = 0.50m },
            new OfferSubject { Slot = 3, Subject = "hist", Coefficient = 0.20m },
            new OfferSubject { Slot = 4, Subject = "eng", Coefficient = 0.30m },
        ],
    };

    private static IEnumerable<Applicant> HandMadeList(long offerId)
    {
        (decimal? Score, int? Priority, string Status, QuotaKind Quota)[] rows =
        [
            (195.000m, 1, "Допущено", QuotaKind.None),
            (190.500m, 2, "Допущено", QuotaKind.None),
            (185.250m, 1, "Зареєстровано", QuotaKind.None),
            (181.000m, 3, "Допущено", QuotaKind.None),
            (178.125m, 1, "Допущено", QuotaKind.None),
            (176.000m, 1, "Скасовано вступником", QuotaKind.None),   // inactive
            (174.500m, null, "Допущено", QuotaKind.None),             // contract only
            (172.750m, 5, "Допущено", QuotaKind.None),
            (170.000m, 1, "Допущено", QuotaKind.Quota1),              // takes the quota-1 seat
            (165.000m, 2, "Допущено", QuotaKind.Quota1),              // left over: general competition
            (163.000m, 2, "Відмова", QuotaKind.Quota2),               // inactive
            (160.000m, 1, "Допущено", QuotaKind.None),
            (null, 1, "Допущено", QuotaKind.None),                    // no score: not drawn, not ranked
            (150.000m, 4, "Допущено", QuotaKind.None),
        ];
        var now = DateTime.UtcNow;
        return rows.Select((r, i) => new Applicant
        {
            OfferId = offerId,
            Position = i + 1,
            FullName = $"Тестова {(char)('А' + i)}. А.",
            Score = r.Score,
            Priority = r.Priority,
            Status = r.Status,
            Quota = r.Quota,
            UpdatedAt = now,
        });
    }

    /// <summary>The chart's fixed data area (checked against the drawn axis ticks by the chart's own tests).</summary>
    private static PlotArea DataArea() =>
        ScoreChartRenderer.Render(new ScoreChartInput([new ChartApplication(150m, QuotaKind.None)], null, null, null, new ScoreChartTexts
        {
            Title = "-",
            Subtitle = "-",
            ScoreAxis = "-",
            CountAxis = "-",
            GeneralLegend = "-",
            Quota1Legend = "-",
            Quota2Legend = "-",
            CutOffLabel = "{0}",
            BudgetSeatsLabel = "{0}",
            MarkerLabel = "{0}",
        })).DataArea;

    /// <summary>The dashed near-black budget line: the columns where its colour fills much of the data area's lower half.</summary>
    private static double CutOffColumn(SKBitmap bitmap, PlotArea area)
    {
        var hits = new int[bitmap.Width];
        for (var y = (int)(area.Top + (area.Height / 2)); y < area.Bottom - 2; y++)
        {
            for (var x = (int)area.Left; x < area.Right; x++)
            {
                if (IsNear(bitmap.GetPixel(x, y), SKColor.Parse("#1F2328")))
                {
                    hits[x]++;
                }
            }
        }

        var columns = Enumerable.Range(0, hits.Length).Where(x => hits[x] > area.Height / 8).ToArray();
        Assert.NotEmpty(columns);
        return columns.Average();
    }

    /// <summary>The user's vermillion line, near the bottom of the data area where no label reaches.</summary>
    private static double MarkerColumn(SKBitmap bitmap, PlotArea area)
    {
        var y = (int)area.Bottom - 8;
        var columns = Enumerable.Range((int)area.Left, (int)area.Width).Where(x => IsNear(bitmap.GetPixel(x, y), SKColor.Parse("#D55E00"))).ToArray();
        Assert.NotEmpty(columns);
        Assert.True(columns.Max() - columns.Min() <= 6, $"vermillion in columns {string.Join(", ", columns)}");
        return columns.Average();
    }

    private static bool IsNear(SKColor actual, SKColor expected) =>
        Math.Abs(actual.Red - expected.Red) <= 12 && Math.Abs(actual.Green - expected.Green) <= 12 && Math.Abs(actual.Blue - expected.Blue) <= 12;
}
