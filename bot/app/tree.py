"""The command tree and its single error path."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

import discord
from discord import app_commands

from bot.app.replies import apologise, log_unexpected, send_ephemeral
from bot.errors import AlreadyNominated, MontageBotError

log = logging.getLogger(__name__)

PERMISSION_NAMES = {
    "embed_links": "Embed Links",
    "send_messages": "Send Messages",
    "view_channel": "View Channel",
    "read_message_history": "Read Message History",
}


def explain_check_failure(error: app_commands.AppCommandError) -> str | None:
    """Words for the failures discord.py itself detects; None for anything unexpected."""
    if isinstance(error, app_commands.BotMissingPermissions):
        names = ", ".join(
            PERMISSION_NAMES.get(p, p.replace("_", " ").title()) for p in error.missing_permissions
        )
        return (
            f"I can't answer properly in this channel: I need the {names} permission here. "
            "Ask a server admin to grant it to me (or my role) in this channel's settings."
        )
    if isinstance(error, app_commands.MissingPermissions):
        names = ", ".join(p.replace("_", " ").title() for p in error.missing_permissions)
        return f"You need the {names} permission to use this command."
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return (
            "That command has changed since Discord last loaded it. "
            "Wait a minute (or restart Discord) and try again."
        )
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works inside a server."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} seconds."
    if isinstance(error, app_commands.TransformerError):
        return f"I couldn't understand {error.value!r} for that option."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    return None


async def answer_error(interaction: discord.Interaction, error: BaseException, where: str) -> None:
    """Answer any failure: the project's own errors and check failures in words, the rest
    logged and apologised for. Used by the tree and by every button."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, AlreadyNominated) and error.pick_key:
        from bot.app.components import WithdrawButton

        view = discord.ui.View(timeout=None)
        view.add_item(WithdrawButton(error.pick_key))
        await send_ephemeral(interaction, error.message, view=view)
        return
    if isinstance(error, MontageBotError):
        await send_ephemeral(interaction, error.message)
        return
    if isinstance(error, app_commands.AppCommandError):
        message = explain_check_failure(error)
        if message is not None:
            await send_ephemeral(interaction, message)
            return
    await apologise(interaction, error, where)


Choices = list[app_commands.Choice[Any]]
AutocompleteCallback = TypeVar("AutocompleteCallback", bound=Callable[..., Awaitable[Any]])


def guarded_autocomplete(func: AutocompleteCallback) -> AutocompleteCallback:
    """discord.py only logs an autocomplete's exception and never answers, so Discord shows
    "Loading options failed". Log it with a reference and answer with no choices instead."""

    @functools.wraps(func)
    async def wrapper(cog: Any, interaction: discord.Interaction[Any], current: str) -> Choices:
        try:
            return await func(cog, interaction, current)
        except Exception as error:  # noqa: BLE001 - logged with a reference; answered with []
            command = interaction.command
            log_unexpected(
                interaction, error, f"autocomplete of /{command.qualified_name if command else '?'}"
            )
            return []

    return cast(AutocompleteCallback, wrapper)


class MontageTree(app_commands.CommandTree[Any]):
    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Every answer is an embed: without Embed Links it would arrive empty, so say so."""
        command = interaction.type is discord.InteractionType.application_command
        if command and interaction.guild_id and not interaction.app_permissions.embed_links:
            raise app_commands.BotMissingPermissions(["embed_links"])
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        command = interaction.command
        where = f"/{command.qualified_name}" if command else "an application command"
        await answer_error(interaction, error, where)
