"""Shared plumbing for the Store: transactions, per-guild rows, ranking query, audit writes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Select, Table, and_, func, insert, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.errors import InvalidInput
from bot.storage.engine import READONLY
from bot.storage.models import GuildConfig
from bot.storage.schema import audit_log, blocks, guild_config, nominations, seasons
from bot.storage.schema import suggestions as suggestions_t

Lock = Literal["share", "update"] | None
_UNIQUE_CODES = {"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY", "23505"}


def utcnow(now: datetime | None = None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def is_unique_violation(exc: IntegrityError) -> bool:
    """True for a unique/primary-key violation (not a foreign key or check failure)."""
    orig = exc.orig
    code = getattr(orig, "sqlite_errorname", None) or getattr(orig, "sqlstate", None)
    return code in _UNIQUE_CODES


def check_page(limit: int, offset: int, *, most: int = 100) -> None:
    if not 1 <= limit <= most or offset < 0:
        raise InvalidInput(f"Pages hold 1 to {most} rows and start at 0.")


def ranking(guild_id: int, season: int, since: datetime | None = None) -> Select[Any]:
    """One GROUP BY over a season's nominations: count, first nomination, rank, total picks.

    Ties are broken the same way everywhere: more nominations, then earlier first nomination,
    then pick_key. Community entries count only while their suggestion is approved, so
    rejecting one hides it and approving it again brings its nominations back.
    """
    n, s = nominations, suggestions_t
    count = func.count(n.c.id)
    first_at = func.min(n.c.created_at)
    conditions = [
        n.c.guild_id == guild_id,
        n.c.season == season,
        or_(n.c.suggestion_id.is_(None), s.c.status == "approved"),
    ]
    if since is not None:
        conditions.append(n.c.created_at >= since)
    return (
        select(
            n.c.pick_key,
            count.label("count"),
            first_at.label("first_at"),
            func.row_number()
            .over(order_by=(count.desc(), first_at.asc(), n.c.pick_key.asc()))
            .label("rank"),
            func.count().over().label("total"),
        )
        .select_from(
            n.outerjoin(s, and_(s.c.guild_id == n.c.guild_id, s.c.id == n.c.suggestion_id))
        )
        .where(*conditions)
        .group_by(n.c.pick_key)
    )


class StoreBase:
    """Holds the engine; every query goes through ``_read`` or ``_write``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        # SQLite allows one writer; queueing writers here (FIFO) instead of in SQLite's busy
        # handler keeps latency fair and leaves busy_timeout for other processes.
        self._write_lock = asyncio.Lock() if self.is_sqlite else None

    @asynccontextmanager
    async def _read(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as conn:
            await conn.execution_options(**{READONLY: True})
            yield conn

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncConnection]:
        if self._write_lock is None:
            async with self.engine.begin() as conn:
                yield conn
            return
        async with self._write_lock, self.engine.begin() as conn:
            yield conn

    async def _config(
        self, conn: AsyncConnection, guild_id: int, *, lock: Lock = None
    ) -> GuildConfig | None:
        """The guild's config row; on PostgreSQL optionally row-locked (SQLite already is).

        Nominations take a share lock so a season change waits for them; writers that will
        UPDATE the row lock it for update up front, never upgrading share -> update, which
        would deadlock against one another.
        """
        stmt = select(guild_config).where(guild_config.c.guild_id == guild_id)
        if lock is not None:
            stmt = stmt.with_for_update(read=lock == "share")
        row = (await conn.execute(stmt)).first()
        return GuildConfig(**row._mapping) if row else None

    async def _ensure_guild(
        self, conn: AsyncConnection, guild_id: int, now: datetime, *, lock: Lock = "share"
    ) -> GuildConfig:
        """The guild's config row, created with season 1 on its first write."""
        config = await self._config(conn, guild_id, lock=lock)
        if config is not None:
            return config
        await self._insert_ignore(conn, guild_config, {"guild_id": guild_id}, ["guild_id"])
        await self._insert_ignore(
            conn,
            seasons,
            {"guild_id": guild_id, "number": 1, "started_at": now},
            ["guild_id", "number"],
        )
        config = await self._config(conn, guild_id, lock=lock)
        assert config is not None
        return config

    async def _insert_ignore(
        self,
        conn: AsyncConnection,
        table: Table,
        values: Mapping[str, Any],
        conflict_columns: Sequence[str],
    ) -> bool:
        """INSERT ... ON CONFLICT DO NOTHING; True when a row was inserted."""
        dialect_insert = sqlite_insert if self.is_sqlite else pg_insert
        stmt = (
            dialect_insert(table)
            .values(**values)
            .on_conflict_do_nothing(index_elements=list(conflict_columns))
        )
        result = await conn.execute(stmt)
        return bool(result.rowcount)

    async def _lock_member(self, conn: AsyncConnection, guild_id: int, user_id: int) -> None:
        """Serialise one member's writes so check-then-act limits hold (SQLite already does)."""
        if not self.is_sqlite:
            key = func.hashtextextended(f"member:{guild_id}:{user_id}", 0)
            await conn.execute(select(func.pg_advisory_xact_lock(key)))

    async def _blocked(self, conn: AsyncConnection, guild_id: int, user_id: int) -> bool:
        stmt = select(blocks.c.user_id).where(
            blocks.c.guild_id == guild_id, blocks.c.user_id == user_id
        )
        return (await conn.execute(stmt)).first() is not None

    async def _audit(
        self,
        conn: AsyncConnection,
        guild_id: int,
        actor_id: int,
        action: str,
        target: str = "",
        detail: str = "",
        *,
        now: datetime | None = None,
    ) -> None:
        await conn.execute(
            insert(audit_log).values(
                guild_id=guild_id,
                actor_id=actor_id,
                action=action,
                target=target,
                detail=detail,
                created_at=utcnow(now),
            )
        )

    async def _current_season(self, conn: AsyncConnection, guild_id: int) -> int:
        config = await self._config(conn, guild_id)
        return config.current_season if config else 1
