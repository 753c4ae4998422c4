"""A Python asyncio peer of Abitly Bot for the peers benchmark.

Per update, the same telegram_users upsert in its own transaction, then the same /help reply. Its own getUpdates loop:
different chats concurrently (bounded), one chat in order, offsets confirmed only past handled updates. Runs on
Debian's python3-aiohttp and python3-asyncpg with /usr/bin/python3.
"""

import asyncio
import datetime
import os
import signal
import sys

import aiohttp
import asyncpg

# Copied from src/Abitly.Bot/Rendering/Texts.cs (Help).
HELP = """<b>Що я вмію</b>

<b>Конкурсна пропозиція.</b> Надішліть посилання, наприклад:
<code>https://vstup.edbo.gov.ua/offer/1234567/</code>
<code>https://vstup.osvita.ua/y2026/r27/79/1234567/</code>
<code>https://abit-poisk.org.ua/rate2026/direction/1234567</code>

<b>Профіль.</b> /profile — стан під'єднання профілю та ваші бали НМТ.
<b>Дні відкритих дверей.</b> /opendays — список і підписка; нагадування о 07:00 за 3 дні та за день.
<b>Фільтри.</b> /filters — університети та спеціальності, про зміни днів відкритих дверей яких повідомляти."""

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

    async def handle(update):
        message = update.get("message")
        sender = (message or update.get("callback_query") or {}).get("from")
        if sender is not None and not sender.get("is_bot"):
            chat_type = (message or {}).get("chat", {}).get("type")
            now = datetime.datetime.now(datetime.timezone.utc)
            async with pool.acquire() as connection:
                async with connection.transaction():
                    await connection.fetch(
                        UPSERT, sender["id"], sender.get("username"), sender.get("first_name"), sender.get("last_name"),
                        sender.get("language_code"), now, now, now, chat_type == "private")
        # Replies only after the commit.
        if message is not None and command_of(message) == "help":
            await api.call("sendMessage", {
                "chat_id": message["chat"]["id"],
                "text": HELP,
                "parse_mode": "HTML",
                "link_preview_options": {"is_disabled": True},
            })

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
