"""Plain, frozen records returned by the Store, so callers never hold database rows or sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from bot.errors import InvalidInput
from bot.storage.schema import COMMUNITY_PREFIX

MAX_SUGGESTION_LEN = 200
MAX_REASON_LEN = 4000
MAX_PICK_KEY_LEN = 200
DEFAULT_COOLDOWN_SECONDS = 30
DEFAULT_MAX_OPEN_SUGGESTIONS = 3


class Unset(Enum):
    """Sentinel type: "leave this setting alone", distinct from None meaning "clear it"."""

    UNSET = "unset"


UNSET = Unset.UNSET


@dataclass(frozen=True, slots=True)
class GuildConfig:
    guild_id: int
    review_channel_id: int | None = None
    mod_role_id: int | None = None
    cooldown_seconds: int = DEFAULT_COOLDOWN_SECONDS
    max_open_suggestions: int = DEFAULT_MAX_OPEN_SUGGESTIONS
    current_season: int = 1


@dataclass(frozen=True, slots=True)
class NominationResult:
    """Where the pick stands right after the nomination was recorded."""

    pick_key: str
    count: int
    rank: int
    season: int


@dataclass(frozen=True, slots=True)
class Standing:
    """A pick's count and rank this season; rank is None when it has no nominations."""

    pick_key: str
    count: int
    rank: int | None
    season: int


@dataclass(frozen=True, slots=True)
class LeaderRow:
    rank: int
    pick_key: str
    count: int
    first_at: datetime


@dataclass(frozen=True, slots=True)
class MemberNomination:
    pick_key: str
    reason: str | None
    created_at: datetime
    count: int
    rank: int
    season: int


@dataclass(frozen=True, slots=True)
class Suggestion:
    id: int
    guild_id: int
    user_id: int
    text: str
    reason: str | None
    status: str  # pending | approved | rejected
    created_at: datetime
    decided_by: int | None
    decided_at: datetime | None
    decision_reason: str | None
    review_channel_id: int | None = None
    review_message_id: int | None = None

    @property
    def pick_key(self) -> str:
        """The key its nominations use once approved as a community entry."""
        return community_key(self.id)


@dataclass(frozen=True, slots=True)
class Season:
    guild_id: int
    number: int
    started_at: datetime
    ended_at: datetime | None
    ended_by: int | None


@dataclass(frozen=True, slots=True)
class Block:
    guild_id: int
    user_id: int
    reason: str | None
    blocked_by: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    guild_id: int
    actor_id: int
    action: str
    target: str
    detail: str
    created_at: datetime


def community_key(suggestion_id: int) -> str:
    return f"{COMMUNITY_PREFIX}{suggestion_id}"


def parse_community_key(pick_key: str) -> int | None:
    """The suggestion id of a "community:<id>" key, None for catalog keys."""
    if not pick_key.startswith(COMMUNITY_PREFIX):
        return None
    rest = pick_key.removeprefix(COMMUNITY_PREFIX)
    if not rest.isascii() or not rest.isdigit() or rest != str(int(rest)):
        raise InvalidInput("That community entry does not exist.")
    return int(rest)


def check_text(value: str, *, what: str, max_len: int, required: bool = False) -> str:
    """Validate member text without changing it: stored exactly as typed, or refused."""
    if required and not value.strip():
        raise InvalidInput(f"The {what} cannot be empty.")
    if len(value) > max_len:
        raise InvalidInput(f"The {what} is too long ({len(value)} characters; at most {max_len}).")
    if "\x00" in value:
        raise InvalidInput(f"The {what} contains a NUL character.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"The {what} is not valid text.") from None
    return value


def check_reason(value: str | None, *, what: str = "reason") -> str | None:
    return None if value is None else check_text(value, what=what, max_len=MAX_REASON_LEN)


def row_dict(row: Any) -> dict[str, Any]:
    return dict(row._mapping)
