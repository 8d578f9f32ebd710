"""Persistence for nominations, suggestions, seasons and moderation; knows nothing of Discord.

Typical use: ``await upgrade(url)`` once at start-up, then ``store = await Store.open(url)``.
"""

from bot.storage.backup import backup_sqlite
from bot.storage.engine import InvalidDatabaseUrl, create_engine, sqlite_path
from bot.storage.migrate import current_revision, head_revision, upgrade
from bot.storage.models import (
    UNSET,
    AuditEntry,
    Block,
    GuildConfig,
    LeaderRow,
    MemberNomination,
    NominationResult,
    Season,
    Standing,
    Suggestion,
    community_key,
)
from bot.storage.repository import Store

__all__ = [
    "UNSET",
    "AuditEntry",
    "Block",
    "GuildConfig",
    "InvalidDatabaseUrl",
    "LeaderRow",
    "MemberNomination",
    "NominationResult",
    "Season",
    "Standing",
    "Store",
    "Suggestion",
    "backup_sqlite",
    "community_key",
    "create_engine",
    "current_revision",
    "head_revision",
    "sqlite_path",
    "upgrade",
]
