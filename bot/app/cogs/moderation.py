"""/mod: the moderators' tools. Every action re-checks the member's rights in this server."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app.components import GuardedButton
from bot.app.embeds import clip, info_embed
from bot.app.guards import require_moderator
from bot.app.nominating import bot_of, picks_for, plural, refresh_review_post
from bot.app.review import QueuePage, ReviewDecision, decision_text, queue_page
from bot.app.text import quoted
from bot.app.tree import guarded_autocomplete
from bot.errors import NotFound
from bot.search import choice_label

if TYPE_CHECKING:
    from bot.app.client import MontageBot

LOG_PAGE = 15
REASON_LIMIT = 300


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Moderation(
    commands.GroupCog, group_name="mod", group_description="Moderator tools for the leaderboard"
):
    def __init__(self, bot: MontageBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(
        name="queue", description="Suggestions waiting for a decision (or decided ones)"
    )
    @app_commands.describe(state="Which suggestions to list (default: pending)")
    @app_commands.choices(
        state=[
            app_commands.Choice(name=s, value=s) for s in ("pending", "approved", "rejected", "all")
        ]
    )
    async def queue(self, interaction: discord.Interaction[Any], state: str = "pending") -> None:
        embed, view = await queue_page(interaction, state, 0)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    @app_commands.command(name="approve", description="Approve a suggestion as a community entry")
    @app_commands.describe(id="The suggestion's number, as shown in /mod queue")
    async def approve(
        self, interaction: discord.Interaction[Any], id: app_commands.Range[int, 1]
    ) -> None:
        await self._decide(interaction, id, True, None)

    @app_commands.command(name="reject", description="Reject a suggestion")
    @app_commands.describe(
        id="The suggestion's number, as shown in /mod queue", reason="Told to the member"
    )
    async def reject(
        self,
        interaction: discord.Interaction[Any],
        id: app_commands.Range[int, 1],
        reason: app_commands.Range[str, 1, REASON_LIMIT] | None = None,
    ) -> None:
        await self._decide(interaction, id, False, reason)

    async def _decide(
        self,
        interaction: discord.Interaction[Any],
        suggestion_id: int,
        approve: bool,
        reason: str | None,
    ) -> None:
        guild_id = await require_moderator(interaction, self.bot.store)
        suggestion = await self.bot.store.decide(
            guild_id, suggestion_id, interaction.user.id, approve, reason
        )
        await interaction.response.send_message(decision_text(suggestion), ephemeral=True)
        await refresh_review_post(self.bot, suggestion)

    @app_commands.command(name="remove", description="Remove a member's nomination")
    @app_commands.describe(member="Whose nomination", pick="Which of their nominations")
    async def remove(
        self, interaction: discord.Interaction[Any], member: discord.User, pick: str
    ) -> None:
        guild_id = await require_moderator(interaction, self.bot.store)
        picks = await picks_for(self.bot, guild_id)
        theirs = [n.pick_key for n in await self.bot.store.member_nominations(guild_id, member.id)]
        if pick not in theirs:
            labelled = {picks.label(key).casefold(): key for key in theirs}
            pick = labelled.get(pick.casefold(), pick)
        await self.bot.store.remove_nomination(guild_id, interaction.user.id, member.id, pick)
        await interaction.response.send_message(
            f"Removed {member.mention}'s nomination of "
            f"**{discord.utils.escape_markdown(picks.label(pick))}**.",
            ephemeral=True,
        )

    @remove.autocomplete("pick")
    @guarded_autocomplete
    async def remove_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        member = getattr(interaction.namespace, "member", None)
        if interaction.guild_id is None or member is None:
            return []
        picks = await picks_for(self.bot, interaction.guild_id)
        theirs = await self.bot.store.member_nominations(interaction.guild_id, member.id)
        return [
            app_commands.Choice(name=choice_label(picks.label(n.pick_key)), value=n.pick_key)
            for n in theirs
            if current.casefold() in picks.label(n.pick_key).casefold()
        ][:25]

    @app_commands.command(name="block", description="Stop a member from nominating and suggesting")
    @app_commands.describe(member="Who to block", reason="Recorded in the audit log")
    async def block(
        self,
        interaction: discord.Interaction[Any],
        member: discord.User,
        reason: app_commands.Range[str, 1, REASON_LIMIT] | None = None,
    ) -> None:
        guild_id = await require_moderator(interaction, self.bot.store)
        await self.bot.store.block(guild_id, interaction.user.id, member.id, reason)
        await interaction.response.send_message(
            f"Blocked {member.mention}: they can't nominate or suggest here until /mod unblock.",
            ephemeral=True,
        )

    @app_commands.command(name="unblock", description="Allow a blocked member to nominate again")
    @app_commands.describe(member="Who to unblock")
    async def unblock(self, interaction: discord.Interaction[Any], member: discord.User) -> None:
        guild_id = await require_moderator(interaction, self.bot.store)
        await self.bot.store.unblock(guild_id, interaction.user.id, member.id)
        await interaction.response.send_message(f"Unblocked {member.mention}.", ephemeral=True)

    @app_commands.command(
        name="reset", description="End the season: archive the leaderboard and start afresh"
    )
    async def reset(self, interaction: discord.Interaction[Any]) -> None:
        guild_id = await require_moderator(interaction, self.bot.store)
        season = (await self.bot.store.get_config(guild_id)).current_season
        view = discord.ui.View(timeout=None)
        view.add_item(EndSeason(season))
        await interaction.response.send_message(
            f"End season {season}? Its leaderboard is archived (see it with "
            f"`/leaderboard season:{season}`) and season {season + 1} starts empty.",
            view=view,
            ephemeral=True,
        )

    @app_commands.command(name="log", description="Who did what, and when")
    @app_commands.describe(page="Page of the audit trail, newest first")
    async def log(
        self, interaction: discord.Interaction[Any], page: app_commands.Range[int, 1, 10_000] = 1
    ) -> None:
        guild_id = await require_moderator(interaction, self.bot.store)
        entries, total = await self.bot.store.audit_log(
            guild_id, limit=LOG_PAGE, offset=(page - 1) * LOG_PAGE
        )
        lines = [
            f"{discord.utils.format_dt(e.created_at, 'f')} <@{e.actor_id}> **{e.action}** "
            f"{quoted(e.target, 60)}" + (f" {quoted(e.detail, 120)}" if e.detail else "")
            for e in entries
        ]
        pages = max(1, -(-total // LOG_PAGE))
        if total and not entries:
            raise NotFound(f"The audit log has only {plural(pages, 'page')}; try page {pages}.")
        embed = info_embed("Audit log", clip("\n".join(lines) or "Nothing recorded yet.", 4096))
        embed.set_footer(text=f"page {page}/{pages} · {total} entries")
        await interaction.response.send_message(embed=embed, ephemeral=True)


class EndSeason(GuardedButton, template=r"mb:reset:(?P<season>\d+)"):
    """The confirmation for /mod reset; names the season so a second click cannot end the next."""

    description = "the End season button"

    def __init__(self, season: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=f"End season {season}",
                style=discord.ButtonStyle.danger,
                custom_id=f"mb:reset:{season}",
            )
        )
        self.season = season

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> EndSeason:
        return cls(int(match["season"]))

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        store = bot_of(interaction).store
        guild_id = await require_moderator(interaction, store)
        new = await store.end_season(guild_id, interaction.user.id, expected=self.season)
        await interaction.response.edit_message(
            content=f"Season {self.season} has ended and is archived "
            f"(`/leaderboard season:{self.season}`). Season {new} starts now.",
            view=None,
        )


async def setup(bot: MontageBot) -> None:
    bot.add_dynamic_items(ReviewDecision, QueuePage, EndSeason)
    await bot.add_cog(Moderation(bot))
