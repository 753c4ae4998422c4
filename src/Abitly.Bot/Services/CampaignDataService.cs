using Abitly.Bot.Configuration;
using Abitly.Bot.Data;

namespace Abitly.Bot.Services;

/// <summary>One import run as admins see it in /imports.</summary>
public sealed record ImportRunView(
    long Id,
    ImportRunStatus Status,
    string Trigger,
    string Source,
    DateTimeOffset StartedAtLocal,
    DateTimeOffset? TakenAtLocal,
    TimeSpan? Duration,
    int Added,
    int Changed,
    int Unchanged,
    int Withdrawn,
    int Invalid,
    string? Error);

/// <summary>The campaign data's history for admins, and where the scheduled sync reads from.</summary>
public sealed class CampaignDataService(ImportRunStore runs, LocalCalendar calendar, AbitlySettings settings)
{
    public string? SyncSource => settings.ImportSource;

    public async Task<IReadOnlyList<ImportRunView>> RecentRunsAsync(int count, CancellationToken ct) =>
        [.. (await runs.RecentAsync(count, ct)).Select(r => new ImportRunView(
            r.Id, r.Status, r.Trigger, r.Source, calendar.ToLocal(r.StartedAt), r.TakenAt is { } t ? calendar.ToLocal(t) : null,
            r.FinishedAt - r.StartedAt, r.OffersAdded, r.OffersChanged, r.OffersUnchanged, r.OffersWithdrawn, r.OffersInvalid, r.Error))];
}
