"""Approve and Reject buttons for suggestions, in /mod queue and in the review channel."""

from __future__ import annotations

from typing import Any

import discord

from bot.app.components import GuardedButton
from bot.app.embeds import info_embed
from bot.app.guards import require_moderator
from bot.app.nominating import bot_of, refresh_review_post, suggestion_embed
from bot.app.text import quoted
from bot.storage.models import Suggestion

STATES = {"p": "pending", "a": "approved", "r": "rejected", "x": "all"}
QUEUE_PAGE = 4


class ReviewDecision(
    GuardedButton,
    template=r"mb:review:(?P<verdict>approve|reject):(?P<id>\d+):(?P<where>post|q[parx]\d+)",
):
    """A moderator's verdict on one suggestion; checked against the clicker's rights each time.

    `where` says what to redraw afterwards: the review-channel post, or a page of the queue.
    """

    description = "a review button"

    def __init__(
        self, verdict: str, suggestion_id: int, where: str = "post", row: int | None = None
    ) -> None:
        approve = verdict == "approve"
        self.where = where
        super().__init__(
            discord.ui.Button(
                label=f"{'Approve' if approve else 'Reject'} #{suggestion_id}",
                style=discord.ButtonStyle.success if approve else discord.ButtonStyle.danger,
                custom_id=f"mb:review:{verdict}:{suggestion_id}:{where}",
            ),
            row=row,
        )
        self.verdict, self.suggestion_id = verdict, suggestion_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> ReviewDecision:
        return cls(match["verdict"], int(match["id"]), match["where"])

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        store = bot_of(interaction).store
        guild_id = await require_moderator(interaction, store)
        suggestion = await store.decide(
            guild_id, self.suggestion_id, interaction.user.id, self.verdict == "approve"
        )
        if self.where == "post":
            await interaction.response.edit_message(
                embed=suggestion_embed(suggestion), view=review_view(suggestion)
            )
            return
        embed, view = await queue_page(interaction, STATES[self.where[1]], int(self.where[2:]))
        await interaction.response.edit_message(
            content=decision_text(suggestion), embed=embed, view=view
        )
        await refresh_review_post(bot_of(interaction), suggestion)


def decision_text(suggestion: Suggestion) -> str:
    if suggestion.status == "approved":
        return (
            f"Approved suggestion #{suggestion.id}: it is now a community entry of this server, "
            f"and <@{suggestion.user_id}>'s nomination of it counts."
        )
    return (
        f"Rejected suggestion #{suggestion.id}. You can approve it later if you change your mind."
    )


def review_buttons(
    suggestion: Suggestion, where: str = "post", row: int | None = None
) -> list[ReviewDecision]:
    """Pending: both verdicts; decided: the opposite one, so a decision can be changed."""
    verdicts = {"pending": ("approve", "reject"), "approved": ("reject",), "rejected": ("approve",)}
    return [
        ReviewDecision(v, suggestion.id, where, row) for v in verdicts.get(suggestion.status, ())
    ]


def review_view(suggestion: Suggestion) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for button in review_buttons(suggestion):
        view.add_item(button)
    return view


async def queue_page(
    interaction: discord.Interaction[Any], state: str, page: int
) -> tuple[discord.Embed, discord.ui.View]:
    """A page of suggestions (pending by default), each with its buttons on its own row."""
    store = bot_of(interaction).store
    guild_id = await require_moderator(interaction, store)
    status = None if state == "all" else state

    async def fetch(page: int) -> tuple[list[Suggestion], int]:
        offset = page * QUEUE_PAGE
        if status == "pending":  # oldest first: the order they should be handled in
            return await store.pending_suggestions(guild_id, limit=QUEUE_PAGE, offset=offset)
        return await store.all_suggestions(guild_id, status=status, limit=QUEUE_PAGE, offset=offset)

    found, total = await fetch(page)
    pages = max(1, -(-total // QUEUE_PAGE))
    if page >= pages:  # the last page emptied (a decision, or a stale button): show the last one
        page = pages - 1
        found, total = await fetch(page)
        pages = max(1, -(-total // QUEUE_PAGE))
        page = min(page, pages - 1)
    where = f"q{state[0] if state != 'all' else 'x'}{page}"
    view = discord.ui.View(timeout=None)
    blocks = []
    for row, suggestion in enumerate(found):
        blocks.append(suggestion_embed(suggestion).description or "")
        blocks[-1] = f"**#{suggestion.id}** {quoted(suggestion.text, 150)}\n{blocks[-1]}"
        for button in review_buttons(suggestion, where, row):
            view.add_item(button)
    if pages > 1:
        view.add_item(QueuePage(state, page - 1, "Previous", disabled=page == 0))
        view.add_item(QueuePage(state, page + 1, "Next", disabled=page + 1 >= pages))
    body = "\n\n".join(blocks) or (
        "Nothing is waiting for a decision." if state == "pending" else f"No {state} suggestions."
    )
    embed = info_embed(f"Suggestions: {state}", body)
    embed.set_footer(text=f"page {page + 1}/{pages} · {total} in all")
    return embed, view


class QueuePage(
    GuardedButton, template=r"mb:queue:(?P<state>pending|approved|rejected|all):(?P<page>-?\d+)"
):
    description = "a queue page button"

    def __init__(self, state: str, page: int, label: str, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"mb:queue:{state}:{page}",
                disabled=disabled,
                row=4,
            )
        )
        self.state, self.page = state, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> QueuePage:
        return cls(match["state"], int(match["page"]), getattr(item, "label", None) or "Page")

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        embed, view = await queue_page(interaction, self.state, max(0, self.page))
        await interaction.response.edit_message(embed=embed, view=view)
