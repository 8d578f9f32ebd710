"""Starting, syncing and stopping the bot as admins do, against the loopback Discord."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest
from harness import BotRun, bot_settings
from loopback import LoopbackDiscord

from bot.runner import StartupError, serve, sync_only


async def test_bad_token_is_reported_as_rejected(loopback: LoopbackDiscord, sqlite_db: str) -> None:
    run = BotRun(loopback, bot_settings(loopback, sqlite_db, discord_token="not-the-token"))
    with pytest.raises(StartupError, match="Discord rejected the token in DISCORD_TOKEN"):
        await run.start()


async def test_missing_token_says_how_to_get_one(loopback: LoopbackDiscord, sqlite_db: str) -> None:
    with pytest.raises(StartupError, match="no Discord bot token is set"):
        await serve(bot_settings(loopback, sqlite_db, discord_token=None), asyncio.Event())


async def test_sync_registers_globally_or_with_one_server(
    loopback: LoopbackDiscord, sqlite_db: str
) -> None:
    settings = bot_settings(loopback, sqlite_db, dev_guild_id=None)
    assert await sync_only(settings, None) >= 9
    assert loopback.global_syncs == 1
    await sync_only(settings, None)  # on request it syncs even when unchanged
    assert loopback.global_syncs == 2
    assert await sync_only(settings, loopback.guild.id) >= 9
    assert {c["name"] for c in loopback.commands[loopback.guild.id]} >= {
        "montage",
        "nominate",
        "mod",
    }


async def test_sigterm_closes_the_gateway_and_returns(
    loopback: LoopbackDiscord, sqlite_db: str
) -> None:
    settings = bot_settings(loopback, sqlite_db)
    task = asyncio.create_task(serve(settings))  # no stop event: SIGINT/SIGTERM stop it
    connection = await loopback.wait_ready()
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(task, 10)
    assert connection.closed


async def test_a_broken_database_url_stops_start_up_clearly(
    loopback: LoopbackDiscord, tmp_path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    settings = bot_settings(loopback, f"sqlite:///{blocker}/sub/bot.db")
    with pytest.raises(StartupError, match="DATABASE_URL"):
        await serve(settings, asyncio.Event())


async def test_shard_settings_reach_the_gateway(loopback: LoopbackDiscord, sqlite_db: str) -> None:
    run = BotRun(loopback, bot_settings(loopback, sqlite_db, shard_id=1, shard_count=2))
    await run.start()
    try:
        assert loopback.connections[-1].identify["shard"] == [1, 2]
    finally:
        await run.stop()
