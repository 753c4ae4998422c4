using System.Globalization;
using System.Text;
using Abitly.Bot.Data;
using Abitly.Bot.Import;
using Abitly.Bot.Messaging;
using Abitly.Bot.Services;

namespace Abitly.Bot.Rendering;

/// <summary>What admins see of the background runs they start: /runDailyNow and /notifyOpenDaysUpdate.</summary>
public static class AdminRenderer
{
    /// <summary>The answer to /runDailyNow and /notifyOpenDaysUpdate once their messages are queued.</summary>
    public static RenderedMessage FanOutQueued(int queued, int alreadySent) => new(queued > 0
        ? $"Поставлено в чергу повідомлень: <b>{queued}</b> (ще {alreadySent} надіслано раніше сьогодні). Підсумок надішлю, коли все буде надіслано."
        : alreadySent > 0
            ? $"Надсилати нічого: усе, що мало піти сьогодні, уже надіслано ({alreadySent})."
            : "Надсилати нічого: сьогодні нікому не випадає повідомлень.");

    /// <summary>The first lines of /runDailyNow's summary.</summary>
    public static string DailyRunHeading(int queued, int alreadySent) =>
        $"<b>Щоденні нагадування</b>: до відправки {queued} (ще {alreadySent} надіслано раніше сьогодні).";

    /// <summary>The first lines of /notifyOpenDaysUpdate's summary.</summary>
    public static string OpenDaysUpdateHeading(DateOnly today, int updatedDays, int matched, int alreadySent) =>
        $"<b>Оновлення днів відкритих дверей</b> за {today.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)}\n"
        + $"Змінених сьогодні днів: {updatedDays}\nЗбігів з фільтрами: {matched}, уже надіслано раніше сьогодні: {alreadySent}";

    public const string SyncNoSource = "Джерело не налаштовано (IMPORT_SOURCE). Вкажіть його: <code>/syncnow шлях-або-URL</code>.";

    public static RenderedMessage SyncStarted(string source) => new($"Імпортую <code>{Texts.Html(Texts.Shorten(source, 200))}</code>… Підсумок надішлю, щойно завершу.");

    /// <summary>/imports: the newest runs first, one short block each.</summary>
    public static RenderedMessage ImportRuns(IReadOnlyList<ImportRunView> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            return new("Імпортів ще не було. Команда <code>import</code> або /syncnow завантажить знімок кампанії.");
        }

        var text = new StringBuilder("<b>Останні імпорти</b>\n");
        foreach (var run in runs)
        {
            text.Append('\n').Append(StatusMark(run.Status)).Append(" <b>№").Append(run.Id).Append("</b> ")
                .Append(run.StartedAtLocal.ToString("dd.MM HH:mm", CultureInfo.InvariantCulture))
                .Append(" · ").Append(Texts.Html(run.Trigger));
            if (run.Duration is { } duration)
            {
                text.Append(" · ").Append(duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(" с");
            }

            text.Append('\n').Append("<code>").Append(Texts.Html(Texts.Shorten(run.Source, 80))).Append("</code>");
            if (run.TakenAtLocal is { } taken)
            {
                text.Append(", знімок ").Append(taken.ToString("dd.MM HH:mm", CultureInfo.InvariantCulture));
            }

            text.Append('\n').Append(Counts(run.Added, run.Changed, run.Unchanged, run.Withdrawn, run.Invalid));
            if (run.Error is { } error && run.Status != ImportRunStatus.Completed)
            {
                text.Append('\n').Append(Texts.Html(Texts.Shorten(error.Split('\n')[0], 300)));
            }

            text.Append('\n');
        }

        return new(Fit(text.ToString().TrimEnd()));
    }

    /// <summary>The summary an admin gets when /syncnow is done.</summary>
    public static RenderedMessage ImportReport(ImportReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var head = report.Outcome switch
        {
            ImportOutcome.Completed => "✅ Імпорт завершено",
            ImportOutcome.NotModified => "➖ Джерело не змінилося",
            ImportOutcome.Refused => "⛔ Імпорт відхилено",
            _ => "❌ Імпорт не вдався",
        };
        var text = new StringBuilder().Append(head).Append(" (№").Append(report.RunId).Append(", ")
            .Append(report.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(" с)\n")
            .Append(Counts(report.Added, report.Changed, report.Unchanged, report.Withdrawn, report.Invalid));
        if (report.Message is { } message)
        {
            text.Append('\n').Append(Texts.Html(message));
        }

        foreach (var error in report.Errors.Take(10))
        {
            text.Append("\n• ").Append(Texts.Html(error.ToString()));
        }

        return new(Fit(text.ToString()));
    }

    private static string Counts(int added, int changed, int unchanged, int withdrawn, int invalid) =>
        $"нових {added}, змінених {changed}, без змін {unchanged}, відкликаних {withdrawn}" + (invalid > 0 ? $", з помилками {invalid}" : "");

    private static string StatusMark(ImportRunStatus status) => status switch
    {
        ImportRunStatus.Completed => "✅",
        ImportRunStatus.Running => "⏳",
        ImportRunStatus.NotModified => "➖",
        ImportRunStatus.Refused => "⛔",
        _ => "❌",
    };

    private static string Fit(string html) => html.Length <= RenderedMessage.MaxLength ? html : html[..html.LastIndexOf('\n', RenderedMessage.MaxLength - 2)] + "\n…";
}
