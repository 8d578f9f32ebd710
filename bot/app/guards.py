"""Who may do what, checked by the bot on every action and click.

A command's default permissions are only a default that server admins can change, so moderator
and admin power is enforced here, against the server the interaction came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.errors import NotAllowed

if TYPE_CHECKING:
    from bot.storage.repository import Store


def guild_of(interaction: discord.Interaction[Any]) -> int:
    if interaction.guild_id is None:
        raise NotAllowed(
            "Nominations and leaderboards belong to a server: use this inside a server "
            "where I'm installed."
        )
    return interaction.guild_id


def server_install(interaction: discord.Interaction[Any]) -> bool:
    """Whether the app is installed to this server (not only to the member's account), which is
    where nominations and leaderboards live."""
    return interaction.is_guild_integration()


def is_admin(interaction: discord.Interaction[Any]) -> bool:
    permissions = interaction.permissions
    return permissions.manage_guild or permissions.administrator


async def require_admin(interaction: discord.Interaction[Any]) -> int:
    guild_id = guild_of(interaction)
    if not is_admin(interaction):
        raise NotAllowed("Only server admins (Manage Server permission) can change my settings.")
    return guild_id


async def require_moderator(interaction: discord.Interaction[Any], store: Store) -> int:
    """The server's id, if the member has Manage Server or the server's moderator role."""
    guild_id = guild_of(interaction)
    if is_admin(interaction):
        return guild_id
    config = await store.get_config(guild_id)
    roles = getattr(interaction.user, "roles", [])
    if config.mod_role_id is not None and any(role.id == config.mod_role_id for role in roles):
        return guild_id
    raise NotAllowed(
        "Only moderators can do that: you need the Manage Server permission "
        "or the moderator role set with /config mod-role."
    )
