namespace Abitly.Bot.Data;

/// <summary>
/// SQLite (the sandbox): one prepared single-row statement rebound per key. SQLite binds hundreds of named parameters
/// slowly, so a multi-row VALUES list scales worse than re-running one small statement inside the transaction.
/// </summary>
public sealed class SqliteNotificationClaims(AbitlyDbContext db, TimeProvider time) : INotificationClaims
{
    public async Task<IReadOnlySet<NotificationKey>> ClaimAsync(IReadOnlyCollection<NotificationKey> keys, DateOnly day, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var claimed = new HashSet<NotificationKey>();
        if (keys.Count == 0)
        {
            return claimed;
        }

        await using var command = await db.CreateCommandAsync(
            """
            INSERT INTO notification_log (telegram_user_id, kind, ref_id, for_date, sent_at) VALUES (@u, @k, @r, @day, @now)
            ON CONFLICT (telegram_user_id, kind, ref_id, for_date) DO NOTHING
            """, ct);
        var user = command.AddParameter("u", null);
        var kind = command.AddParameter("k", null);
        var reference = command.AddParameter("r", null);
        command.AddParameter("day", day);
        command.AddParameter("now", time.GetUtcNow().UtcDateTime);
        foreach (var key in keys)
        {
            (user.Value, kind.Value, reference.Value) = (key.TelegramUserId, key.Kind, key.RefId);
            if (await command.ExecuteNonQueryAsync(ct) == 1)
            {
                claimed.Add(key);
            }
        }

        return claimed;
    }

    public async Task ReleaseAsync(IReadOnlyCollection<NotificationKey> keys, DateOnly day, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return;
        }

        await using var command = await db.CreateCommandAsync(
            "DELETE FROM notification_log WHERE telegram_user_id = @u AND kind = @k AND ref_id = @r AND for_date = @day", ct);
        var user = command.AddParameter("u", null);
        var kind = command.AddParameter("k", null);
        var reference = command.AddParameter("r", null);
        command.AddParameter("day", day);
        foreach (var key in keys)
        {
            (user.Value, kind.Value, reference.Value) = (key.TelegramUserId, key.Kind, key.RefId);
            await command.ExecuteNonQueryAsync(ct);
        }
    }
}
