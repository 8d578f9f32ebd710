"""Moderator tools: blocks, seasons, the audit log and a full per-guild export."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.errors import NotAllowed, NotFound
from bot.storage._base import StoreBase, check_page, utcnow
from bot.storage.models import AuditEntry, Block, GuildConfig, Season, check_reason
from bot.storage.schema import audit_log as audit_t
from bot.storage.schema import blocks, guild_config, nominations, suggestions
from bot.storage.schema import seasons as seasons_t


class ModerationMixin(StoreBase):
    # -- blocks ----------------------------------------------------------------------------

    async def block(
        self,
        guild_id: int,
        moderator_id: int,
        user_id: int,
        reason: str | None = None,
        *,
        now: datetime | None = None,
    ) -> Block:
        """Stop a member nominating and suggesting; blocking again updates the reason."""
        reason = check_reason(reason)
        now = utcnow(now)
        values = {"reason": reason, "blocked_by": moderator_id, "created_at": now}
        dialect_insert = sqlite_insert if self.is_sqlite else pg_insert
        stmt = dialect_insert(blocks).values(guild_id=guild_id, user_id=user_id, **values)
        stmt = stmt.on_conflict_do_update(index_elements=["guild_id", "user_id"], set_=values)
        async with self._write() as conn:
            await conn.execute(stmt)
            await self._audit(
                conn, guild_id, moderator_id, "member.block", f"user:{user_id}", reason or ""
            )
        return Block(guild_id, user_id, reason, moderator_id, now)

    async def unblock(self, guild_id: int, moderator_id: int, user_id: int) -> None:
        async with self._write() as conn:
            result = await conn.execute(
                delete(blocks).where(blocks.c.guild_id == guild_id, blocks.c.user_id == user_id)
            )
            if not result.rowcount:
                raise NotFound("That member is not blocked.")
            await self._audit(conn, guild_id, moderator_id, "member.unblock", f"user:{user_id}")

    async def is_blocked(self, guild_id: int, user_id: int) -> bool:
        async with self._read() as conn:
            return await self._blocked(conn, guild_id, user_id)

    async def blocked_members(self, guild_id: int) -> list[Block]:
        async with self._read() as conn:
            stmt = select(blocks).where(blocks.c.guild_id == guild_id).order_by(blocks.c.created_at)
            return [Block(**row._mapping) for row in await conn.execute(stmt)]

    # -- seasons ---------------------------------------------------------------------------

    async def end_season(
        self,
        guild_id: int,
        actor_id: int,
        *,
        expected: int | None = None,
        now: datetime | None = None,
    ) -> int:
        """Archive the current season and start the next; returns the new season number.

        The increment is one conditional UPDATE, so simultaneous resets queue up instead of
        skipping numbers. Pass ``expected`` (the season the moderator saw) to make a
        double-clicked reset fail instead of ending two seasons.
        """
        now = utcnow(now)
        async with self._write() as conn:
            await self._ensure_guild(conn, guild_id, now, lock="update")
            stmt = update(guild_config).where(guild_config.c.guild_id == guild_id)
            if expected is not None:
                stmt = stmt.where(guild_config.c.current_season == expected)
            stmt = stmt.values(current_season=guild_config.c.current_season + 1)
            new = (await conn.execute(stmt.returning(guild_config.c.current_season))).scalar()
            if new is None:
                raise NotAllowed(f"Season {expected} has already ended.")
            await conn.execute(
                update(seasons_t)
                .where(seasons_t.c.guild_id == guild_id, seasons_t.c.number == new - 1)
                .values(ended_at=now, ended_by=actor_id)
            )
            await conn.execute(
                insert(seasons_t).values(guild_id=guild_id, number=new, started_at=now)
            )
            await self._audit(
                conn, guild_id, actor_id, "season.end", f"season:{new - 1}", f"started {new}"
            )
        return int(new)

    async def seasons(self, guild_id: int) -> list[Season]:
        """Every season of the guild, oldest first; ended ones stay queryable."""
        async with self._read() as conn:
            stmt = (
                select(seasons_t)
                .where(seasons_t.c.guild_id == guild_id)
                .order_by(seasons_t.c.number)
            )
            return [Season(**row._mapping) for row in await conn.execute(stmt)]

    # -- audit log -------------------------------------------------------------------------

    async def record_audit(
        self,
        guild_id: int,
        actor_id: int,
        action: str,
        target: str = "",
        detail: str = "",
        *,
        now: datetime | None = None,
    ) -> None:
        """Record a moderator action done outside the Store (e.g. a config change in Discord)."""
        async with self._write() as conn:
            await self._audit(conn, guild_id, actor_id, action, target, detail, now=now)

    async def audit_log(
        self, guild_id: int, limit: int = 20, offset: int = 0
    ) -> tuple[list[AuditEntry], int]:
        """A page of the guild's audit log, newest first, and its length."""
        check_page(limit, offset)
        where = audit_t.c.guild_id == guild_id
        async with self._read() as conn:
            stmt = select(audit_t).where(where).order_by(audit_t.c.id.desc())
            rows = (await conn.execute(stmt.limit(limit).offset(offset))).all()
            total = (await conn.execute(select(func.count()).where(where))).scalar_one()
        return [AuditEntry(**row._mapping) for row in rows], total

    # -- export ----------------------------------------------------------------------------

    async def export(self, guild_id: int) -> dict[str, Any]:
        """Everything stored for one guild, as JSON-serialisable lists (datetimes ISO 8601)."""
        tables: dict[str, tuple[Table, Any]] = {
            "seasons": (seasons_t, seasons_t.c.number),
            "nominations": (nominations, nominations.c.id),
            "suggestions": (suggestions, suggestions.c.id),
            "blocks": (blocks, blocks.c.user_id),
            "audit": (audit_t, audit_t.c.id),
        }
        out: dict[str, Any] = {"guild_id": guild_id}
        async with self._read() as conn:
            config = await self._config(conn, guild_id) or GuildConfig(guild_id=guild_id)
            out["config"] = asdict(config)
            for name, (table, order) in tables.items():
                stmt = select(table).where(table.c.guild_id == guild_id).order_by(order)
                out[name] = [
                    {key: _plain(value) for key, value in row._mapping.items()}
                    for row in await conn.execute(stmt)
                ]
        return out


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
