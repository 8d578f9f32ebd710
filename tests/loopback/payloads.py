"""Wire-format builders for the loopback Discord: users, guilds and INTERACTION_CREATE payloads.

Everything here returns plain dicts shaped like Discord's JSON (snowflakes as strings, permissions
as decimal strings) so the real discord.py parses them exactly as it would in production.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord

DISCORD_EPOCH_MS = 1420070400000
APP_ID = 1000
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024

# Permission bits, kept as ints because that is what travels on the wire.
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
MANAGE_MESSAGES = 1 << 13
VIEW_CHANNEL = 1 << 10
ADD_REACTIONS = 1 << 6
#: What an ordinary member may do in a text channel.
MEMBER_PERMISSIONS = VIEW_CHANNEL | ADD_REACTIONS | discord.Permissions.text().value
#: Default ``app_permissions``: every text permission, incl. Send Messages and Embed Links.
APP_PERMISSIONS = MEMBER_PERMISSIONS
MODERATOR_PERMISSIONS = MEMBER_PERMISSIONS | MANAGE_GUILD | MANAGE_MESSAGES

# Interaction types and contexts (see Discord's "Interaction Object" docs).
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
CONTEXT_GUILD, CONTEXT_BOT_DM, CONTEXT_PRIVATE_CHANNEL = 0, 1, 2

_last_snowflake = 0


def snowflake() -> int:
    """A fresh, increasing snowflake whose timestamp is now (so ``created_at`` is sensible)."""
    global _last_snowflake
    candidate = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
    _last_snowflake = max(candidate, _last_snowflake + 1)
    return _last_snowflake


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class FakeMember:
    """A Discord user, and their membership of whichever guild an interaction happens in."""

    id: int
    name: str = "member"
    roles: list[int] = field(default_factory=list)
    permissions: int = MEMBER_PERMISSIONS
    nick: str | None = None
    bot: bool = False
    joined_at: str = "2024-01-01T00:00:00+00:00"
    dm_channel_id: int = field(default_factory=snowflake)

    def user_payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name,
            "global_name": None if self.bot else self.name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "avatar_decoration_data": None,
            "primary_guild": None,
            "collectibles": None,
        }

    def member_payload(self, *, with_user: bool = True, with_permissions: bool = True) -> dict:
        member: dict[str, Any] = {
            "roles": [str(r) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
            "avatar_decoration_data": None,
        }
        if with_user:
            member["user"] = self.user_payload()
        if with_permissions:
            member["permissions"] = str(self.permissions)
        return member

    def dm_channel_payload(self) -> dict[str, Any]:
        return {
            "id": str(self.dm_channel_id),
            "type": 1,
            "recipients": [self.user_payload()],
            "last_message_id": None,
            "flags": 0,
        }


@dataclass
class FakeRole:
    id: int
    name: str
    permissions: int = 0
    position: int = 0
    managed: bool = False
    bot_id: int | None = None

    def payload(self) -> dict[str, Any]:
        role: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "managed": self.managed,
            "mentionable": False,
            "flags": 0,
        }
        if self.bot_id is not None:
            role["tags"] = {"bot_id": str(self.bot_id)}
        return role


@dataclass
class FakeChannel:
    id: int
    name: str
    type: int = 0  # 0 = guild text channel
    position: int = 0
    topic: str | None = None
    parent_id: int | None = None

    def payload(self, guild_id: int | None = None) -> dict[str, Any]:
        channel: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "name": self.name,
            "position": self.position,
            "topic": self.topic,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "permission_overwrites": [],
            "nsfw": False,
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "flags": 0,
        }
        if guild_id is not None:
            channel["guild_id"] = str(guild_id)
        return channel


@dataclass
class FakeGuild:
    id: int
    name: str
    owner_id: int
    channels: list[FakeChannel] = field(default_factory=list)
    roles: list[FakeRole] = field(default_factory=list)
    members: list[FakeMember] = field(default_factory=list)
    locale: str = "en-US"

    def channel(self, name: str) -> FakeChannel:
        return next(c for c in self.channels if c.name == name)

    def role(self, name: str) -> FakeRole:
        return next(r for r in self.roles if r.name == name)

    @property
    def text_channels(self) -> list[FakeChannel]:
        return [c for c in self.channels if c.type == 0]

    def partial_payload(self) -> dict[str, Any]:
        """The small ``guild`` object Discord attaches to interactions."""
        return {"id": str(self.id), "locale": self.locale, "features": []}

    def guild_create(self, bot: FakeMember, *, all_members: bool = False) -> dict[str, Any]:
        """GUILD_CREATE. Without the presences intent Discord sends only the bot's own member;
        with it (and a small guild) every member, which is why discord.py then skips chunking."""
        me = bot.member_payload(with_permissions=False)
        me["roles"] = [str(r.id) for r in self.roles if r.bot_id == bot.id]
        others = [m.member_payload(with_permissions=False) for m in self.members if all_members]
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": self.locale,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "application_id": None,
            "features": [],
            "emojis": [],
            "stickers": [],
            "roles": [r.payload() for r in self.roles],
            "channels": [c.payload() for c in self.channels],
            "threads": [],
            "members": [me, *others],
            "member_count": len(self.members) + 1,
            "large": False,
            "unavailable": False,
            "lazy": True,
            "joined_at": bot.joined_at,
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "embedded_activities": [],
            "incidents_data": None,
            "max_members": 500000,
            "max_video_channel_users": 25,
        }


def make_guild(
    guild_id: int = 2000,
    name: str = "Montage Club",
    *,
    owner_id: int = 42,
    channels: tuple[str, ...] = ("general", "review"),
) -> FakeGuild:
    """A guild with text channels (ids guild_id+1, +2, ...), @everyone and a Moderator role."""
    return FakeGuild(
        id=guild_id,
        name=name,
        owner_id=owner_id,
        channels=[FakeChannel(guild_id + i, n, position=i) for i, n in enumerate(channels, 1)],
        roles=[
            FakeRole(guild_id, "@everyone", MEMBER_PERMISSIONS),
            FakeRole(guild_id + 50, "Moderator", MODERATOR_PERMISSIONS, position=1),
        ],
    )


# --------------------------------------------------------------------------- interactions


def interaction_payload(
    type_: int,
    data: dict[str, Any] | None,
    *,
    user: FakeMember,
    guild: FakeGuild | None,
    channel: FakeChannel | None = None,
    message: dict[str, Any] | None = None,
    app_id: int = APP_ID,
    app_permissions: int = APP_PERMISSIONS,
    locale: str = "en-US",
    context: int | None = None,
    user_install: bool = False,
    integration_owners: dict[str, str] | None = None,
    attachment_size_limit: int = ATTACHMENT_SIZE_LIMIT,
) -> dict[str, Any]:
    """The ``d`` of an INTERACTION_CREATE. No guild means a DM (``user`` instead of ``member``).

    ``user_install`` marks the app as installed on the user (owners key "1") rather than the
    guild (key "0", or "0": "0" in the bot's DMs), which is what Discord sends for user apps.
    """
    if integration_owners is None:
        if user_install:
            integration_owners = {"1": str(user.id)}
        else:
            integration_owners = {"0": str(guild.id) if guild else "0"}
    if context is None:
        context = CONTEXT_GUILD if guild else CONTEXT_BOT_DM
    payload: dict[str, Any] = {
        "id": str(snowflake()),
        "application_id": str(app_id),
        "type": type_,
        "token": "lb." + secrets.token_urlsafe(32),
        "version": 1,
        "app_permissions": str(app_permissions),
        "locale": locale,
        "entitlements": [],
        "authorizing_integration_owners": integration_owners,
        "context": context,
        "attachment_size_limit": attachment_size_limit,
    }
    if data is not None:
        payload["data"] = data
    if guild is not None:
        channel = channel or guild.text_channels[0]
        payload.update(
            guild_id=str(guild.id),
            guild_locale=guild.locale,
            guild=guild.partial_payload(),
            member=user.member_payload(),
            channel=channel.payload(guild.id),
        )
    else:
        payload.update(user=user.user_payload(), channel=user.dm_channel_payload())
    payload["channel_id"] = payload["channel"]["id"]
    if message is not None:
        payload["message"] = message
    return payload


def _find(specs: list[dict], name: str) -> dict | None:
    return next((s for s in specs if s["name"] == name), None)


def _infer_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    if isinstance(value, FakeMember):
        return 6
    if isinstance(value, FakeChannel):
        return 7
    if isinstance(value, FakeRole):
        return 8
    return 3


def resolve_option(value: Any, guild: FakeGuild | None, resolved: dict[str, dict]) -> str:
    """Put a user/channel/role option's object into ``resolved`` and return its id string."""
    if isinstance(value, FakeMember):
        resolved.setdefault("users", {})[str(value.id)] = value.user_payload()
        if guild is not None:
            member = value.member_payload(with_user=False)
            resolved.setdefault("members", {})[str(value.id)] = member
    elif isinstance(value, FakeChannel):
        channel = value.payload(guild.id if guild else None)
        channel["permissions"] = str(MEMBER_PERMISSIONS)
        resolved.setdefault("channels", {})[str(value.id)] = channel
    elif isinstance(value, FakeRole):
        resolved.setdefault("roles", {})[str(value.id)] = value.payload()
    else:
        return str(value)  # a bare id the test already resolved itself
    return str(value.id)


def command_data(
    name: str,
    options: dict[str, Any] | None = None,
    *,
    schema: dict[str, Any] | None = None,
    focused: str | None = None,
    guild: FakeGuild | None = None,
) -> dict[str, Any]:
    """``data`` of a slash command; ``name`` may be "mod approve" or "group sub cmd".

    With ``schema`` (the registered command) option types come from it, and unknown options,
    missing required ones or values outside ``choices`` fail like Discord's client would
    refuse them. Without it types are inferred from the Python values.
    """
    root, *path = name.split()
    chain: list[tuple[str, int]] = []
    specs = schema.get("options", []) if schema else []
    for i, part in enumerate(path):
        spec = _find(specs, part)
        if schema and spec is None:
            raise AssertionError(f"/{name}: {part!r} is not a subcommand of the registered command")
        chain.append((part, spec["type"] if spec else (2 if i < len(path) - 1 else 1)))
        specs = spec.get("options", []) if spec else []

    resolved: dict[str, dict] = {}
    leaf: list[dict[str, Any]] = []
    for opt_name, value in (options or {}).items():
        spec = _find(specs, opt_name)
        if schema and spec is None:
            raise AssertionError(f"/{name} has no option {opt_name!r}")
        kind = spec["type"] if spec else _infer_type(value)
        if kind in (6, 7, 8, 9):
            value = resolve_option(value, guild, resolved)
        elif opt_name == focused:
            value = str(value)  # autocomplete sends what the user has typed so far
        elif spec and spec.get("choices") and value not in [c["value"] for c in spec["choices"]]:
            raise AssertionError(f"/{name} {opt_name}: {value!r} is not one of its choices")
        option = {"name": opt_name, "type": kind, "value": value}
        if opt_name == focused:
            option["focused"] = True
        leaf.append(option)
    if schema and focused is None:
        given = {o["name"] for o in leaf}
        missing = [s["name"] for s in specs if s.get("required") and s["name"] not in given]
        if missing:
            raise AssertionError(f"/{name}: required options missing: {missing}")

    for part, kind in reversed(chain):
        leaf = [{"name": part, "type": kind, "options": leaf}]
    data: dict[str, Any] = {
        "id": str(schema["id"]) if schema else str(snowflake()),
        "name": root,
        "type": 1,
        "options": leaf,
    }
    if schema and schema.get("guild_id"):
        data["guild_id"] = schema["guild_id"]
    if resolved:
        data["resolved"] = resolved
    return data


def component_data(
    custom_id: str, component_type: int = 2, values: list[str] | None = None
) -> dict[str, Any]:
    """``data`` of a click (type 2 button) or a select (3 string, 5-8 user/role/... selects)."""
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
    if values is not None:
        data["values"] = list(values)
    return data


def modal_data(modal: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """``data`` of a modal submit, echoing the modal the bot sent with the member's input.

    Discord echoes the structure (action rows, or labels wrapping the input) and fills
    ``value`` for text inputs and ``values`` for selects; required fields must be filled.
    """

    def echo(component: dict[str, Any]) -> dict[str, Any]:
        kind = component["type"]
        out: dict[str, Any] = {"type": kind, "id": component.get("id", 0)}
        if kind == 1:
            out["components"] = [echo(c) for c in component["components"]]
        elif kind == 18:
            out["component"] = echo(component["component"])
        elif kind == 4:
            value = str(values.get(component["custom_id"], component.get("value") or ""))
            if component.get("required", True) and not value:
                raise AssertionError(f"modal field {component['custom_id']!r} is required")
            if len(value) > component.get("max_length", 4000):
                raise AssertionError(f"modal field {component['custom_id']!r} is too long")
            out.update(custom_id=component["custom_id"], value=value)
        elif "custom_id" in component:
            out.update(
                custom_id=component["custom_id"], values=values.get(component["custom_id"], [])
            )
        return out

    components = [echo(c) for c in modal["components"]]
    unknown = set(values) - set(_custom_ids(components))
    if unknown:
        raise AssertionError(f"modal {modal['custom_id']!r} has no fields {sorted(unknown)}")
    return {"custom_id": modal["custom_id"], "components": components}


def _custom_ids(components: list[dict[str, Any]]) -> list[str]:
    found = []
    for c in components:
        found += [c["custom_id"]] if "custom_id" in c else []
        found += _custom_ids(
            c.get("components", []) + ([c["component"]] if "component" in c else [])
        )
    return found
