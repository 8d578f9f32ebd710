"""The database schema (SQLAlchemy Core). Rules that protect data live here, not only in Python.

The Alembic migrations in ``migrations/versions`` are written by hand to match this file; a test
compares them. Change both together.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

STATUSES = ("pending", "approved", "rejected")
COMMUNITY_PREFIX = "community:"


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive, as UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use datetime.now(UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = MetaData()

guild_config = Table(
    "guild_config",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("review_channel_id", BigInteger, nullable=True),
    Column("mod_role_id", BigInteger, nullable=True),
    Column("cooldown_seconds", Integer, nullable=False, server_default="30"),
    Column("max_open_suggestions", Integer, nullable=False, server_default="3"),
    Column("current_season", Integer, nullable=False, server_default="1"),
    CheckConstraint("cooldown_seconds >= 0", name="ck_guild_config_cooldown"),
    CheckConstraint("max_open_suggestions >= 0", name="ck_guild_config_max_open"),
    CheckConstraint("current_season >= 1", name="ck_guild_config_season"),
)

seasons = Table(
    "seasons",
    metadata,
    Column("guild_id", BigInteger, nullable=False),
    Column("number", Integer, nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime, nullable=True),
    Column("ended_by", BigInteger, nullable=True),
    PrimaryKeyConstraint("guild_id", "number", name="pk_seasons"),
    ForeignKeyConstraint(
        ["guild_id"], ["guild_config.guild_id"], name="fk_seasons_guild_id_guild_config"
    ),
    CheckConstraint("number >= 1", name="ck_seasons_number"),
)

suggestions = Table(
    "suggestions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("text", Text, nullable=False),
    Column("reason", Text, nullable=True),
    Column("status", String(16), nullable=False, server_default="pending"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("decided_by", BigInteger, nullable=True),
    Column("decided_at", UTCDateTime, nullable=True),
    Column("decision_reason", Text, nullable=True),
    # The copy posted to the review channel, kept in step when a decision is made elsewhere.
    Column("review_channel_id", BigInteger, nullable=True),
    Column("review_message_id", BigInteger, nullable=True),
    # Lets nominations reference (guild_id, id), so a pick can never point at another server.
    UniqueConstraint("guild_id", "id", name="uq_suggestions_guild_id"),
    CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="ck_suggestions_status"),
    CheckConstraint(
        "(status = 'pending' AND decided_at IS NULL AND decided_by IS NULL)"
        " OR (status <> 'pending' AND decided_at IS NOT NULL AND decided_by IS NOT NULL)",
        name="ck_suggestions_decided",
    ),
    Index("ix_suggestions_status", "guild_id", "status", "created_at"),
    Index("ix_suggestions_member", "guild_id", "user_id", "status"),
)

nominations = Table(
    "nominations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("season", Integer, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("pick_key", String(200), nullable=False),
    Column("suggestion_id", Integer, nullable=True),
    Column("reason", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    # One nomination per member per montage per server per season: double clicks cannot count.
    UniqueConstraint(
        "guild_id", "season", "user_id", "pick_key", name="uq_nominations_member_pick"
    ),
    ForeignKeyConstraint(
        ["guild_id", "season"],
        ["seasons.guild_id", "seasons.number"],
        name="fk_nominations_season_seasons",
    ),
    ForeignKeyConstraint(
        ["guild_id", "suggestion_id"],
        ["suggestions.guild_id", "suggestions.id"],
        name="fk_nominations_suggestion_suggestions",
    ),
    CheckConstraint(
        "(suggestion_id IS NULL AND pick_key NOT LIKE 'community:%')"
        " OR (suggestion_id IS NOT NULL AND pick_key = 'community:' || suggestion_id)",
        name="ck_nominations_community_pick",
    ),
    Index("ix_nominations_leaderboard", "guild_id", "season", "pick_key"),
    Index("ix_nominations_member", "guild_id", "user_id", "created_at"),
)

blocks = Table(
    "blocks",
    metadata,
    Column("guild_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("reason", Text, nullable=True),
    Column("blocked_by", BigInteger, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("guild_id", "user_id", name="pk_blocks"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("guild_id", BigInteger, nullable=False),
    Column("actor_id", BigInteger, nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", Text, nullable=False, server_default=""),
    Column("detail", Text, nullable=False, server_default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_audit_log_guild", "guild_id", "id"),
)
