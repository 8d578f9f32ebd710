"""Async engine creation: one place that knows how SQLite and PostgreSQL must be set up.

SQLite needs care to be safe with many concurrent writers in one process: WAL so readers never
block the writer, a busy timeout, and write transactions begun as ``BEGIN IMMEDIATE`` so two
writers never both start as readers and then deadlock upgrading to a write lock (the classic
"database is locked" that busy_timeout cannot fix).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

SQLITE = "sqlite+aiosqlite"
POSTGRES = "postgresql+asyncpg"
#: Execution option marking a connection as read-only, so SQLite begins it with a plain BEGIN.
READONLY = "montage_readonly"

_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
    "PRAGMA synchronous=NORMAL",
)


PG_WAIT_SECONDS = 2.0
"""How long to wait for a PostgreSQL connection before giving up."""


class InvalidDatabaseUrl(ValueError):
    """DATABASE_URL names a database this bot cannot use."""


def parse_url(url: str) -> URL:
    """Parse and check a database URL, with a message an admin can act on."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InvalidDatabaseUrl(f"DATABASE_URL is not a database URL: {exc}") from None
    if parsed.drivername not in (SQLITE, POSTGRES):
        raise InvalidDatabaseUrl(
            f"DATABASE_URL uses {parsed.drivername!r}; use sqlite+aiosqlite:///path/to/file.db "
            "or postgresql+asyncpg://user:password@host/dbname"
        )
    return parsed


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL (None for PostgreSQL or in-memory SQLite)."""
    parsed = parse_url(url)
    if parsed.drivername != SQLITE or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def create_engine(url: str) -> AsyncEngine:
    """An AsyncEngine for DATABASE_URL, configured for safe concurrent use by the bot."""
    parsed = parse_url(url)
    if parsed.drivername == POSTGRES:
        # Fail fast when the server is unreachable: a member waits at most 3 s for an answer,
        # and an apology with a reference beats "The application did not respond".
        return create_async_engine(
            parsed,
            pool_size=5,
            max_overflow=10,
            pool_pre_ping=True,
            pool_recycle=1800,
            pool_timeout=PG_WAIT_SECONDS,
            connect_args={"timeout": PG_WAIT_SECONDS},
        )
    path = sqlite_path(url)
    kwargs: dict[str, Any] = {}
    if path is None:
        kwargs["poolclass"] = StaticPool  # one shared in-memory database
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        kwargs.update(pool_size=5, max_overflow=0, pool_timeout=60)
    engine = create_async_engine(parsed, **kwargs)
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: AsyncEngine) -> None:
    """SQLAlchemy's documented aiosqlite recipe: we emit BEGIN ourselves, IMMEDIATE for writes."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # stop the driver's own implicit BEGIN
        cursor = dbapi_connection.cursor()
        try:
            for pragma in _SQLITE_PRAGMAS:
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        readonly = conn.get_execution_options().get(READONLY, False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")
