"""Showing member-typed text back safely."""

from __future__ import annotations

import discord

from bot.search import choice_label


def quoted(text: str, limit: int = 80) -> str:
    """A member's text on one line, markdown and mentions defused, clipped, in quotes."""
    shown = discord.utils.escape_mentions(discord.utils.escape_markdown(" ".join(text.split())))
    return "“" + choice_label(shown, limit) + "”"
