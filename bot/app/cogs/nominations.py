"""/nominate, /unnominate and /mynominations: members' side of the community leaderboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app.embeds import clip, info_embed
from bot.app.guards import guild_of
from bot.app.nominating import nominate_text, picks_for, plural, withdraw
from bot.app.text import quoted
from bot.app.tree import guarded_autocomplete
from bot.errors import NotFound
from bot.search import choice_label, normalise, string_score

if TYPE_CHECKING:
    from bot.app.client import MontageBot

REASON_LIMIT = 1000
PICK_LIMIT = 100


class Nominations(commands.Cog):
    def __init__(self, bot: MontageBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="nominate", description="Nominate a favourite montage for this server's leaderboard"
    )
    @app_commands.describe(
        pick="A montage from the list, or a film that isn't there yet to suggest it",
        reason="Why it deserves a place (optional)",
    )
    @app_commands.guild_only()
    async def nominate(
        self,
        interaction: discord.Interaction[Any],
        pick: app_commands.Range[str, 1, PICK_LIMIT],
        reason: app_commands.Range[str, 1, REASON_LIMIT] | None = None,
    ) -> None:
        await nominate_text(interaction, pick, reason)

    @nominate.autocomplete("pick")
    @guarded_autocomplete
    async def pick_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        picks = await picks_for(self.bot, interaction.guild_id)
        return [
            app_commands.Choice(name=label, value=key) for label, key in picks.autocomplete(current)
        ]

    @app_commands.command(name="unnominate", description="Withdraw one of your nominations")
    @app_commands.describe(pick="One of your nominations")
    @app_commands.guild_only()
    async def unnominate(
        self, interaction: discord.Interaction[Any], pick: app_commands.Range[str, 1, PICK_LIMIT]
    ) -> None:
        guild_id = guild_of(interaction)
        mine = await self.bot.store.member_nominations(guild_id, interaction.user.id)
        if not mine:
            raise NotFound("You have no nominations this season. Add one with /nominate.")
        picks = await picks_for(self.bot, guild_id)
        keys = [n.pick_key for n in mine]
        if pick not in keys:
            query = normalise(pick)
            scored = sorted(
                ((string_score(query, normalise(picks.label(k))), k) for k in keys), reverse=True
            )
            if not scored or scored[0][0] < 70:
                raise NotFound(
                    f"You haven't nominated {quoted(pick)} this season. "
                    "/mynominations lists what you have."
                )
            pick = scored[0][1]
        await withdraw(interaction, pick)

    @unnominate.autocomplete("pick")
    @guarded_autocomplete
    async def own_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        mine = await self.bot.store.member_nominations(interaction.guild_id, interaction.user.id)
        picks = await picks_for(self.bot, interaction.guild_id)
        labelled = [(picks.label(n.pick_key), n.pick_key) for n in mine]
        query = normalise(current)
        if query:
            labelled = [
                (label, key)
                for label, key in labelled
                if query in normalise(label) or string_score(query, normalise(label)) >= 60
            ]
        return [
            app_commands.Choice(name=choice_label(label), value=key) for label, key in labelled[:25]
        ]

    @app_commands.command(
        name="mynominations", description="Your nominations and suggestions in this server"
    )
    @app_commands.guild_only()
    async def mynominations(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = guild_of(interaction)
        store = self.bot.store
        mine = await store.member_nominations(guild_id, interaction.user.id)
        suggestions = await store.member_suggestions(guild_id, interaction.user.id)
        picks = await picks_for(self.bot, guild_id)
        lines: list[str] = []
        if mine:
            lines.append(f"**Nominations this season ({len(mine)})**")
            lines += [
                f"• {discord.utils.escape_markdown(picks.label(n.pick_key))} — "
                f"{plural(n.count, 'nomination')}, #{n.rank}"
                for n in mine
            ]
        if suggestions:
            lines.append(f"\n**Suggestions ({len(suggestions)})**")
            for s in suggestions:
                state = {"pending": "waiting for the moderators"}.get(s.status, s.status)
                if s.decided_by is not None:
                    state += f" by <@{s.decided_by}>"
                    if s.decision_reason:
                        state += f" ({quoted(s.decision_reason, 100)})"
                lines.append(f"• #{s.id} {quoted(s.text)}: {state}")
        if not lines:
            lines = [
                "You haven't nominated anything yet. Try /nominate, "
                "or press Nominate under a /montage answer."
            ]
        await interaction.response.send_message(
            embed=info_embed("Your nominations", clip("\n".join(lines), 4096)), ephemeral=True
        )


async def setup(bot: MontageBot) -> None:
    await bot.add_cog(Nominations(bot))
