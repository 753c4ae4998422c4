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

// Copied from src/Abitly.Bot/Rendering/Texts.cs (Help).
const HELP = `<b>Що я вмію</b>

<b>Конкурсна пропозиція.</b> Надішліть посилання, наприклад:
<code>https://vstup.edbo.gov.ua/offer/1234567/</code>
<code>https://vstup.osvita.ua/y2026/r27/79/1234567/</code>
<code>https://abit-poisk.org.ua/rate2026/direction/1234567</code>

<b>Профіль.</b> /profile — стан під'єднання профілю та ваші бали НМТ.
<b>Дні відкритих дверей.</b> /opendays — список і підписка; нагадування о 07:00 за 3 дні та за день.
<b>Фільтри.</b> /filters — університети та спеціальності, про зміни днів відкритих дверей яких повідомляти.`;

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

// One unit of work per update: BEGIN, upsert, COMMIT; replies only after the commit.
bot.use(async (ctx, next) => {
  const from = ctx.from;
  if (from && !from.is_bot) {
    const clearBlocked = ctx.chat?.type === "private" && (ctx.message !== undefined || ctx.callbackQuery !== undefined);
    const now = new Date();
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(UPSERT, [
        from.id, from.username ?? null, from.first_name ?? null, from.last_name ?? null, from.language_code ?? null,
        now, now, now, clearBlocked,
      ]);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
  await next();
});

bot.command("help", (ctx) => ctx.reply(HELP, { parse_mode: "HTML", link_preview_options: { is_disabled: true } }));

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
