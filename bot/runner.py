"""Starting and stopping the bot: what `montage-bot run` and `montage-bot sync` do."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

import discord
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.app.client import MontageBot
from bot.app.sync import sync_commands
from bot.catalog import load_catalog
from bot.settings import Settings
from bot.storage.engine import InvalidDatabaseUrl
from bot.storage.migrate import upgrade
from bot.storage.repository import Store

log = logging.getLogger(__name__)

NO_TOKEN = """\
montage-bot: no Discord bot token is set.
  1. Open https://discord.com/developers/applications, pick (or create) your application.
  2. Under "Bot", press "Reset Token" and copy the token.
  3. Put it in a .env file in the directory you run montage-bot from:
       DISCORD_TOKEN=your-token-here
     (or export DISCORD_TOKEN in the environment). See .env.example for every setting."""

BAD_TOKEN = """\
montage-bot: Discord rejected the token in DISCORD_TOKEN (401 Unauthorized).
  Copy it again from the Developer Portal (your application > Bot > Reset Token);
  check for stray spaces or quotes around it in .env."""


class StartupError(Exception):
    """A reason not to start, already worded for the admin; exit status 2."""


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)-8s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("discord.http").setLevel(max(logging.INFO, root.level))


def token_of(settings: Settings) -> str:
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        raise StartupError(NO_TOKEN)
    return settings.discord_token.get_secret_value().strip()


async def open_store(settings: Settings) -> Store:
    """Migrate the database to the current schema, then open it."""
    try:
        await upgrade(settings.database_url)
    except InvalidDatabaseUrl as exc:
        raise StartupError(f"montage-bot: {exc}") from None
    except (OSError, SQLAlchemyError) as exc:
        where = safe_url(settings.database_url)
        raise StartupError(
            f"montage-bot: cannot open the database {where} (DATABASE_URL): {exc}"
        ) from None
    log.info("Database ready at %s", safe_url(settings.database_url))
    return await Store.open(settings.database_url)


def safe_url(url: str) -> str:
    """The database URL without its password, for logs and messages."""
    return make_url(url).render_as_string(hide_password=True)


async def create_bot(settings: Settings, store: Store, *, sync_on_start: bool = True) -> MontageBot:
    """Everything `run` builds before connecting: catalog, search index, the client."""
    catalog = await asyncio.to_thread(load_catalog, settings.montages_path)
    log.info("Loaded %d montages from %s", len(catalog), catalog.path)
    return MontageBot(settings, catalog, store, sync_on_start=sync_on_start)


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run until `stop` is set (SIGINT/SIGTERM by default), then close the gateway cleanly."""
    token = token_of(settings)
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM) if stop is None else ()
    stop = stop or asyncio.Event()
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    try:
        store = await open_store(settings)
        try:
            await _run_until(settings, store, token, stop)
        finally:
            await store.close()
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)
    log.info("Stopped")


async def _run_until(settings: Settings, store: Store, token: str, stop: asyncio.Event) -> None:
    bot = await create_bot(settings, store)
    async with bot:
        running = asyncio.create_task(bot.start(token), name="montage-bot")
        stopping = asyncio.create_task(stop.wait(), name="montage-bot-stop")
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not running.done():
            log.info("Shutting down")
            await bot.close()
        stopping.cancel()
        try:
            await running
        except discord.LoginFailure:
            raise StartupError(BAD_TOKEN) from None
        except asyncio.CancelledError:
            pass


async def sync_only(settings: Settings, guild_id: int | None) -> int:
    """Log in over REST only (no gateway) and upload the command definitions."""
    token = token_of(settings)
    store = await Store.open(settings.database_url)
    bot = await create_bot(settings, store, sync_on_start=False)
    async with bot:
        try:
            await bot.login(token)
        except discord.LoginFailure:
            raise StartupError(BAD_TOKEN) from None
        try:
            return await sync_commands(bot, guild_id, force=True)
        finally:
            await store.close()
