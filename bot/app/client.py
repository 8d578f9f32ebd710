"""The bot client: built once from settings by `montage-bot run` (and by the end-to-end tests)."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord.ext import commands

from bot.app.components import DYNAMIC_ITEMS
from bot.app.sync import sync_commands
from bot.app.tree import MontageTree
from bot.catalog import Catalog
from bot.search import MontageIndex
from bot.settings import Settings
from bot.storage.repository import Store

log = logging.getLogger(__name__)

EXTENSIONS = (
    "bot.app.cogs.lookup",
    "bot.app.cogs.nominations",
    "bot.app.cogs.leaderboard",
    "bot.app.cogs.moderation",
    "bot.app.cogs.config",
)


def intents() -> discord.Intents:
    """Slash commands need no message content and no privileged intents: guilds is enough."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    return wanted


class MontageBot(commands.Bot):
    def __init__(
        self,
        settings: Settings,
        catalog: Catalog,
        store: Store,
        *,
        sync_on_start: bool = True,
        **options: Any,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=MontageTree,
            shard_id=settings.shard_id,
            shard_count=settings.shard_count,
            **options,
        )
        self.settings = settings
        self.catalog = catalog
        self.store = store
        self.index = MontageIndex(catalog)
        self.sync_on_start = sync_on_start

    async def setup_hook(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        if self.sync_on_start:
            await sync_commands(self, self.settings.dev_guild_id)

    async def on_ready(self) -> None:
        log.info(
            "Connected as %s (id %s) to %d server(s)",
            self.user,
            self.user and self.user.id,
            len(self.guilds),
        )
