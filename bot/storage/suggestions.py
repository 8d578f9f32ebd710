"""Member suggestions and the moderator review queue; approved ones become community entries."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.errors import LimitReached, NotAllowed, NotFound
from bot.storage._base import StoreBase, check_page, utcnow
from bot.storage.models import (
    MAX_SUGGESTION_LEN,
    GuildConfig,
    Suggestion,
    check_reason,
    check_text,
    community_key,
)
from bot.storage.schema import STATUSES, nominations, suggestions

s = suggestions


class SuggestionsMixin(StoreBase):
    async def suggest(
        self,
        guild_id: int,
        user_id: int,
        text: str,
        reason: str | None,
        *,
        now: datetime | None = None,
    ) -> Suggestion:
        """File a suggestion for moderator review; the text is stored exactly as typed."""
        check_text(text, what="suggestion", max_len=MAX_SUGGESTION_LEN, required=True)
        reason = check_reason(reason)
        async with self._write() as conn:
            await self._lock_member(conn, guild_id, user_id)
            if await self._blocked(conn, guild_id, user_id):
                raise NotAllowed("You can't make suggestions in this server right now.")
            config = await self._config(conn, guild_id) or GuildConfig(guild_id=guild_id)
            open_count = (
                await conn.execute(
                    select(func.count()).where(
                        s.c.guild_id == guild_id, s.c.user_id == user_id, s.c.status == "pending"
                    )
                )
            ).scalar_one()
            if config.max_open_suggestions == 0:
                raise LimitReached("This server isn't taking new suggestions right now.")
            if open_count >= config.max_open_suggestions:
                noun = "suggestion" if open_count == 1 else "suggestions"
                raise LimitReached(
                    f"You have {open_count} {noun} waiting for review; "
                    "please wait until a moderator decides on them."
                )
            row = (
                await conn.execute(
                    insert(s)
                    .values(
                        guild_id=guild_id,
                        user_id=user_id,
                        text=text,
                        reason=reason,
                        status="pending",
                        created_at=utcnow(now),
                    )
                    .returning(*s.c)
                )
            ).one()
        return Suggestion(**row._mapping)

    async def get_suggestion(self, guild_id: int, suggestion_id: int) -> Suggestion:
        async with self._read() as conn:
            return await self._get_suggestion(conn, guild_id, suggestion_id)

    async def pending_suggestions(
        self, guild_id: int, limit: int = 10, offset: int = 0
    ) -> tuple[list[Suggestion], int]:
        """The review queue, oldest first, and its length."""
        return await self._suggestion_page(
            [s.c.guild_id == guild_id, s.c.status == "pending"], limit, offset, newest=False
        )

    async def all_suggestions(
        self, guild_id: int, *, status: str | None = None, limit: int = 25, offset: int = 0
    ) -> tuple[list[Suggestion], int]:
        """Every suggestion (or those with ``status``), newest first, with who decided."""
        where = [s.c.guild_id == guild_id]
        if status is not None:
            if status not in STATUSES:
                raise ValueError(f"unknown status {status!r}")
            where.append(s.c.status == status)
        return await self._suggestion_page(where, limit, offset, newest=True)

    async def member_suggestions(
        self, guild_id: int, user_id: int, *, limit: int = 25
    ) -> list[Suggestion]:
        """The member's own suggestions, newest first, whatever their status."""
        rows, _ = await self._suggestion_page(
            [s.c.guild_id == guild_id, s.c.user_id == user_id], limit, 0, newest=True
        )
        return rows

    async def community_entries(self, guild_id: int) -> list[Suggestion]:
        """Approved suggestions: the community entries members can nominate."""
        async with self._read() as conn:
            stmt = select(s).where(s.c.guild_id == guild_id, s.c.status == "approved")
            rows = (await conn.execute(stmt.order_by(s.c.id))).all()
        return [Suggestion(**row._mapping) for row in rows]

    async def decide(
        self,
        guild_id: int,
        suggestion_id: int,
        moderator_id: int,
        approve: bool,
        reason: str | None = None,
        *,
        now: datetime | None = None,
    ) -> Suggestion:
        """Approve or reject; decisions can be changed later and every one is audited.

        Approving records the suggester's own nomination of the new community entry once
        per season (re-approving never double counts). Rejecting keeps the nominations but
        hides the entry from the leaderboard, so a later approval restores them.
        """
        reason = check_reason(reason, what="decision reason")
        now = utcnow(now)
        status = "approved" if approve else "rejected"
        async with self._write() as conn:
            before = await self._get_suggestion(conn, guild_id, suggestion_id, lock=True)
            await conn.execute(
                update(s)
                .where(s.c.guild_id == guild_id, s.c.id == suggestion_id)
                .values(
                    status=status, decided_by=moderator_id, decided_at=now, decision_reason=reason
                )
            )
            if approve:
                config = await self._ensure_guild(conn, guild_id, now)
                await self._insert_ignore(
                    conn,
                    nominations,
                    {
                        "guild_id": guild_id,
                        "season": config.current_season,
                        "user_id": before.user_id,
                        "pick_key": community_key(suggestion_id),
                        "suggestion_id": suggestion_id,
                        "created_at": now,
                    },
                    ["guild_id", "season", "user_id", "pick_key"],
                )
            detail = json.dumps({"from": before.status, "to": status, "reason": reason})
            await self._audit(
                conn,
                guild_id,
                moderator_id,
                f"suggestion.{status}",
                f"suggestion:{suggestion_id}",
                detail,
                now=now,
            )
            return await self._get_suggestion(conn, guild_id, suggestion_id)

    async def set_review_post(
        self, guild_id: int, suggestion_id: int, channel_id: int, message_id: int
    ) -> None:
        """Record where the suggestion was posted for review."""
        async with self._write() as conn:
            await conn.execute(
                update(s)
                .where(s.c.guild_id == guild_id, s.c.id == suggestion_id)
                .values(review_channel_id=channel_id, review_message_id=message_id)
            )

    async def _get_suggestion(
        self, conn: AsyncConnection, guild_id: int, suggestion_id: int, *, lock: bool = False
    ) -> Suggestion:
        stmt = select(s).where(s.c.guild_id == guild_id, s.c.id == suggestion_id)
        if lock:
            stmt = stmt.with_for_update()
        row = (await conn.execute(stmt)).first()
        if row is None:
            raise NotFound(f"There is no suggestion #{suggestion_id} in this server.")
        return Suggestion(**row._mapping)

    async def _suggestion_page(
        self, where: list[ColumnElement[Any]], limit: int, offset: int, *, newest: bool
    ) -> tuple[list[Suggestion], int]:
        check_page(limit, offset)
        order = (s.c.id.desc(),) if newest else (s.c.id.asc(),)
        async with self._read() as conn:
            stmt = select(s).where(*where).order_by(*order).limit(limit).offset(offset)
            rows = (await conn.execute(stmt)).all()
            total = (await conn.execute(select(func.count()).where(*where))).scalar_one()
        return [Suggestion(**row._mapping) for row in rows], total
