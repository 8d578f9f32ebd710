"""/leaderboard: this server's top picks for the season, month or week, with page buttons."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app.components import GuardedButton, asked_by
from bot.app.embeds import info_embed
from bot.app.guards import guild_of
from bot.app.nominating import bot_of, picks_for, plural
from bot.app.tree import guarded_autocomplete
from bot.errors import NotFound

if TYPE_CHECKING:
    from bot.app.client import MontageBot

PAGE_SIZE = 10
PERIODS = {"season": "this season", "month": "this month", "week": "this week"}


def period_start(period: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """Calendar month or ISO week (from Monday), in UTC; None for the whole season."""
    now = now or dt.datetime.now(dt.UTC)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "month":
        return midnight.replace(day=1)
    if period == "week":
        return midnight - dt.timedelta(days=midnight.weekday())
    return None


async def leaderboard_page(
    interaction: discord.Interaction[Any], period: str, season: int, page: int
) -> tuple[discord.Embed, discord.ui.View]:
    """One page of the ranking, the viewer's own picks starred, with Previous/Next buttons."""
    bot = bot_of(interaction)
    guild_id = guild_of(interaction)
    store = bot.store
    current = (await store.get_config(guild_id)).current_season
    season = season or current
    past = season != current
    since = None if past else period_start(period)
    rows, total = await store.leaderboard(
        guild_id, season=season, since=since, limit=PAGE_SIZE, offset=page * PAGE_SIZE
    )
    pages = max(1, -(-total // PAGE_SIZE))
    if total and not rows:
        raise NotFound(f"There are only {pages} pages; run /leaderboard again.")
    mine = {n.pick_key for n in await store.member_nominations(guild_id, interaction.user.id)}
    picks = await picks_for(bot, guild_id)
    when = f"season {season} (finished)" if past else f"season {season}, {PERIODS[period]}"
    if rows:
        lines = [
            f"**{row.rank}.** {discord.utils.escape_markdown(picks.label(row.pick_key))} — "
            f"{plural(row.count, 'nomination')}"
            + (" ★" if row.pick_key in mine and not past else "")
            for row in rows
        ]
        body = "\n".join(lines)
    elif past:
        body = f"Nobody nominated anything in season {season}."
    else:
        body = (
            f"No nominations {PERIODS[period]} yet. Start one with /nominate, "
            "or press Nominate under any /montage or /random answer."
        )
    name = interaction.guild.name if interaction.guild else "this server"
    embed = info_embed(f"Leaderboard: {name}", body)
    footer = f"{when} · page {page + 1}/{pages} · {plural(total, 'pick')}"
    if mine and not past:
        footer += " · ★ your picks"
    embed.set_footer(text=footer)
    view = discord.ui.View(timeout=None)
    if pages > 1:
        view.add_item(LeaderboardPage(period, season, page - 1, "Previous", disabled=page == 0))
        view.add_item(LeaderboardPage(period, season, page + 1, "Next", disabled=page + 1 >= pages))
    return embed, view


class LeaderboardPage(
    GuardedButton, template=r"mb:lb:(?P<period>season|month|week):(?P<season>\d+):(?P<page>-?\d+)"
):
    """Turns the page in place for whoever asked; anyone else gets their own private copy."""

    description = "a leaderboard page button"

    def __init__(
        self, period: str, season: int, page: int, label: str, disabled: bool = False
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"mb:lb:{period}:{season}:{page}",
                disabled=disabled,
            )
        )
        self.period, self.season, self.page = period, season, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> LeaderboardPage:
        label = getattr(item, "label", None) or "Page"
        return cls(match["period"], int(match["season"]), int(match["page"]), label)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        embed, view = await leaderboard_page(
            interaction, self.period, self.season, max(0, self.page)
        )
        if asked_by(interaction) == interaction.user.id:
            await interaction.response.edit_message(embed=embed, view=view)
        else:
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)


class Leaderboard(commands.Cog):
    def __init__(self, bot: MontageBot) -> None:
        self.bot = bot

    @app_commands.command(name="leaderboard", description="This server's most nominated montages")
    @app_commands.describe(
        period="The whole current season (default), this month or this week",
        season="A past season's final standings",
    )
    @app_commands.choices(
        period=[app_commands.Choice(name=label, value=key) for key, label in PERIODS.items()]
    )
    @app_commands.guild_only()
    async def leaderboard(
        self,
        interaction: discord.Interaction[Any],
        period: str = "season",
        season: app_commands.Range[int, 1, 100_000] | None = None,
    ) -> None:
        guild_id = guild_of(interaction)
        if season is not None:
            known = {s.number for s in await self.bot.store.seasons(guild_id)}
            if season not in known:
                raise NotFound(
                    f"This server has no season {season}. "
                    f"Seasons so far: {', '.join(map(str, sorted(known))) or '1'}."
                )
        embed, view = await leaderboard_page(interaction, period, season or 0, 0)
        await interaction.response.send_message(embed=embed, view=view)

    @leaderboard.autocomplete("season")
    @guarded_autocomplete
    async def season_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        seasons = await self.bot.store.seasons(interaction.guild_id)
        choices = [
            app_commands.Choice(
                name=f"Season {s.number}" + (" (current)" if s.ended_at is None else ""),
                value=s.number,
            )
            for s in reversed(seasons)
        ]
        return [c for c in choices if current.strip() in str(c.value)][:25]


async def setup(bot: MontageBot) -> None:
    bot.add_dynamic_items(LeaderboardPage)
    await bot.add_cog(Leaderboard(bot))
