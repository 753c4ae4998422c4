"""A Python asyncio peer of Abitly Bot for the peers benchmark.

Per update, the same telegram_users upsert in its own transaction, then the same /help reply. Its own getUpdates loop:
different chats concurrently (bounded), one chat in order, offsets confirmed only past handled updates. Runs on
Debian's python3-aiohttp and python3-asyncpg with /usr/bin/python3.
"""

import asyncio
import datetime
import json
import os
import signal
import sys

import aiohttp
import asyncpg

# The statement of src/Abitly.Bot/Data/TelegramUserStore.cs UpsertAsync, with the same nine parameters.
UPSERT = """INSERT INTO telegram_users (id, username, first_name, last_name, language_code, created_at, updated_at, last_seen_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (id) DO UPDATE SET
    username = excluded.username,
    first_name = excluded.first_name,
    last_name = excluded.last_name,
    language_code = excluded.language_code,
    last_seen_at = excluded.last_seen_at,
    updated_at = excluded.updated_at,
    blocked_at = CASE WHEN $9 THEN NULL ELSE telegram_users.blocked_at END
RETURNING *"""

# The statements of src/Abitly.Bot/Data/UpdateLog.cs TryBeginAsync and OutboxStore.AddAsync / CompleteAsync.
BEGIN_UPDATE = """INSERT INTO updates (update_id, chat_key, received_at, handled_at) VALUES ($1, $2, $3, $3)
ON CONFLICT (update_id) DO UPDATE SET handled_at = excluded.handled_at, payload = NULL WHERE updates.handled_at IS NULL"""
ADD_REPLY = """INSERT INTO outbox (lane, kind, batch_id, chat_id, payload, status, attempts, not_before, lease_until, lease_owner, update_id, claim_kind, claim_ref, claim_date, created_at)
VALUES (0, 'reply', NULL, $1, $2, 0, 0, $3, $4, $5, $6, NULL, NULL, NULL, $3)
RETURNING id"""
COMPLETE = "UPDATE outbox SET status = 1, attempts = 0, error = NULL, finished_at = $2, lease_until = NULL WHERE id = ANY($1::bigint[])"


def env(name, default=None):
    value = os.environ.get(name) or default
    if value is None:
        print(f"{name}: required", file=sys.stderr)
        sys.exit(2)
    return value


class TelegramError(Exception):
    pass


class BotApi:
    """Bot API calls as JSON POSTs over one keep-alive session."""

    def __init__(self, session, root, token):
        self._session = session
        self._base = f"{root.rstrip('/')}/bot{token}/"

    async def call(self, method, payload, timeout=None):
        async with self._session.post(self._base + method, json=payload, timeout=timeout) as response:
            body = await response.json(content_type=None)
        if not body.get("ok"):
            raise TelegramError(f"{method}: {body.get('error_code')} {body.get('description')}")
        return body["result"]


def chat_key(update):
    """Updates of one chat (or one user where there is no chat) share a key and run in order."""
    for kind in ("message", "edited_message", "channel_post", "my_chat_member"):
        if kind in update:
            return update[kind]["chat"]["id"]
    if "callback_query" in update:
        query = update["callback_query"]
        return query["message"]["chat"]["id"] if "message" in query else query["from"]["id"]
    return 0


def command_of(message):
    """The command name of a message that starts with a bot_command entity, without @bot; None otherwise."""
    text = message.get("text") or ""
    for entity in message.get("entities") or ():
        if entity.get("type") == "bot_command" and entity.get("offset") == 0:
            return text[1:entity["length"]].split("@", 1)[0].lower()
    return None


class Dispatcher:
    """Runs updates: chats concurrently up to a bound, one chat in order; keeps the confirmable offset."""

    def __init__(self, handle, concurrency):
        self._handle = handle
        self._slots = asyncio.Semaphore(concurrency)
        self._running = set()
        self._tails = {}
        self._newest_seen = -1
        self._progress = asyncio.get_running_loop().create_future()
        self.backlog_limit = max(100, concurrency * 8)

    @property
    def running(self):
        return len(self._running)

    @property
    def offset(self):
        return min(self._running) if self._running else self._newest_seen + 1

    def dispatch(self, updates):
        started = 0
        for update in updates:
            update_id = update["update_id"]
            if update_id <= self._newest_seen:
                continue
            self._newest_seen = update_id
            self._running.add(update_id)
            key = chat_key(update)
            task = asyncio.create_task(self._run_after(self._tails.get(key), update, key))
            self._tails[key] = task
            started += 1
        return started

    async def _run_after(self, previous, update, key):
        if previous is not None:
            await asyncio.wait([previous])
        try:
            async with self._slots:
                await self._handle(update)
        except Exception as error:  # the error boundary: the chat must go on
            print(f"update {update['update_id']} failed: {error!r}", file=sys.stderr)
        finally:
            self._running.discard(update["update_id"])
            if self._tails.get(key) is asyncio.current_task():
                del self._tails[key]
            signal_, self._progress = self._progress, asyncio.get_running_loop().create_future()
            signal_.set_result(None)

    async def wait_for_progress(self, timeout):
        if not self._running:
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._progress), timeout)
        except asyncio.TimeoutError:
            pass

    async def drain(self, grace):
        deadline = asyncio.get_running_loop().time() + grace
        while self._running and asyncio.get_running_loop().time() < deadline:
            await self.wait_for_progress(0.2)


async def main():
    token = env("BOT_TOKEN")
    api_root = env("TELEGRAM_API_URL", "https://api.telegram.org")
    concurrency = int(env("UPDATE_MAX_CONCURRENCY", "32"))
    poll_timeout = int(env("POLL_TIMEOUT_SECONDS", "25"))
    pool_max = int(env("DB_POOL_MAX", "100"))

    pool = await asyncpg.create_pool(env("DATABASE_URL"), min_size=0, max_size=pool_max)
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256))
    api = BotApi(session, api_root, token)

    # Texts.Help of src/Abitly.Bot/Rendering/Texts.cs, handed over by the harness so it never drifts from ours.
    help_text = env("HELP_TEXT")
    instance = f"python-{os.getpid()}"
    sent_ids = []
    acknowledging = False

    async def acknowledge(row_id):
        """Sent replies are recorded by one writer taking whatever gathered since its last write (group commit), as ours does."""
        nonlocal acknowledging
        sent_ids.append(row_id)
        if acknowledging:
            return
        acknowledging = True
        try:
            while sent_ids:
                ids = sent_ids[:]
                sent_ids.clear()
                async with pool.acquire() as connection:
                    async with connection.transaction():
                        await connection.execute(COMPLETE, ids, datetime.datetime.now(datetime.timezone.utc))
        finally:
            acknowledging = False

    async def handle(update):
        """As ours: BEGIN, the update recorded once, the user upserted, the replies written to the outbox, COMMIT; then
        the replies are sent and their rows recorded as sent."""
        message = update.get("message")
        sender = (message or update.get("callback_query") or {}).get("from")
        now = datetime.datetime.now(datetime.timezone.utc)
        replies = []
        rows = []
        async with pool.acquire() as connection:
            async with connection.transaction():
                begun = await connection.execute(BEGIN_UPDATE, update["update_id"], chat_key(update), now)
                if begun != "INSERT 0 1":
                    return
                if sender is not None and not sender.get("is_bot"):
                    chat_type = (message or {}).get("chat", {}).get("type")
                    await connection.fetch(
                        UPSERT, sender["id"], sender.get("username"), sender.get("first_name"), sender.get("last_name"),
                        sender.get("language_code"), now, now, now, chat_type == "private")
                if message is not None and command_of(message) == "help":
                    replies.append((message["chat"]["id"], help_text))
                lease_until = now + datetime.timedelta(seconds=60)
                for chat_id, html in replies:
                    payload = json.dumps({"method": "sendMessage", "chat_id": chat_id, "html": html, "disable_preview": True}, ensure_ascii=False)
                    row_id = await connection.fetchval(ADD_REPLY, chat_id, payload, now, lease_until, instance, update["update_id"])
                    rows.append((row_id, chat_id, html))
        # Replies only after the commit.
        for row_id, chat_id, html in rows:
            await api.call("sendMessage", {
                "chat_id": chat_id,
                "text": html,
                "parse_mode": "HTML",
                "link_preview_options": {"is_disabled": True},
            })
            asyncio.create_task(acknowledge(row_id))

    dispatcher = Dispatcher(handle, concurrency)
    me = await api.call("getMe", {})
    await api.call("deleteWebhook", {})
    print(f"Python peer polling {api_root} as @{me['username']}; concurrency {concurrency}, pool max {pool_max}", flush=True)

    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)

    async def poll():
        failures = 0
        poll_http_timeout = aiohttp.ClientTimeout(total=poll_timeout + 30)
        while True:
            try:
                while dispatcher.running >= dispatcher.backlog_limit:
                    await dispatcher.wait_for_progress(1)
                updates = await api.call(
                    "getUpdates", {"offset": dispatcher.offset, "limit": 100, "timeout": poll_timeout},
                    timeout=poll_http_timeout)
                failures = 0
                if dispatcher.dispatch(updates) == 0 and updates:
                    # Only re-deliveries of updates still running: wait for one to finish instead of spinning.
                    await dispatcher.wait_for_progress(1)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                failures += 1
                print(f"getUpdates failed ({error!r}); retrying", file=sys.stderr)
                await asyncio.sleep(min(30.0, 0.5 * 2 ** min(failures - 1, 10)))

    poller = asyncio.create_task(poll())
    await stopping.wait()
    poller.cancel()
    await asyncio.gather(poller, return_exceptions=True)
    await dispatcher.drain(10)
    try:
        # Tell the Bot API what was handled, as ours does on SIGTERM.
        await api.call("getUpdates", {"offset": dispatcher.offset, "limit": 1, "timeout": 0})
    except Exception as error:
        print(f"could not confirm offsets ({error!r})", file=sys.stderr)
    await session.close()
    await pool.close()


if __name__ == "__main__":
    asyncio.run(main())
