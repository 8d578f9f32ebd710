"""The bot as `montage-bot run` runs it, `serve(settings)`, against the loopback Discord."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from loopback import LoopbackDiscord

from bot.runner import serve
from bot.settings import Settings


class BotRun:
    """Starts, stops and restarts one bot process's worth of work inside the test's loop."""

    def __init__(self, fake: LoopbackDiscord, settings: Settings) -> None:
        self.fake = fake
        self.settings = settings
        self.task: asyncio.Task[None] | None = None
        self.stop_event = asyncio.Event()

    async def start(self, ready_within: float = 15.0) -> None:
        since = len(self.fake.connections)
        self.stop_event = asyncio.Event()
        self.task = asyncio.create_task(serve(self.settings, self.stop_event))
        ready = asyncio.create_task(self.fake.wait_ready(since=since, timeout=ready_within))
        await asyncio.wait({self.task, ready}, return_when=asyncio.FIRST_COMPLETED)
        if self.task.done():
            ready.cancel()
            self.task.result()  # start-up failed: raise its error
            raise AssertionError("the bot stopped before connecting")
        await ready

    async def stop(self) -> None:
        if self.task is None:
            return
        self.stop_event.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(self.task, 15)
        self.task = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()


def bot_settings(fake: LoopbackDiscord, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "discord_token": fake.token,
        "dev_guild_id": fake.guild.id,
        "database_url": database_url,
        "log_level": "DEBUG",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


async def bot_running(fake: LoopbackDiscord, database_url: str) -> AsyncIterator[BotRun]:
    """For fixtures: `async for run in bot_running(...): yield run` starts and always stops."""
    run = BotRun(fake, bot_settings(fake, database_url))
    await run.start()
    try:
        yield run
    finally:
        await run.stop()
