// A grammY peer of Abitly Bot for the peers benchmark: per update, the same telegram_users upsert in its own
// transaction, then the same /help reply. Long polling through @grammyjs/runner's source, sink and
// sequentialize, with an update supplier that confirms offsets only past handled updates (as ours does).
import { Bot } from "grammy";
import { createConcurrentSink, createRunner, createSource, sequentialize } from "@grammyjs/runner";
import pg from "pg";

const env = (name, fallback) => {
  const value = process.env[name];
  if (value === undefined || value === "") {
    if (fallback === undefined) {
      console.error(`${name}: required`);
      process.exit(2);
    }
    return fallback;
  }
  return value;
};

const token = env("BOT_TOKEN");
const apiRoot = env("TELEGRAM_API_URL", "https://api.telegram.org");
const concurrency = Number(env("UPDATE_MAX_CONCURRENCY", "32"));
const pollTimeout = Number(env("POLL_TIMEOUT_SECONDS", "25"));
const poolMax = Number(env("DB_POOL_MAX", "100"));

// Texts.Help of src/Abitly.Bot/Rendering/Texts.cs, handed over by the harness so it never drifts from ours.
const HELP = env("HELP_TEXT");

// The statement of src/Abitly.Bot/Data/TelegramUserStore.cs UpsertAsync, with the same nine parameters.
const UPSERT = `INSERT INTO telegram_users (id, username, first_name, last_name, language_code, created_at, updated_at, last_seen_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (id) DO UPDATE SET
    username = excluded.username,
    first_name = excluded.first_name,
    last_name = excluded.last_name,
    language_code = excluded.language_code,
    last_seen_at = excluded.last_seen_at,
    updated_at = excluded.updated_at,
    blocked_at = CASE WHEN $9 THEN NULL ELSE telegram_users.blocked_at END
RETURNING *`;

// DATABASE_URL: a postgres:// URL (the harness converts its Npgsql connection string).
const pool = new pg.Pool({ connectionString: env("DATABASE_URL"), max: poolMax });
pool.on("error", (error) => console.error("idle PostgreSQL client failed:", error.message));

const bot = new Bot(token, { client: { apiRoot } });

// Updates of one chat in order; different chats run concurrently up to the sink's bound.
bot.use(sequentialize((ctx) => String(ctx.chat?.id ?? ctx.from?.id ?? 0)));

// The statements of src/Abitly.Bot/Data/UpdateLog.cs TryBeginAsync and OutboxStore.AddAsync / CompleteAsync.
const BEGIN_UPDATE = `INSERT INTO updates (update_id, chat_key, received_at, handled_at) VALUES ($1, $2, $3, $3)
ON CONFLICT (update_id) DO UPDATE SET handled_at = excluded.handled_at, payload = NULL WHERE updates.handled_at IS NULL`;
const ADD_REPLY = `INSERT INTO outbox (lane, kind, batch_id, chat_id, payload, status, attempts, not_before, lease_until, lease_owner, update_id, claim_kind, claim_ref, claim_date, created_at)
VALUES (0, 'reply', NULL, $1, $2, 0, 0, $3, $4, $5, $6, NULL, NULL, NULL, $3)
RETURNING id`;
const COMPLETE = `UPDATE outbox SET status = 1, attempts = 0, error = NULL, finished_at = $2, lease_until = NULL WHERE id = ANY($1)`;
const INSTANCE = `grammy-${process.pid}`;

// Sent replies are recorded by one writer taking whatever gathered since its last write (group commit), as ours does.
const sentIds = [];
let acknowledging = false;
async function acknowledge(id) {
  sentIds.push(id);
  if (acknowledging) return;
  acknowledging = true;
  try {
    while (sentIds.length > 0) {
      const ids = sentIds.splice(0, sentIds.length);
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        await client.query(COMPLETE, [ids, new Date()]);
        await client.query("COMMIT");
      } finally {
        client.release();
      }
    }
  } finally {
    acknowledging = false;
  }
}

// One unit of work per update, as ours: BEGIN, the update recorded once, the user upserted, the handler's replies written
// to the outbox, COMMIT; only then the replies are sent, and their rows recorded as sent.
bot.use(async (ctx, next) => {
  const from = ctx.from;
  ctx.replies = [];
  const now = new Date();
  const chatKey = ctx.chat?.id ?? from?.id ?? 0;
  const client = await pool.connect();
  let rows = [];
  try {
    await client.query("BEGIN");
    const begun = await client.query(BEGIN_UPDATE, [ctx.update.update_id, chatKey, now]);
    if (begun.rowCount !== 1) {
      await client.query("COMMIT");
      return;
    }
    if (from && !from.is_bot) {
      const clearBlocked = ctx.chat?.type === "private" && (ctx.message !== undefined || ctx.callbackQuery !== undefined);
      await client.query(UPSERT, [
        from.id, from.username ?? null, from.first_name ?? null, from.last_name ?? null, from.language_code ?? null,
        now, now, now, clearBlocked,
      ]);
    }
    await next();
    const leaseUntil = new Date(now.getTime() + 60_000);
    for (const reply of ctx.replies) {
      const payload = JSON.stringify({ method: "sendMessage", chat_id: reply.chatId, html: reply.html, disable_preview: true });
      const added = await client.query(ADD_REPLY, [reply.chatId, payload, now, leaseUntil, INSTANCE, ctx.update.update_id]);
      rows.push({ id: added.rows[0].id, reply });
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  for (const { id, reply } of rows) {
    await ctx.api.sendMessage(reply.chatId, reply.html, { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
    acknowledge(id).catch((error) => console.error("recording sent replies failed:", error.message));
  }
});

bot.command("help", (ctx) => { ctx.replies.push({ chatId: ctx.chat.id, html: HELP }); });

bot.catch((error) => console.error(`update ${error.ctx?.update?.update_id} failed:`, error.error?.message ?? error));

// Offsets: everything below the lowest running update id (or one past the newest seen) has been handled.
const running = new Set();
let newestSeen = -1;
let progress = deferred();

function deferred() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}

function confirmableOffset() {
  let lowest = Infinity;
  for (const id of running) {
    if (id < lowest) lowest = id;
  }
  return running.size > 0 ? lowest : newestSeen + 1;
}

function markDone(id) {
  running.delete(id);
  const signal = progress;
  progress = deferred();
  signal.resolve();
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForProgress(ms) {
  if (running.size === 0) return;
  let timer;
  await Promise.race([progress.promise, new Promise((resolve) => { timer = setTimeout(resolve, ms); })]);
  clearTimeout(timer);
}

// The runner's source asks for `batchSize` updates (its sink's free capacity). The offset stays at the lowest running
// update, so getUpdates returns the ones already taken first: ask for those plus the new ones, and keep only the new.
const supplier = {
  async supply(batchSize, signal) {
    let failures = 0;
    while (!signal.aborted) {
      const offset = confirmableOffset();
      const taken = newestSeen - offset + 1;
      if (taken >= 100) {
        await waitForProgress(1000);
        continue;
      }
      let updates;
      try {
        const wanted = Math.max(1, Math.min(batchSize, concurrency));
        updates = await bot.api.getUpdates({ offset, limit: Math.min(100, taken + wanted), timeout: pollTimeout }, signal);
        failures = 0;
      } catch (error) {
        if (signal.aborted) throw error;
        failures++;
        console.error("getUpdates failed:", error.message);
        await sleep(Math.min(30_000, 500 * 2 ** Math.min(failures - 1, 10)));
        continue;
      }
      const fresh = updates.filter((u) => u.update_id > newestSeen);
      if (fresh.length === 0 && updates.length > 0) {
        // Only updates still running came back: wait for one to finish instead of spinning.
        await waitForProgress(1000);
        continue;
      }
      for (const update of fresh) {
        running.add(update.update_id);
        newestSeen = update.update_id;
      }
      return fresh;
    }
    return [];
  },
};

const sink = createConcurrentSink(
  {
    consume: async (update) => {
      try {
        await bot.handleUpdate(update);
      } finally {
        markDone(update.update_id);
      }
    },
  },
  async (error) => console.error("update failed:", error?.message ?? error),
  { concurrency },
);

await bot.init();
await bot.api.deleteWebhook();
const runner = createRunner(createSource(supplier), sink);
runner.start();
console.log(`grammY peer polling ${apiRoot} as @${bot.botInfo.username}; concurrency ${concurrency}, pool max ${poolMax}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await runner.stop();
  const grace = Date.now() + 10_000;
  while (running.size > 0 && Date.now() < grace) await waitForProgress(200);
  try {
    // Tell the Bot API what was handled, as ours does on SIGTERM.
    await bot.api.getUpdates({ offset: confirmableOffset(), limit: 1, timeout: 0 });
  } catch (error) {
    console.error("could not confirm offsets:", error.message);
  }
  await pool.end();
  process.exit(0);
}

process.on("SIGTERM", stop);
process.on("SIGINT", stop);
