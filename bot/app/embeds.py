"""The one montage embed, used by every command, clipped to Discord's embed limits."""

from __future__ import annotations

from urllib.parse import quote_plus

import discord

from bot.catalog import Montage

COLOUR = discord.Colour(0xD9480F)
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
TOTAL_LIMIT = 6000
MAX_FIELDS = 25


def clip(text: str, limit: int) -> str:
    """Shorten to `limit` characters at a word boundary, ending with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def youtube_search_url(montage: Montage) -> str:
    return "https://www.youtube.com/results?search_query=" + quote_plus(
        f"{montage.film} {montage.year} training montage"
    )


def montage_embed(montage: Montage, *, heading: str | None = None) -> discord.Embed:
    """Film, montage, music, people, tags, where to watch and description, in one look."""
    embed = discord.Embed(
        title=clip(f"{montage.film} ({montage.year})", TITLE_LIMIT),
        description=clip(montage.description, DESCRIPTION_LIMIT),
        colour=COLOUR,
        url=youtube_search_url(montage),
    )
    if heading:
        embed.set_author(name=clip(heading, 256))
    fields: list[tuple[str, str, bool]] = []
    if montage.title:
        fields.append(("Montage", f"“{montage.title}”", False))
    if montage.music:
        lines = [
            f"♪ {p.title} - {', '.join(p.artists)}" + (" (score)" if p.kind == "score" else "")
            for p in montage.music
        ]
        fields.append(("Music", "\n".join(lines), False))
    elif montage.no_music:
        fields.append(("Music", "No music: just the sound of the training.", False))
    if montage.cast:
        people = [f"{p.actor} as {p.character}" if p.character else p.actor for p in montage.cast]
        fields.append(("Starring", "\n".join(people), True))
    if montage.directors:
        fields.append(("Directed by", "\n".join(montage.directors), True))
    if montage.tags:
        fields.append(("Tags", ", ".join(montage.tags), False))
    if montage.watch:
        where = ", ".join(montage.watch.where) or "not stated"
        note = f"\n{montage.watch.note}" if montage.watch.note else ""
        fields.append((f"Where to watch (as of {montage.watch.as_of})", where + note, False))
    for name, value, inline in fields[:MAX_FIELDS]:
        embed.add_field(
            name=clip(name, FIELD_NAME_LIMIT), value=clip(value, FIELD_VALUE_LIMIT), inline=inline
        )
    if montage.kind == "pick":
        footer = f"#{montage.rank} in the article's ranking · id {montage.id}"
    else:
        footer = f"Named by the article or its readers, not ranked · id {montage.id}"
    embed.set_footer(text=clip(footer, FOOTER_LIMIT))
    return fit(embed)


def fit(embed: discord.Embed) -> discord.Embed:
    """Trim the description until the whole embed is within Discord's 6,000 characters."""
    excess = len(embed) - TOTAL_LIMIT
    if excess > 0 and embed.description:
        embed.description = clip(embed.description, max(1, len(embed.description) - excess))
    while len(embed) > TOTAL_LIMIT and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    return embed


def info_embed(title: str, description: str) -> discord.Embed:
    """Plain informational embeds (help, lists) share the montage embed's colour."""
    return discord.Embed(
        title=clip(title, TITLE_LIMIT),
        description=clip(description, DESCRIPTION_LIMIT),
        colour=COLOUR,
    )
