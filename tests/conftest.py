"""Shared fixtures: the loopback Discord, real databases, and the bot started as `run` starts it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from harness import BotRun, bot_running
from loopback import LoopbackDiscord, loopback
from testdb import create_pg_database, drop_pg_database, sqlite_url

__all__ = ["loopback"]

NO_PINGS = {"parse": []}
APOLOGY = "Sorry, something went wrong"


@pytest.fixture
def sqlite_db(tmp_path: Path) -> str:
    return sqlite_url(tmp_path)


@pytest.fixture
async def pg_db() -> AsyncIterator[str]:
    url = await create_pg_database()
    try:
        yield url
    finally:
        await drop_pg_database(url)


@pytest.fixture(params=["sqlite", "postgres"])
def any_db(request: pytest.FixtureRequest) -> str:
    """The bot's database on each backend: the same tests run on SQLite and PostgreSQL."""
    name = "sqlite_db" if request.param == "sqlite" else "pg_db"
    url: str = request.getfixturevalue(name)
    return url


@pytest.fixture
async def app(loopback: LoopbackDiscord, sqlite_db: str) -> AsyncIterator[BotRun]:
    """The bot, connected and with its commands registered with the test server."""
    async for run in bot_running(loopback, sqlite_db):
        yield run


@pytest.fixture
async def app_any_db(loopback: LoopbackDiscord, any_db: str) -> AsyncIterator[BotRun]:
    """The same, once on SQLite and once on PostgreSQL."""
    async for run in bot_running(loopback, any_db):
        yield run


@pytest.fixture
async def clean_wire(
    loopback: LoopbackDiscord, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[None]:
    """After the test: every interaction answered within Discord's 3 s without errors, no
    message able to ping anyone, and no unexpected error (apology or ERROR log) on the way."""
    yield
    for rec in loopback.records:
        assert rec.callback is not None and not rec.errors, (rec.label, rec.errors)
        assert rec.elapsed is not None and rec.elapsed < 3, (rec.label, rec.elapsed)
        if rec.type in (4, 7):
            assert rec.data.get("allowed_mentions") == NO_PINGS, (rec.label, rec.data)
    for message in loopback.messages.values():
        assert message.allowed_mentions == NO_PINGS, message
        assert not message.mention_user_ids and not message.mention_role_ids, message
        assert APOLOGY not in message.content, message.content
    unexpected = [r.getMessage() for r in caplog.get_records("call") if r.levelname == "ERROR"]
    assert not unexpected, unexpected
