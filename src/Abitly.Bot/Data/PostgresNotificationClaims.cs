using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Abitly.Bot.Data;

/// <summary>
/// PostgreSQL: one statement for any number of rows, three arrays unnested. Fan-outs claim inside
/// <see cref="PostgresFanOutWrites"/>' own statement instead; this is the claim on its own (<see cref="FanOutWrites"/>'s step).
/// </summary>
public sealed class PostgresNotificationClaims(AbitlyDbContext db, TimeProvider time) : INotificationClaims
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
            INSERT INTO notification_log (telegram_user_id, kind, ref_id, for_date, sent_at)
            SELECT u, k, r, @day, @now FROM unnest(@users, @kinds, @refs) AS t(u, k, r)
            ON CONFLICT (telegram_user_id, kind, ref_id, for_date) DO NOTHING
            RETURNING telegram_user_id, kind, ref_id
            """, ct);
        AddArrays(command, keys);
        command.Parameters.Add(new NpgsqlParameter<DateOnly>("day", day));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", time.GetUtcNow().UtcDateTime));
        await NotificationKeyReader.ReadAsync(command, claimed, ct);
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
            """
            DELETE FROM notification_log l USING unnest(@users, @kinds, @refs) AS t(u, k, r)
            WHERE l.telegram_user_id = t.u AND l.kind = t.k AND l.ref_id = t.r AND l.for_date = @day
            """, ct);
        AddArrays(command, keys);
        command.Parameters.Add(new NpgsqlParameter<DateOnly>("day", day));
        await command.ExecuteNonQueryAsync(ct);
    }

    private static void AddArrays(DbCommand command, IReadOnlyCollection<NotificationKey> keys)
    {
        command.Parameters.Add(new NpgsqlParameter<long[]>("users", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. keys.Select(k => k.TelegramUserId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]>("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. keys.Select(k => k.Kind)] });
        command.Parameters.Add(new NpgsqlParameter<long[]>("refs", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. keys.Select(k => k.RefId)] });
    }
}
