"""SQLite specifics: data survives a restart, and backups of a live database are consistent."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from bot.storage import Store, backup_sqlite, sqlite_path, upgrade

from .ids import GUILD, MOD, USER


@pytest.fixture
async def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'db' / 'bot.db'}"
    await upgrade(url)
    return url


def _count(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


async def test_data_survives_close_and_reopen(sqlite_url: str) -> None:
    store = await Store.open(sqlite_url)
    await store.nominate(GUILD, USER, "rocky", "zero\u200bwidth")
    made = await store.suggest(GUILD, USER, "@everyone", None)
    await store.end_season(GUILD, MOD)
    await store.close()

    await upgrade(sqlite_url)  # a restart runs migrations again: harmless
    store = await Store.open(sqlite_url)
    try:
        rows, _ = await store.leaderboard(GUILD, season=1)
        assert [(r.pick_key, r.count) for r in rows] == [("rocky", 1)]
        assert (await store.get_suggestion(GUILD, made.id)).text == "@everyone"
        assert (await store.get_config(GUILD)).current_season == 2
        assert (await store.export(GUILD))["nominations"][0]["reason"] == "zero\u200bwidth"
    finally:
        await store.close()


async def test_backup_while_the_bot_is_running(sqlite_url: str, tmp_path: Path) -> None:
    db = sqlite_path(sqlite_url)
    assert db is not None
    store = await Store.open(sqlite_url)
    try:
        await store.set_config(GUILD, MOD, cooldown_seconds=0)
        for i in range(50):
            await store.nominate(GUILD, USER + i, "rocky", None)
        # committed rows still in the WAL, a reader holding a snapshot, writers carrying on
        reader = sqlite3.connect(db)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM nominations").fetchone()
        writes = asyncio.gather(
            *(store.nominate(GUILD, USER + 100 + i, "creed", None) for i in range(50))
        )
        dest = await asyncio.to_thread(backup_sqlite, db, tmp_path / "backups" / "copy.db")
        await writes
        reader.close()
    finally:
        await store.close()
    assert dest == tmp_path / "backups" / "copy.db"
    assert not dest.with_name("copy.db.partial").exists()
    copied = _count(dest, "nominations")
    assert 50 <= copied <= 100  # a consistent snapshot from some moment during the writes

    restored = await Store.open(f"sqlite+aiosqlite:///{dest}")
    try:
        assert (await restored.count_and_rank(GUILD, "rocky")).count == 50
    finally:
        await restored.close()


def test_backup_of_a_missing_database_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        backup_sqlite(tmp_path / "nope.db", tmp_path / "copy.db")
    assert not (tmp_path / "nope.db").exists()


def test_sqlite_path() -> None:
    assert sqlite_path("sqlite+aiosqlite:///data/bot.db") == Path("data/bot.db")
    assert sqlite_path("sqlite+aiosqlite:////abs/bot.db") == Path("/abs/bot.db")
    assert sqlite_path("postgresql+asyncpg://u@h/db") is None
