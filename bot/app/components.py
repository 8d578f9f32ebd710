"""Buttons that survive restarts: dynamic items keyed by custom_id, not views held in memory.

Every custom_id starts with "mb:" and carries all the state the click needs.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.app.embeds import montage_embed, youtube_search_url
from bot.app.guards import guild_of, server_install
from bot.app.tree import answer_error
from bot.catalog import Montage
from bot.errors import NotFound
from bot.search import choice_label

if TYPE_CHECKING:
    from bot.app.client import MontageBot

BUTTON_LABEL_LIMIT = 80


class GuardedButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"(?!)"):
    """Routes a button's failures through the tree's one error path (discord.py only logs them)."""

    description = "a button"

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await self.run(interaction)
        except Exception as error:  # noqa: BLE001 - the one error path decides what to say
            await answer_error(interaction, error, self.description)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        raise NotImplementedError

    @staticmethod
    def bot(interaction: discord.Interaction[Any]) -> MontageBot:
        return cast("MontageBot", interaction.client)


class AnotherOne(
    GuardedButton, template=r"mb:again:(?P<tag>[^:]*):(?P<decade>[^:]*):(?P<id>[^:]*)"
):
    """Re-rolls /random in place, keeping the member's tag and decade."""

    description = "the Another one button"

    def __init__(self, tag: str, decade: str, current: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Another one",
                emoji="🎲",
                style=discord.ButtonStyle.primary,
                custom_id=f"mb:again:{tag}:{decade}:{current}",
            )
        )
        self.tag, self.decade, self.current = tag, decade, current

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> AnotherOne:
        return cls(match["tag"], match["decade"], match["id"])

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        bot = self.bot(interaction)
        pool = bot.catalog.filter(tag=self.tag or None, decade=self.decade or None)
        if not pool:
            raise NotFound("No montage fits that any more; try /random again.")
        others = [m for m in pool if m.id != self.current] or pool
        montage = random.choice(others)
        view = montage_view(
            montage,
            extra=[AnotherOne(self.tag, self.decade, montage.id)],
            nominate=server_install(interaction),
        )
        await interaction.response.edit_message(embed=montage_embed(montage), view=view)


class ShowMontage(GuardedButton, template=r"mb:show:(?P<id>[a-z0-9-]+)"):
    """'Did you mean' and 'also uses it' buttons: swap the answer for another montage."""

    description = "a montage button"

    def __init__(self, montage_id: str, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=choice_label(label, BUTTON_LABEL_LIMIT),
                style=discord.ButtonStyle.secondary,
                custom_id=f"mb:show:{montage_id}",
            )
        )
        self.montage_id = montage_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> ShowMontage:
        label = getattr(item, "label", None) or match["id"]
        return cls(match["id"], label)

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        montage = self.bot(interaction).catalog.get(self.montage_id)
        if montage is None:
            raise NotFound("That montage is no longer in the catalog; try /montage again.")
        view = montage_view(montage, nominate=server_install(interaction))
        if asked_by(interaction) == interaction.user.id:
            await interaction.response.edit_message(embed=montage_embed(montage), view=view)
        else:
            await interaction.response.send_message(
                embed=montage_embed(montage), view=view, ephemeral=True
            )


def asked_by(interaction: discord.Interaction[Any]) -> int | None:
    """Who ran the command that produced the clicked message, if Discord says."""
    message = interaction.message
    metadata = message.interaction_metadata if message else None
    return metadata.user.id if metadata else None


def montage_view(
    montage: Montage,
    *,
    extra: Sequence[discord.ui.Item[Any]] = (),
    alternatives: Sequence[Montage] = (),
    nominate: bool = True,
) -> discord.ui.View:
    """The buttons under every montage embed: watch, then command-specific extras, then others."""
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Button(label="Find it on YouTube", emoji="▶️", url=youtube_search_url(montage))
    )
    if nominate:
        view.add_item(NominateButton(montage.id, "Nominate"))
    for item in extra:
        view.add_item(item)
    for other in alternatives[:5]:
        item = ShowMontage(other.id, f"{other.film} ({other.year})")
        item.row = 1
        view.add_item(item)
    return view


def community_view(pick_key: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(NominateButton(pick_key, "Nominate"))
    return view


class NominateButton(GuardedButton, template=r"mb:nominate:(?P<key>[a-z0-9:-]+)"):
    """One-click nomination under every montage embed and in "did you mean" answers."""

    description = "the Nominate button"

    def __init__(self, pick_key: str, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=choice_label(label, BUTTON_LABEL_LIMIT),
                emoji="⭐",
                style=discord.ButtonStyle.success,
                custom_id=f"mb:nominate:{pick_key}",
            )
        )
        self.pick_key = pick_key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> NominateButton:
        return cls(match["key"], getattr(item, "label", None) or "Nominate")

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        from bot.app.nominating import nominate, picks_for

        guild_id = guild_of(interaction)
        pick = (await picks_for(self.bot(interaction), guild_id)).get(self.pick_key)
        if pick is None:
            raise NotFound("That pick is no longer available to nominate in this server.")
        await nominate(interaction, pick, None)


class WithdrawButton(GuardedButton, template=r"mb:withdraw:(?P<key>[a-z0-9:-]+)"):
    """Offered with "already nominated": take the member's own nomination back."""

    description = "the Withdraw button"

    def __init__(self, pick_key: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Withdraw my nomination",
                style=discord.ButtonStyle.danger,
                custom_id=f"mb:withdraw:{pick_key}",
            )
        )
        self.pick_key = pick_key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> WithdrawButton:
        return cls(match["key"])

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        from bot.app.nominating import withdraw

        await withdraw(interaction, self.pick_key, edit=True)


class SuggestAnyway(GuardedButton, template=r"mb:suggest"):
    """After a "did you mean", queue the member's text as a new suggestion after all."""

    description = "the Suggest it anyway button"

    def __init__(self) -> None:
        super().__init__(
            discord.ui.Button(
                label="Suggest it anyway",
                style=discord.ButtonStyle.secondary,
                custom_id="mb:suggest",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any
    ) -> SuggestAnyway:
        return cls()

    async def run(self, interaction: discord.Interaction[Any]) -> None:
        from bot.app.nominating import suggest, suggestion_from_footer

        carried = suggestion_from_footer(interaction.message)
        if carried is None:
            raise NotFound("I lost track of that suggestion; please run /nominate again.")
        await suggest(interaction, *carried, edit=True)


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    AnotherOne,
    ShowMontage,
    NominateButton,
    WithdrawButton,
    SuggestAnyway,
)
