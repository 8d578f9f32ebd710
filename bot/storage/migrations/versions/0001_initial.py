"""Initial schema: guild config, seasons, suggestions, nominations, blocks, audit log.

Revision ID: 0001
Revises:
Create Date: 2025-01-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "guild_config",
        sa.Column("guild_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("review_channel_id", sa.BigInteger, nullable=True),
        sa.Column("mod_role_id", sa.BigInteger, nullable=True),
        sa.Column("cooldown_seconds", sa.Integer, nullable=False, server_default="30"),
        sa.Column("max_open_suggestions", sa.Integer, nullable=False, server_default="3"),
        sa.Column("current_season", sa.Integer, nullable=False, server_default="1"),
        sa.CheckConstraint("cooldown_seconds >= 0", name="ck_guild_config_cooldown"),
        sa.CheckConstraint("max_open_suggestions >= 0", name="ck_guild_config_max_open"),
        sa.CheckConstraint("current_season >= 1", name="ck_guild_config_season"),
    )
    op.create_table(
        "seasons",
        sa.Column("guild_id", sa.BigInteger, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("started_at", UTC_DATETIME, nullable=False),
        sa.Column("ended_at", UTC_DATETIME, nullable=True),
        sa.Column("ended_by", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("guild_id", "number", name="pk_seasons"),
        sa.ForeignKeyConstraint(
            ["guild_id"], ["guild_config.guild_id"], name="fk_seasons_guild_id_guild_config"
        ),
        sa.CheckConstraint("number >= 1", name="ck_seasons_number"),
    )
    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("guild_id", sa.BigInteger, nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("decided_by", sa.BigInteger, nullable=True),
        sa.Column("decided_at", UTC_DATETIME, nullable=True),
        sa.Column("decision_reason", sa.Text, nullable=True),
        sa.UniqueConstraint("guild_id", "id", name="uq_suggestions_guild_id"),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected')", name="ck_suggestions_status"
        ),
        sa.CheckConstraint(
            "(status = 'pending' AND decided_at IS NULL AND decided_by IS NULL)"
            " OR (status <> 'pending' AND decided_at IS NOT NULL AND decided_by IS NOT NULL)",
            name="ck_suggestions_decided",
        ),
    )
    op.create_index("ix_suggestions_status", "suggestions", ["guild_id", "status", "created_at"])
    op.create_index("ix_suggestions_member", "suggestions", ["guild_id", "user_id", "status"])
    op.create_table(
        "nominations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("guild_id", sa.BigInteger, nullable=False),
        sa.Column("season", sa.Integer, nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("pick_key", sa.String(200), nullable=False),
        sa.Column("suggestion_id", sa.Integer, nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.UniqueConstraint(
            "guild_id", "season", "user_id", "pick_key", name="uq_nominations_member_pick"
        ),
        sa.ForeignKeyConstraint(
            ["guild_id", "season"],
            ["seasons.guild_id", "seasons.number"],
            name="fk_nominations_season_seasons",
        ),
        sa.ForeignKeyConstraint(
            ["guild_id", "suggestion_id"],
            ["suggestions.guild_id", "suggestions.id"],
            name="fk_nominations_suggestion_suggestions",
        ),
        sa.CheckConstraint(
            "(suggestion_id IS NULL AND pick_key NOT LIKE 'community:%')"
            " OR (suggestion_id IS NOT NULL AND pick_key = 'community:' || suggestion_id)",
            name="ck_nominations_community_pick",
        ),
    )
    op.create_index("ix_nominations_leaderboard", "nominations", ["guild_id", "season", "pick_key"])
    op.create_index("ix_nominations_member", "nominations", ["guild_id", "user_id", "created_at"])
    op.create_table(
        "blocks",
        sa.Column("guild_id", sa.BigInteger, nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("blocked_by", sa.BigInteger, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "user_id", name="pk_blocks"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("guild_id", sa.BigInteger, nullable=False),
        sa.Column("actor_id", sa.BigInteger, nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.Text, nullable=False, server_default=""),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
    )
    op.create_index("ix_audit_log_guild", "audit_log", ["guild_id", "id"])


def downgrade() -> None:
    for table in ("audit_log", "blocks", "nominations", "suggestions", "seasons", "guild_config"):
        op.drop_table(table)
