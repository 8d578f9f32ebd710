"""A fake Discord on 127.0.0.1 for end-to-end tests of the real discord.py client.

Use the ``loopback`` fixture (import it into a conftest), or ``async with LoopbackDiscord()``::

    async def test_montage(loopback):
        async with loopback.running(build_bot()) as bot:      # real bot.start(), real sockets
            await bot.tree.sync(guild=discord.Object(loopback.guild.id))
            res = await loopback.command("montage", {"query": "kill bill"})
            assert res.type == 4 and "Kill Bill" in res.content and res.elapsed < 3
            vote = await loopback.click(res, "vote:1", user=loopback.moderator)
            assert vote.type == 7 and res.message.content.startswith("Voted")

Modules: ``server`` (REST routes, stores), ``gateway`` (websocket sessions), ``driver``
(member actions and waiting), ``messages`` (message store and Discord's limits), ``payloads``
(wire-format builders).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from .driver import Callback, InteractionRecord, LoopbackTimeout
from .messages import StoredMessage, UploadedFile
from .payloads import (
    ADMINISTRATOR,
    APP_PERMISSIONS,
    MANAGE_GUILD,
    MEMBER_PERMISSIONS,
    MODERATOR_PERMISSIONS,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    command_data,
    component_data,
    interaction_payload,
    make_guild,
    modal_data,
    snowflake,
)
from .server import DiscordError, LoggedRequest, LoopbackDiscord

__all__ = [
    "ADMINISTRATOR",
    "APP_PERMISSIONS",
    "MANAGE_GUILD",
    "MEMBER_PERMISSIONS",
    "MODERATOR_PERMISSIONS",
    "Callback",
    "DiscordError",
    "FakeChannel",
    "FakeGuild",
    "FakeMember",
    "FakeRole",
    "InteractionRecord",
    "LoggedRequest",
    "LoopbackDiscord",
    "LoopbackTimeout",
    "StoredMessage",
    "UploadedFile",
    "command_data",
    "component_data",
    "interaction_payload",
    "loopback",
    "make_guild",
    "modal_data",
    "snowflake",
]


@pytest.fixture
async def loopback() -> AsyncIterator[LoopbackDiscord]:
    """A started fake Discord with discord.py pointed at it; both undone afterwards."""
    async with LoopbackDiscord() as fake:
        yield fake
