"""/montage, /random, /bysong and /help: look montages up, anywhere the app is installed."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app.components import AnotherOne, community_view, montage_view
from bot.app.embeds import info_embed, montage_embed
from bot.app.guards import server_install
from bot.app.nominating import community_embed, picks_for
from bot.app.text import quoted
from bot.app.tree import guarded_autocomplete
from bot.catalog import Montage, normalise_decade
from bot.errors import NotFound
from bot.search import CLOSE_MARGIN, THRESHOLD, Match, are_close, closest

if TYPE_CHECKING:
    from bot.app.client import MontageBot

DECADES = [f"{year}s" for year in range(1950, 2030, 10)]
QUERY_LIMIT = 100


def everywhere(func: Any) -> Any:
    """Looking a montage up needs no server: allow user installs, DMs and private channels."""
    func = app_commands.allowed_installs(guilds=True, users=True)(func)
    return app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)(func)


class Lookup(commands.Cog):
    def __init__(self, bot: MontageBot) -> None:
        self.bot = bot

    @everywhere
    @app_commands.command(
        name="montage", description="Find a training montage by film, name, person or tag"
    )
    @app_commands.describe(query="A film, montage name, actor, director or tag; typos are fine")
    async def montage(
        self, interaction: discord.Interaction[Any], query: app_commands.Range[str, 1, QUERY_LIMIT]
    ) -> None:
        picks = await picks_for(self.bot, interaction.guild_id)
        exact = picks.get(query.strip())
        scored = [(exact, 100.0)] if exact else picks.search(query, limit=6, threshold=THRESHOLD)
        if not scored:
            raise NotFound(self._nothing_matches(query, songs=False))
        best, top = scored[0]
        if best.montage is None:  # a community entry of this server
            assert best.suggestion is not None
            await interaction.response.send_message(
                embed=community_embed(best.suggestion), view=community_view(best.key)
            )
            return
        close = [p.montage for p, score in scored[1:] if p.montage and top - score <= CLOSE_MARGIN]
        await self._show(interaction, best.montage, close)

    @montage.autocomplete("query")
    @guarded_autocomplete
    async def montage_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        picks = await picks_for(self.bot, interaction.guild_id)
        return [
            app_commands.Choice(name=label, value=value)
            for label, value in picks.autocomplete(current)
        ]

    @everywhere
    @app_commands.command(
        name="random", description="A random training montage, optionally by tag or decade"
    )
    @app_commands.describe(
        tag="Only montages with this tag, e.g. boxing", decade="Only films from this decade"
    )
    @app_commands.choices(decade=[app_commands.Choice(name=d, value=d) for d in DECADES])
    async def random(
        self,
        interaction: discord.Interaction[Any],
        tag: app_commands.Range[str, 1, 40] | None = None,
        decade: str | None = None,
    ) -> None:
        catalog = self.bot.catalog
        tag = tag.strip().lower() if tag else None
        if tag and tag not in catalog.tags:
            close = closest(tag, catalog.tags)
            hint = (
                f" Did you mean {', '.join(close)}?"
                if close
                else " Pick one from the list as you type."
            )
            raise NotFound(f"No montage is tagged {quoted(tag)}.{hint}")
        decade = normalise_decade(decade) if decade else None
        pool = catalog.filter(tag=tag, decade=decade)
        if not pool:
            wanted = " ".join(
                p
                for p in (
                    f"tagged {quoted(tag)}" if tag else "",
                    f"from the {decade}" if decade else "",
                )
                if p
            )
            raise NotFound(f"No montage {wanted}. Try another decade, or /random without options.")
        montage = random.choice(pool)
        again = AnotherOne(tag or "", decade or "", montage.id)
        view = montage_view(montage, extra=[again], nominate=server_install(interaction))
        await interaction.response.send_message(embed=montage_embed(montage), view=view)

    @random.autocomplete("tag")
    @guarded_autocomplete
    async def tag_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        tags = self.bot.catalog.tags
        if current.strip():
            tags = closest(current, tags, limit=25, threshold=50)
        return [app_commands.Choice(name=t, value=t) for t in tags[:25]]

    @everywhere
    @app_commands.command(
        name="bysong", description="Find the montages that use a song, artist or composer"
    )
    @app_commands.describe(query="A song title, artist or composer; typos are fine")
    async def bysong(
        self, interaction: discord.Interaction[Any], query: app_commands.Range[str, 1, QUERY_LIMIT]
    ) -> None:
        exact = self.bot.catalog.get(query.strip())
        matches = self.bot.index.search_songs(query, limit=10)
        if exact is not None and exact.music:
            matches = [Match(exact, 100.0, exact.music[0].title, exact.music[0])]
        if not matches:
            raise NotFound(self._nothing_matches(query, songs=True))
        best = matches[0]
        same = [m.montage for m in matches[1:] if m.matched.casefold() == best.matched.casefold()]
        heading = None
        if best.piece is not None:
            heading = f"♪ {best.piece.title} by {', '.join(best.piece.artists)}"
        embed = montage_embed(best.montage, heading=heading)
        if same:
            embed.description = (
                f"Also uses {best.matched}: "
                + ", ".join(f"{m.film} ({m.year})" for m in same)
                + "\n\n"
                + (embed.description or "")
            )
        others = same or [m.montage for m in are_close(matches)]
        view = montage_view(best.montage, alternatives=others, nominate=server_install(interaction))
        await interaction.response.send_message(embed=embed, view=view)

    @bysong.autocomplete("query")
    @guarded_autocomplete
    async def bysong_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=label, value=value)
            for label, value in self.bot.index.autocomplete(current, songs=True)
        ]

    @everywhere
    @app_commands.command(name="help", description="What this bot does and how to use it")
    async def help(self, interaction: discord.Interaction[Any]) -> None:
        lines = [
            "I recommend film **training montages**: heroes getting ready for what is coming. "
            "Searches forgive typos, and autocomplete suggests as you type.",
            "",
        ]
        for command in self.bot.tree.walk_commands():
            if isinstance(command, app_commands.Command):
                options = " ".join(
                    f"`{p.name}`" if p.required else f"`[{p.name}]`" for p in command.parameters
                )
                usage = f"**/{command.qualified_name}** {options}".rstrip()
                lines.append(f"{usage} - {command.description}")
        lines += ["", f"The catalog holds {len(self.bot.catalog)} montages."]
        await interaction.response.send_message(
            embed=info_embed("montage-bot help", "\n".join(lines)), ephemeral=True
        )

    async def _show(
        self, interaction: discord.Interaction[Any], montage: Montage, others: list[Montage]
    ) -> None:
        view = montage_view(montage, alternatives=others, nominate=server_install(interaction))
        content = "Close matches are below, in case you meant one of those." if others else None
        await interaction.response.send_message(
            content=content, embed=montage_embed(montage), view=view
        )

    def _nothing_matches(self, query: str, *, songs: bool) -> str:
        what = "song, artist or composer" if songs else "montage"
        find = self.bot.index.search_songs if songs else self.bot.index.search
        near = find(query, limit=3, threshold=THRESHOLD - 20)
        hint = ""
        if near:
            names = [m.matched if songs else m.montage.film for m in near]
            hint = " Close spellings: " + ", ".join(dict.fromkeys(names)) + "."
        other = "/montage for films and people" if songs else "/bysong for music"
        return (
            f"No {what} matches {quoted(query)}.{hint} "
            f"Check the spelling, try fewer words, use {other}, or let /random pick one."
        )


async def setup(bot: MontageBot) -> None:
    await bot.add_cog(Lookup(bot))
