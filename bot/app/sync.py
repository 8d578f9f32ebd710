"""Command registration without hammering Discord: a dev server instantly, global only on change.

Discord rate-limits global command updates, so `run` compares what is registered with what the
code defines and uploads only when they differ; `montage-bot sync` forces an upload.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

import discord

if TYPE_CHECKING:
    from bot.app.client import MontageBot

log = logging.getLogger(__name__)

_OPTION_KEYS = (
    "type",
    "name",
    "description",
    "required",
    "autocomplete",
    "choices",
    "min_value",
    "max_value",
    "min_length",
    "max_length",
    "channel_types",
)
_COMMAND_KEYS = (
    "type",
    "name",
    "description",
    "default_member_permissions",
    "nsfw",
    "contexts",
    "integration_types",
)


def _option_shape(option: dict[str, Any]) -> dict[str, Any]:
    shape = {key: option[key] for key in _OPTION_KEYS if option.get(key) not in (None, False, [])}
    if option.get("choices"):
        shape["choices"] = [(c["name"], c["value"]) for c in option["choices"]]
    if option.get("options"):
        shape["options"] = [_option_shape(o) for o in option["options"]]
    return shape


def command_shape(payload: dict[str, Any]) -> dict[str, Any]:
    """What matters of a command payload, the same whether built locally or read from Discord."""
    shape = {key: payload.get(key) for key in _COMMAND_KEYS}
    shape["type"] = shape["type"] or 1
    shape["nsfw"] = bool(shape["nsfw"])
    for key in ("contexts", "integration_types"):
        values = payload.get(key)
        shape[key] = sorted(values) if values else None
    shape["options"] = [_option_shape(o) for o in payload.get("options") or []]
    return shape


def definitions_differ(local: list[dict[str, Any]], remote: list[dict[str, Any]]) -> bool:
    def key(shapes: list[dict[str, Any]]) -> str:
        ordered = sorted((command_shape(p) for p in shapes), key=lambda s: (s["type"], s["name"]))
        return json.dumps(ordered, sort_keys=True, default=str)

    return key(local) != key(remote)


async def sync_commands(
    bot: MontageBot, guild_id: int | None = None, *, force: bool = False
) -> int:
    """Register the commands with one server (instant) or globally; returns how many were sent,
    0 when the global commands were already up to date."""
    tree = bot.tree
    if guild_id is not None:
        guild = discord.Object(guild_id)
        tree.copy_global_to(guild=guild)
        synced = await tree.sync(guild=guild)
        log.info("Registered %d commands with server %s", len(synced), guild_id)
        return len(synced)
    if not force:
        assert bot.application_id is not None
        remote = await bot.http.get_global_commands(bot.application_id)
        local = [command.to_dict(tree) for command in tree.get_commands()]
        if not definitions_differ(local, list(remote)):  # type: ignore[arg-type]
            log.info("Global commands are up to date; not syncing")
            return 0
    synced = await tree.sync()
    log.info("Registered %d global commands (changes can take up to an hour to show)", len(synced))
    return len(synced)
