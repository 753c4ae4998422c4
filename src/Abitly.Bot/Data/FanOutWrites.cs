namespace Abitly.Bot.Data;

/// <summary>
/// A new message's stored payload split around its chat id: the rows of one message to many chats differ only there, so
/// the message is serialized once and each row's payload is <see cref="BeforeChatId"/> + the chat id + <see cref="AfterChatId"/>.
/// </summary>
public sealed record OutboxPayloadTemplate(string BeforeChatId, string AfterChatId)
{
    /// <summary>The payload for one chat (the id as PostgreSQL's bigint-to-text writes it, too).</summary>
    public string For(long chatId) => string.Concat(BeforeChatId, chatId.ToString(System.Globalization.CultureInfo.InvariantCulture), AfterChatId);
}

/// <summary>One fan-out row: the claim it goes out under (its user is the chat) and which of the fan-out's payloads it carries.</summary>
public readonly record struct FanOutRow(NotificationKey Claim, int Payload);

/// <summary>
/// A fan-out to claim and queue for <see cref="ClaimDate"/>: a row per key, in the order they go out; each row's payload
/// is <see cref="Payloads"/>[row.Payload] for its chat. <see cref="AdminChatId"/> and <see cref="ProgressMessageId"/> are
/// the admin who started it (a batch is written for them even when every key had been claimed before), and
/// <see cref="Heading"/> writes the summary's first lines from the rows queued and those claimed before.
/// </summary>
public sealed record FanOutDraft(
    string Kind,
    DateOnly ClaimDate,
    DateTime Now,
    IReadOnlyList<OutboxPayloadTemplate> Payloads,
    IReadOnlyList<FanOutRow> Rows,
    long? AdminChatId = null,
    int? ProgressMessageId = null,
    Func<int, int, string>? Heading = null);

/// <summary>What a fan-out wrote: its batch (null when nothing was claimed and no admin asked) and the rows queued.</summary>
public sealed record FanOutWritten(long? BatchId, int Queued);

/// <summary>
/// Writes a fan-out in the context's current transaction: claims each row's key in notification_log (only keys nobody
/// claimed before go out), then the fan_out_batches row with its counts and an outbox row for each key claimed.
/// </summary>
public interface IFanOutWrites
{
    Task<FanOutWritten> WriteAsync(FanOutDraft draft, CancellationToken ct);
}

/// <summary>Step by step (SQLite, the sandbox): the provider's claims, then the batch, then the rows.</summary>
public sealed class FanOutWrites(INotificationClaims claims, FanOutBatchStore batches, IOutboxStore outbox) : IFanOutWrites
{
    public async Task<FanOutWritten> WriteAsync(FanOutDraft draft, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var claimed = await claims.ClaimAsync([.. draft.Rows.Select(r => r.Claim)], draft.ClaimDate, ct);
        var rows = draft.Rows.Where(r => claimed.Contains(r.Claim)).ToList();
        if (rows.Count == 0 && draft.AdminChatId is null)
        {
            return new FanOutWritten(null, 0);
        }

        var batchId = await batches.TryCreateAsync(new FanOutBatch
        {
            Kind = draft.Kind,
            AdminChatId = draft.AdminChatId,
            ProgressMessageId = draft.ProgressMessageId,
            Heading = draft.Heading?.Invoke(rows.Count, draft.Rows.Count - rows.Count),
            Recipients = rows.Select(r => r.Claim.TelegramUserId).Distinct().Count(),
            Messages = rows.Count,
            Status = rows.Count == 0 ? FanOutStatus.Finished : FanOutStatus.Running,
            CreatedAt = draft.Now,
            FinishedAt = rows.Count == 0 ? draft.Now : null,
        }, ct) ?? throw new InvalidOperationException("A fan-out batch without a key was refused.");
        await outbox.AddAsync([.. rows.Select(r => new OutboxMessage
        {
            Lane = OutboxLane.FanOut,
            Kind = draft.Kind,
            BatchId = batchId,
            ChatId = r.Claim.TelegramUserId,
            Payload = draft.Payloads[r.Payload].For(r.Claim.TelegramUserId),
            NotBefore = draft.Now,
            ClaimKind = r.Claim.Kind,
            ClaimRef = r.Claim.RefId,
            ClaimDate = draft.ClaimDate,
            CreatedAt = draft.Now,
        })], ct);
        return new FanOutWritten(batchId, rows.Count);
    }
}

/// <summary>
/// PostgreSQL: one statement over arrays claims the keys, writes the batch with its counts and the rows (the server fills
/// in each chat's payload from its message's template), so 40,000 reminders are neither read back as claims nor sent
/// twice nor built as 40,000 payload strings. An admin's heading, which needs the counts, is one more small UPDATE.
/// </summary>
public sealed class PostgresFanOutWrites(AbitlyDbContext db) : IFanOutWrites
{
    public async Task<FanOutWritten> WriteAsync(FanOutDraft draft, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var count = draft.Rows.Count;
        var chats = new long[count];
        var claimKinds = new string[count];
        var claimRefs = new long[count];
        var payloads = new int[count];
        for (var i = 0; i < count; i++)
        {
            var row = draft.Rows[i];
            (chats[i], claimKinds[i], claimRefs[i], payloads[i]) = (row.Claim.TelegramUserId, row.Claim.Kind, row.Claim.RefId, row.Payload + 1);
        }

        // Only keys this statement inserted come back from the claim, so a key claimed before (or by another instance,
        // which it waits for) gets no row. The batch counts what was claimed; the rows keep the order given (ordinality),
        // and so their ids follow it (the order they are sent in).
        await using var command = await db.CreateCommandAsync(
            """
            WITH input AS (
                SELECT * FROM unnest(@chats, @claim_kinds, @claim_refs, @payloads) WITH ORDINALITY AS t(chat, claim_kind, claim_ref, payload, n)
            ), claimed AS (
                INSERT INTO notification_log (telegram_user_id, kind, ref_id, for_date, sent_at)
                SELECT chat, claim_kind, claim_ref, @day, @now FROM input
                ON CONFLICT (telegram_user_id, kind, ref_id, for_date) DO NOTHING
                RETURNING telegram_user_id, kind, ref_id
            ), to_queue AS (
                SELECT i.* FROM input i JOIN claimed c ON c.telegram_user_id = i.chat AND c.kind = i.claim_kind AND c.ref_id = i.claim_ref
            ), batch AS (
                INSERT INTO fan_out_batches (kind, admin_chat_id, progress_message_id, recipients, messages, status, created_at, finished_at)
                SELECT @kind, @admin, @progress, count(DISTINCT chat), count(*),
                       CASE WHEN count(*) = 0 THEN @finished ELSE @running END, @now, CASE WHEN count(*) = 0 THEN @now END
                FROM to_queue
                HAVING count(*) > 0 OR @admin IS NOT NULL
                RETURNING id, messages
            ), queued AS (
                INSERT INTO outbox (lane, kind, batch_id, chat_id, payload, status, attempts, not_before, claim_kind, claim_ref, claim_date, created_at)
                SELECT @lane, @kind, b.id, q.chat, (@before)[q.payload] || q.chat::text || (@after)[q.payload], @pending, 0, @now, q.claim_kind, q.claim_ref, @day, @now
                FROM to_queue q CROSS JOIN batch b
                ORDER BY q.n
            )
            SELECT id, messages FROM batch
            """, ct);
        var parameters = command.Parameters;
        parameters.Add(new Npgsql.NpgsqlParameter<long[]>("chats", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint) { TypedValue = chats });
        parameters.Add(new Npgsql.NpgsqlParameter<string[]>("claim_kinds", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { TypedValue = claimKinds });
        parameters.Add(new Npgsql.NpgsqlParameter<long[]>("claim_refs", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint) { TypedValue = claimRefs });
        parameters.Add(new Npgsql.NpgsqlParameter<int[]>("payloads", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Integer) { TypedValue = payloads });
        parameters.Add(new Npgsql.NpgsqlParameter<string[]>("before", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { TypedValue = [.. draft.Payloads.Select(p => p.BeforeChatId)] });
        parameters.Add(new Npgsql.NpgsqlParameter<string[]>("after", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { TypedValue = [.. draft.Payloads.Select(p => p.AfterChatId)] });
        parameters.Add(new Npgsql.NpgsqlParameter<DateOnly>("day", draft.ClaimDate));
        parameters.Add(new Npgsql.NpgsqlParameter<DateTime>("now", draft.Now));
        parameters.Add(new Npgsql.NpgsqlParameter<string>("kind", draft.Kind));
        parameters.Add(new Npgsql.NpgsqlParameter("admin", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = draft.AdminChatId ?? (object)DBNull.Value });
        parameters.Add(new Npgsql.NpgsqlParameter("progress", NpgsqlTypes.NpgsqlDbType.Integer) { Value = draft.ProgressMessageId ?? (object)DBNull.Value });
        parameters.Add(new Npgsql.NpgsqlParameter<short>("running", (short)FanOutStatus.Running));
        parameters.Add(new Npgsql.NpgsqlParameter<short>("finished", (short)FanOutStatus.Finished));
        parameters.Add(new Npgsql.NpgsqlParameter<short>("lane", (short)OutboxLane.FanOut));
        parameters.Add(new Npgsql.NpgsqlParameter<short>("pending", (short)OutboxStatus.Pending));

        long? batchId = null;
        var queued = 0;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                (batchId, queued) = (reader.GetInt64(0), reader.GetInt32(1));
            }
        }

        if (batchId is { } id && draft.Heading is { } heading)
        {
            await using var update = await db.CreateCommandAsync("UPDATE fan_out_batches SET heading = @heading WHERE id = @id", ct);
            update.AddParameter("heading", heading(queued, count - queued));
            update.AddParameter("id", id);
            await update.ExecuteNonQueryAsync(ct);
        }

        return new FanOutWritten(batchId, queued);
    }
}
