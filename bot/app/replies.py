"""One way to answer an interaction, whether or not it was already acknowledged."""

from __future__ import annotations

import logging
import secrets

import discord

log = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, something went wrong on my side. It has been logged with reference `{ref}`; "
    "please try again, and mention that reference if you report it."
)


async def send_ephemeral(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
) -> None:
    """Reply privately: the first answer if none was sent yet, a follow-up otherwise."""
    embed_or_missing = embed if embed is not None else discord.utils.MISSING
    view_or_missing = view if view is not None else discord.utils.MISSING
    if interaction.response.is_done():
        await interaction.followup.send(
            content or discord.utils.MISSING,
            embed=embed_or_missing,
            view=view_or_missing,
            ephemeral=True,
        )
    else:
        await interaction.response.send_message(
            content, embed=embed_or_missing, view=view_or_missing, ephemeral=True
        )


def error_reference() -> str:
    return secrets.token_hex(4)


def log_unexpected(interaction: discord.Interaction, error: BaseException, where: str) -> str:
    """Log an unexpected error with its traceback under a new reference, and return it."""
    ref = error_reference()
    log.error(
        "Unexpected error [ref %s] in %s (guild %s, user %s)",
        ref,
        where,
        interaction.guild_id,
        interaction.user.id if interaction.user else None,
        exc_info=error,
    )
    return ref


async def apologise(interaction: discord.Interaction, error: BaseException, where: str) -> str:
    """Log an unexpected error and tell the member its reference, so a report can be matched."""
    ref = log_unexpected(interaction, error, where)
    try:
        await send_ephemeral(interaction, APOLOGY.format(ref=ref))
    except discord.HTTPException:
        log.warning("Could not deliver the apology for [ref %s]", ref, exc_info=True)
    return ref
