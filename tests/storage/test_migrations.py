"""Migrations: packaged with the code, idempotent, and producing exactly schema.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

import bot.storage
from bot.storage import (
    InvalidDatabaseUrl,
    Store,
    create_engine,
    current_revision,
    head_revision,
    upgrade,
)
from bot.storage.migrate import MIGRATIONS_DIR
from bot.storage.schema import metadata, nominations, seasons, suggestions

from .conftest import create_pg_database, drop_pg_database
from .ids import GUILD, OTHER_GUILD


def _diffs(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_fresh_upgrade_matches_schema_and_is_idempotent(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the script location must not depend on the CWD
    url = (
        f"sqlite+aiosqlite:///{tmp_path / 'new' / 'dir' / 'bot.db'}"
        if backend == "sqlite"
        else await create_pg_database()
    )
    try:
        assert await current_revision(url) is None
        await upgrade(url)
        await upgrade(url)  # second run is a no-op
        assert await current_revision(url) == head_revision() == "0002"
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                assert await conn.run_sync(_diffs) == []
        finally:
            await engine.dispose()
    finally:
        if backend == "postgres":
            await drop_pg_database(url)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_upgrading_an_existing_database_keeps_its_data(backend: str, tmp_path: Path) -> None:
    url = (
        f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
        if backend == "sqlite"
        else await create_pg_database()
    )
    try:
        await upgrade(url, "0001")
        engine = create_engine(url)
        try:
            async with engine.begin() as conn:
                await conn.execute(
                    text(
                        "INSERT INTO suggestions (guild_id, user_id, text, status, created_at) "
                        "VALUES (1, 2, 'Rudy', 'pending', CURRENT_TIMESTAMP)"
                    )
                )
        finally:
            await engine.dispose()
        await upgrade(url)
        store = await Store.open(url)
        try:
            [kept] = (await store.pending_suggestions(1))[0]
            assert kept.text == "Rudy" and kept.review_message_id is None
            await store.set_review_post(1, kept.id, 10, 20)
            again = await store.get_suggestion(1, kept.id)
            assert (again.review_channel_id, again.review_message_id) == (10, 20)
        finally:
            await store.close()
    finally:
        if backend == "postgres":
            await drop_pg_database(url)


def test_migrations_ship_inside_the_package() -> None:
    package_dir = Path(bot.storage.__file__).parent
    assert package_dir / "migrations" == MIGRATIONS_DIR
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert (MIGRATIONS_DIR / "script.py.mako").is_file()
    assert (MIGRATIONS_DIR / "versions" / "0001_initial.py").is_file()


@pytest.mark.parametrize(
    "url",
    ["mysql+aiomysql://u@h/db", "sqlite:///plain-driver.db", "postgresql://u@h/db", "nonsense"],
)
def test_unsupported_url_names_database_url(url: str) -> None:
    with pytest.raises(InvalidDatabaseUrl, match="DATABASE_URL"):
        create_engine(url)
    assert issubclass(InvalidDatabaseUrl, ValueError)


async def test_sqlite_connections_are_configured(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'a' / 'b' / 'x.db'}")
    try:
        async with engine.connect() as conn:
            values = {
                pragma: (await conn.exec_driver_sql(f"PRAGMA {pragma}")).scalar()
                for pragma in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
            }
    finally:
        await engine.dispose()
    assert values == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": 5000,
        "synchronous": 1,
    }
    assert (tmp_path / "a" / "b" / "x.db").is_file()


async def test_schema_rules_hold_without_the_store(db_url: str) -> None:
    """Checks and foreign keys refuse bad rows even from code that bypasses the Store."""
    engine = create_engine(db_url)
    now = text("CURRENT_TIMESTAMP")
    bad_rows = [
        (suggestions, {"guild_id": GUILD, "user_id": 1, "text": "x", "status": "maybe"}),
        # decided status without who decided
        (suggestions, {"guild_id": GUILD, "user_id": 1, "text": "x", "status": "approved"}),
        # a nomination for a season that does not exist
        (nominations, {"guild_id": GUILD, "season": 7, "user_id": 1, "pick_key": "rocky"}),
        # a community key that does not match its suggestion
        (nominations, {"guild_id": GUILD, "season": 1, "user_id": 1, "pick_key": "community:2"}),
        # another guild's suggestion
        (
            nominations,
            {
                "guild_id": GUILD,
                "season": 1,
                "user_id": 1,
                "pick_key": "community:1",
                "suggestion_id": 1,
            },
        ),
    ]
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO guild_config (guild_id) VALUES (:g), (:o)"),
                {
                    "g": GUILD,
                    "o": OTHER_GUILD,
                },
            )
            await conn.execute(insert(seasons).values(guild_id=GUILD, number=1, started_at=now))
            await conn.execute(
                insert(suggestions).values(
                    guild_id=OTHER_GUILD, user_id=1, text="x", status="pending", created_at=now
                )
            )
        for table, row in bad_rows:
            with pytest.raises(IntegrityError):
                async with engine.begin() as conn:
                    await conn.execute(insert(table).values(created_at=now, **row))
    finally:
        await engine.dispose()
