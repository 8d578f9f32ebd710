"""/config: per-server settings for admins (Manage Server), each change audited by the store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app.embeds import info_embed
from bot.app.guards import require_admin
from bot.storage.models import GuildConfig
from bot.storage.repository import MAX_COOLDOWN_SECONDS, MAX_OPEN_SUGGESTIONS_LIMIT

if TYPE_CHECKING:
    from bot.app.client import MontageBot

REVIEW_PERMISSIONS = ("view_channel", "send_messages", "embed_links")


def describe(config: GuildConfig) -> str:
    channel = (
        f"<#{config.review_channel_id}>" if config.review_channel_id else "none (use /mod queue)"
    )
    role = f"<@&{config.mod_role_id}>" if config.mod_role_id else "none (Manage Server only)"
    return "\n".join(
        [
            f"**Review channel:** {channel}",
            f"**Moderator role:** {role}",
            f"**Cooldown between nominations:** {config.cooldown_seconds} s",
            f"**Open suggestions per member:** {config.max_open_suggestions}",
            f"**Current season:** {config.current_season}",
        ]
    )


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Config(
    commands.GroupCog, group_name="config", group_description="Server settings for montage-bot"
):
    def __init__(self, bot: MontageBot) -> None:
        self.bot = bot
        super().__init__()

    async def _reply(
        self, interaction: discord.Interaction[Any], config: GuildConfig, note: str = ""
    ) -> None:
        embed = info_embed(
            "montage-bot settings", describe(config) + (f"\n\n{note}" if note else "")
        )
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="show", description="This server's montage-bot settings")
    async def show(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = await require_admin(interaction)
        await self._reply(interaction, await self.bot.store.get_config(guild_id))

    @app_commands.command(
        name="review-channel", description="Where new suggestions are posted for moderators"
    )
    @app_commands.describe(channel="A text channel; leave empty to stop posting suggestions")
    async def review_channel(
        self, interaction: discord.Interaction[Any], channel: discord.TextChannel | None = None
    ) -> None:
        guild_id = await require_admin(interaction)
        config = await self.bot.store.set_config(
            guild_id, interaction.user.id, review_channel_id=channel.id if channel else None
        )
        await self._reply(interaction, config, self._channel_warning(interaction, channel))

    def _channel_warning(
        self, interaction: discord.Interaction[Any], channel: discord.TextChannel | None
    ) -> str:
        """Say so now if the bot could not post there, rather than failing silently later."""
        guild = interaction.guild
        cached = guild.get_channel(channel.id) if guild and channel else None
        if not isinstance(cached, discord.TextChannel) or guild is None or guild.me is None:
            return ""
        granted = cached.permissions_for(guild.me)
        missing = [name for name in REVIEW_PERMISSIONS if not getattr(granted, name)]
        if not missing:
            return ""
        names = ", ".join(n.replace("_", " ").title() for n in missing)
        return f"⚠️ I can't post in {cached.mention} yet: give me {names} there."

    @app_commands.command(
        name="mod-role", description="A role whose members may moderate nominations"
    )
    @app_commands.describe(
        role="The moderator role; leave empty so only Manage Server can moderate"
    )
    async def mod_role(
        self, interaction: discord.Interaction[Any], role: discord.Role | None = None
    ) -> None:
        guild_id = await require_admin(interaction)
        config = await self.bot.store.set_config(
            guild_id, interaction.user.id, mod_role_id=role.id if role else None
        )
        await self._reply(interaction, config)

    @app_commands.command(name="cooldown", description="Seconds a member waits between nominations")
    @app_commands.describe(seconds="0 turns the cooldown off")
    async def cooldown(
        self,
        interaction: discord.Interaction[Any],
        seconds: app_commands.Range[int, 0, MAX_COOLDOWN_SECONDS],
    ) -> None:
        guild_id = await require_admin(interaction)
        config = await self.bot.store.set_config(
            guild_id, interaction.user.id, cooldown_seconds=seconds
        )
        await self._reply(interaction, config)

    @app_commands.command(
        name="max-suggestions", description="How many open suggestions a member may have"
    )
    @app_commands.describe(count="0 stops new suggestions")
    async def max_suggestions(
        self,
        interaction: discord.Interaction[Any],
        count: app_commands.Range[int, 0, MAX_OPEN_SUGGESTIONS_LIMIT],
    ) -> None:
        guild_id = await require_admin(interaction)
        config = await self.bot.store.set_config(
            guild_id, interaction.user.id, max_open_suggestions=count
        )
        await self._reply(interaction, config)


async def setup(bot: MontageBot) -> None:
    await bot.add_cog(Config(bot))
