using System.Data.Common;

namespace Abitly.Bot.Data;

/// <summary>One notification_log row of a day: this user, this kind, this open day (or other reference).</summary>
public readonly record struct NotificationKey(long TelegramUserId, string Kind, long RefId);

/// <summary>
/// notification_log rows are claimed before sending (INSERT … ON CONFLICT DO NOTHING … RETURNING): only rows this call
/// inserted come back, so a second run, a second instance or a manual run the same day sends nothing twice. What then
/// fails to go out is released, so a later run may try again. Runs inside the caller's transaction when there is one.
/// One implementation per database provider, chosen at composition.
/// </summary>
public interface INotificationClaims
{
    /// <summary>Inserts the keys for <paramref name="day"/>; returns those that were not there yet.</summary>
    Task<IReadOnlySet<NotificationKey>> ClaimAsync(IReadOnlyCollection<NotificationKey> keys, DateOnly day, CancellationToken ct);

    /// <summary>Deletes the keys' rows for <paramref name="day"/>.</summary>
    Task ReleaseAsync(IReadOnlyCollection<NotificationKey> keys, DateOnly day, CancellationToken ct);
}

/// <summary>Reading claimed keys back, shared by both providers.</summary>
internal static class NotificationKeyReader
{
    public static async Task ReadAsync(DbCommand command, HashSet<NotificationKey> into, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            into.Add(new NotificationKey(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)));
        }
    }
}
