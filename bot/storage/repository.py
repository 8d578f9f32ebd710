"""The Store: every read and write the bot makes, scoped to one guild per call.

Counts and ranks are always computed from the nominations table (COUNT/GROUP BY), never kept
in counters, so concurrent nominations cannot lose updates; the unique constraint on
nominations is what stops double counting.
"""

from __future__ import annotations

import json
import math
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.errors import AlreadyNominated, InvalidInput, LimitReached, NotAllowed, NotFound
from bot.storage._base import StoreBase, check_page, is_unique_violation, ranking, utcnow
from bot.storage.engine import create_engine
from bot.storage.models import (
    MAX_PICK_KEY_LEN,
    UNSET,
    GuildConfig,
    LeaderRow,
    MemberNomination,
    NominationResult,
    Standing,
    Unset,
    check_reason,
    check_text,
    parse_community_key,
)
from bot.storage.moderation import ModerationMixin
from bot.storage.schema import guild_config, nominations, suggestions
from bot.storage.suggestions import SuggestionsMixin

MAX_COOLDOWN_SECONDS = 86_400
MAX_OPEN_SUGGESTIONS_LIMIT = 100


class Store(SuggestionsMixin, ModerationMixin, StoreBase):
    """Guild-scoped storage. Open with ``await Store.open(url)``; migrate first (see migrate)."""

    @classmethod
    async def open(cls, url: str) -> Store:
        return cls(create_engine(url))

    async def close(self) -> None:
        await self.engine.dispose()

    # -- configuration ---------------------------------------------------------------------

    async def get_config(self, guild_id: int) -> GuildConfig:
        async with self._read() as conn:
            return await self._config(conn, guild_id) or GuildConfig(guild_id=guild_id)

    async def set_config(
        self,
        guild_id: int,
        actor_id: int,
        *,
        review_channel_id: int | Unset | None = UNSET,
        mod_role_id: int | Unset | None = UNSET,
        cooldown_seconds: int | Unset = UNSET,
        max_open_suggestions: int | Unset = UNSET,
    ) -> GuildConfig:
        """Change only the settings given; None clears a channel or role."""
        changes = {
            name: value
            for name, value in (
                ("review_channel_id", review_channel_id),
                ("mod_role_id", mod_role_id),
                ("cooldown_seconds", cooldown_seconds),
                ("max_open_suggestions", max_open_suggestions),
            )
            if value is not UNSET
        }
        if not isinstance(cooldown_seconds, Unset) and not (
            0 <= cooldown_seconds <= MAX_COOLDOWN_SECONDS
        ):
            raise InvalidInput(f"The cooldown must be 0 to {MAX_COOLDOWN_SECONDS} seconds.")
        if not isinstance(max_open_suggestions, Unset) and not (
            0 <= max_open_suggestions <= MAX_OPEN_SUGGESTIONS_LIMIT
        ):
            raise InvalidInput(f"Open suggestions must be 0 to {MAX_OPEN_SUGGESTIONS_LIMIT}.")
        async with self._write() as conn:
            await self._ensure_guild(conn, guild_id, utcnow(), lock="update")
            if changes:
                await conn.execute(
                    update(guild_config)
                    .where(guild_config.c.guild_id == guild_id)
                    .values(**changes)
                )
                await self._audit(
                    conn, guild_id, actor_id, "config.set", "config", json.dumps(changes)
                )
            config = await self._config(conn, guild_id)
        assert config is not None
        return config

    # -- nominations -----------------------------------------------------------------------

    async def nominate(
        self,
        guild_id: int,
        user_id: int,
        pick_key: str,
        reason: str | None,
        *,
        suggestion_id: int | None = None,
        now: datetime | None = None,
    ) -> NominationResult:
        """Record one member's nomination of a pick for the current season."""
        check_text(pick_key, what="pick", max_len=MAX_PICK_KEY_LEN, required=True)
        reason = check_reason(reason)
        community_id = parse_community_key(pick_key)
        if suggestion_id is not None and suggestion_id != community_id:
            raise InvalidInput("That pick does not match the community entry.")
        now = utcnow(now)
        already = AlreadyNominated("You already nominated that this season.", pick_key)
        try:
            async with self._write() as conn:
                await self._lock_member(conn, guild_id, user_id)
                if await self._blocked(conn, guild_id, user_id):
                    raise NotAllowed("You can't nominate in this server right now.")
                if community_id is not None:
                    await self._require_approved(conn, guild_id, community_id)
                config = await self._ensure_guild(conn, guild_id, now)
                season = config.current_season
                wait = await self._cooldown_left(conn, config, user_id, now)
                if wait:
                    # A repeat of the same pick is better answered with "already" than "wait".
                    if await self._has_nomination(conn, guild_id, season, user_id, pick_key):
                        raise already
                    unit = "second" if wait == 1 else "seconds"
                    raise LimitReached(f"Slow down: you can nominate again in {wait} {unit}.")
                await conn.execute(
                    insert(nominations).values(
                        guild_id=guild_id,
                        season=season,
                        user_id=user_id,
                        pick_key=pick_key,
                        suggestion_id=community_id,
                        reason=reason,
                        created_at=now,
                    )
                )
                standing = await self._standing(conn, guild_id, season, pick_key)
        except IntegrityError as exc:
            if is_unique_violation(exc):
                raise already from None
            raise
        assert standing.rank is not None
        return NominationResult(pick_key, standing.count, standing.rank, season)

    async def unnominate(self, guild_id: int, user_id: int, pick_key: str) -> None:
        """Withdraw the member's own nomination of the pick this season."""
        async with self._write() as conn:
            await self._delete_nomination(conn, guild_id, user_id, pick_key)

    async def remove_nomination(
        self, guild_id: int, moderator_id: int, user_id: int, pick_key: str
    ) -> None:
        """A moderator removes a member's nomination this season (audited)."""
        async with self._write() as conn:
            await self._delete_nomination(conn, guild_id, user_id, pick_key)
            await self._audit(
                conn, guild_id, moderator_id, "nomination.remove", f"user:{user_id}", pick_key
            )

    async def member_nominations(self, guild_id: int, user_id: int) -> list[MemberNomination]:
        """The member's nominations this season, newest first, with each pick's standing."""
        async with self._read() as conn:
            season = await self._current_season(conn, guild_id)
            ranked = ranking(guild_id, season).subquery()
            n = nominations
            stmt = (
                select(n.c.pick_key, n.c.reason, n.c.created_at, ranked.c.count, ranked.c.rank)
                .join(ranked, ranked.c.pick_key == n.c.pick_key)
                .where(n.c.guild_id == guild_id, n.c.season == season, n.c.user_id == user_id)
                .order_by(n.c.created_at.desc(), n.c.id.desc())
            )
            rows = (await conn.execute(stmt)).all()
        return [MemberNomination(**row._mapping, season=season) for row in rows]

    async def leaderboard(
        self,
        guild_id: int,
        *,
        season: int | None = None,
        since: datetime | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> tuple[list[LeaderRow], int]:
        """One page of the ranking and the number of ranked picks.

        ``season`` defaults to the current one; ``since`` narrows it to e.g. this week.
        """
        check_page(limit, offset)
        async with self._read() as conn:
            if season is None:
                season = await self._current_season(conn, guild_id)
            ranked = ranking(guild_id, season, since).subquery()
            stmt = select(ranked).order_by(ranked.c.rank).limit(limit).offset(offset)
            rows = (await conn.execute(stmt)).all()
            if rows:
                total = int(rows[0]._mapping["total"])
            else:
                total = (await conn.execute(select(func.count()).select_from(ranked))).scalar_one()
        fields = ("rank", "pick_key", "count", "first_at")
        return [LeaderRow(**{f: row._mapping[f] for f in fields}) for row in rows], total

    async def count_and_rank(self, guild_id: int, pick_key: str) -> Standing:
        """The pick's nominations and rank this season (rank None when it has none)."""
        async with self._read() as conn:
            season = await self._current_season(conn, guild_id)
            return await self._standing(conn, guild_id, season, pick_key)

    # -- helpers ---------------------------------------------------------------------------

    async def _standing(
        self, conn: AsyncConnection, guild_id: int, season: int, pick_key: str
    ) -> Standing:
        ranked = ranking(guild_id, season).subquery()
        stmt = select(ranked.c.count, ranked.c.rank).where(ranked.c.pick_key == pick_key)
        row = (await conn.execute(stmt)).first()
        if row is None:
            return Standing(pick_key, 0, None, season)
        return Standing(pick_key, row._mapping["count"], row._mapping["rank"], season)

    async def _cooldown_left(
        self, conn: AsyncConnection, config: GuildConfig, user_id: int, now: datetime
    ) -> int:
        """Whole seconds the member must still wait (0 when they may nominate)."""
        if config.cooldown_seconds <= 0:
            return 0
        stmt = select(func.max(nominations.c.created_at)).where(
            nominations.c.guild_id == config.guild_id, nominations.c.user_id == user_id
        )
        last = (await conn.execute(stmt)).scalar_one()
        if last is None:
            return 0
        left = config.cooldown_seconds - (now - last).total_seconds()
        return min(config.cooldown_seconds, math.ceil(left)) if left > 0 else 0

    async def _has_nomination(
        self, conn: AsyncConnection, guild_id: int, season: int, user_id: int, pick_key: str
    ) -> bool:
        n = nominations
        stmt = select(n.c.id).where(
            n.c.guild_id == guild_id,
            n.c.season == season,
            n.c.user_id == user_id,
            n.c.pick_key == pick_key,
        )
        return (await conn.execute(stmt)).first() is not None

    async def _require_approved(
        self, conn: AsyncConnection, guild_id: int, suggestion_id: int
    ) -> None:
        stmt = select(suggestions.c.status).where(
            suggestions.c.guild_id == guild_id, suggestions.c.id == suggestion_id
        )
        if (await conn.execute(stmt)).scalar_one_or_none() != "approved":
            raise NotFound("That community entry does not exist or is not approved.")

    async def _delete_nomination(
        self, conn: AsyncConnection, guild_id: int, user_id: int, pick_key: str
    ) -> None:
        season = await self._current_season(conn, guild_id)
        n = nominations
        result = await conn.execute(
            delete(n).where(
                n.c.guild_id == guild_id,
                n.c.season == season,
                n.c.user_id == user_id,
                n.c.pick_key == pick_key,
            )
        )
        if not result.rowcount:
            raise NotFound("There is no such nomination this season.")
