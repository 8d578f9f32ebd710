"""Nominating and suggesting, shared by /nominate and the Nominate buttons."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.app.embeds import clip, info_embed
from bot.app.guards import guild_of
from bot.app.replies import send_ephemeral
from bot.app.text import quoted
from bot.errors import AlreadyNominated
from bot.picks import Pick, Picks, similar_pending
from bot.storage.models import Suggestion, parse_community_key

if TYPE_CHECKING:
    from bot.app.client import MontageBot

log = logging.getLogger(__name__)

SUGGESTION_FOOTER = "Suggestion: "
REASON_MARK = "\nReason: "


def bot_of(interaction: discord.Interaction[Any]) -> MontageBot:
    return cast("MontageBot", interaction.client)


async def picks_for(bot: MontageBot, guild_id: int | None) -> Picks:
    """The catalog plus this server's approved community entries."""
    community = await bot.store.community_entries(guild_id) if guild_id is not None else []
    return Picks(bot.catalog, bot.index, community)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


async def nominate(interaction: discord.Interaction[Any], pick: Pick, reason: str | None) -> None:
    """Count the member's nomination at once and say so publicly, naming them without a ping."""
    bot = bot_of(interaction)
    guild_id = guild_of(interaction)
    try:
        result = await bot.store.nominate(
            guild_id,
            interaction.user.id,
            pick.key,
            reason,
            suggestion_id=parse_community_key(pick.key),
        )
    except AlreadyNominated:
        raise AlreadyNominated(
            f"You already nominated **{discord.utils.escape_markdown(pick.label)}** this season. "
            "Changed your mind? Withdraw it below.",
            pick.key,
        ) from None
    line = (
        f"{interaction.user.mention} nominated **{discord.utils.escape_markdown(pick.label)}**: "
        f"now {plural(result.count, 'nomination')}, #{result.rank} in this server"
        + (f" (season {result.season})." if result.season > 1 else ".")
    )
    if reason:
        line += f"\n> {quoted(reason, 300)}"
    await interaction.response.send_message(line)


async def nominate_text(
    interaction: discord.Interaction[Any], text: str, reason: str | None
) -> None:
    """/nominate with typed text: count it, ask "did you mean", or queue it as a suggestion."""
    from bot.app.components import NominateButton, SuggestAnyway

    bot = bot_of(interaction)
    guild_id = guild_of(interaction)
    resolution = (await picks_for(bot, guild_id)).resolve(text)
    if resolution.pick is not None:
        await nominate(interaction, resolution.pick, reason)
        return
    near: list[str] = [pick.label for pick in resolution.near]
    if not near:
        pending = await bot.store.pending_suggestions(guild_id, limit=100, offset=0)
        same = similar_pending(text, pending[0])
        if not same:
            await suggest(interaction, text, reason)
            return
        near = [f"{s.text} (suggestion #{s.id}, waiting for the moderators)" for s in same]
    view = discord.ui.View(timeout=None)
    for pick in resolution.near[:4]:
        view.add_item(NominateButton(pick.key, f"Nominate {pick.label}"))
    view.add_item(SuggestAnyway())
    lines = "\n".join(f"• {discord.utils.escape_markdown(label)}" for label in near)
    embed = info_embed(
        "Did you mean one of these?",
        f"{quoted(text)} looks like something already here:\n{lines}\n\n"
        "Press a Nominate button, or **Suggest it anyway** if yours is a different film.",
    )
    footer = SUGGESTION_FOOTER + text + (REASON_MARK + reason if reason else "")
    embed.set_footer(text=clip(footer, 2048))
    await interaction.response.send_message(embed=embed, view=view, ephemeral=True)


def suggestion_from_footer(message: discord.Message | None) -> tuple[str, str | None] | None:
    """The text and reason a "Suggest it anyway" button carries in its message's footer."""
    if message is None or not message.embeds or not message.embeds[0].footer.text:
        return None
    footer = message.embeds[0].footer.text
    if not footer.startswith(SUGGESTION_FOOTER):
        return None
    text, _, reason = footer.removeprefix(SUGGESTION_FOOTER).partition(REASON_MARK)
    return text, reason or None


async def suggest(
    interaction: discord.Interaction[Any], text: str, reason: str | None, *, edit: bool = False
) -> None:
    """Queue a new suggestion; `edit` replaces the "did you mean" it came from, so its buttons
    cannot be pressed twice."""
    bot = bot_of(interaction)
    guild_id = guild_of(interaction)
    suggestion = await bot.store.suggest(guild_id, interaction.user.id, text, reason)
    message = (
        f"Thanks! {quoted(text)} isn't in the catalog yet, so it is now suggestion "
        f"#{suggestion.id}, waiting for the moderators. Once approved it counts as your "
        "nomination; see its state with /mynominations."
    )
    if edit:
        await interaction.response.edit_message(content=message, embed=None, view=None)
    else:
        await send_ephemeral(interaction, message)
    await post_for_review(bot, guild_id, suggestion)


def suggestion_embed(suggestion: Suggestion) -> discord.Embed:
    states = {"pending": "Waiting for a decision", "approved": "Approved", "rejected": "Rejected"}
    lines = [f"By <@{suggestion.user_id}>"]
    if suggestion.reason:
        lines.append(f"Reason: {quoted(suggestion.reason, 500)}")
    state = states.get(suggestion.status, suggestion.status)
    if suggestion.decided_by is not None:
        state += f" by <@{suggestion.decided_by}>"
        if suggestion.decision_reason:
            state += f": {quoted(suggestion.decision_reason, 300)}"
    lines.append(f"State: **{state}**")
    title = f"Suggestion #{suggestion.id}: " + " ".join(suggestion.text.split())
    return info_embed(title, "\n".join(lines))


async def post_for_review(bot: MontageBot, guild_id: int, suggestion: Suggestion) -> None:
    """Copy a new suggestion to the server's review channel, if one is set."""
    from bot.app.review import review_view

    config = await bot.store.get_config(guild_id)
    if config.review_channel_id is None:
        return
    channel = bot.get_channel(config.review_channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        log.warning(
            "Review channel %s of server %s is not available", config.review_channel_id, guild_id
        )
        return
    try:
        post = await channel.send(embed=suggestion_embed(suggestion), view=review_view(suggestion))
        await bot.store.set_review_post(guild_id, suggestion.id, post.channel.id, post.id)
    except discord.HTTPException as exc:
        log.warning(
            "Could not post suggestion %s to review channel %s of server %s: %s",
            suggestion.id,
            config.review_channel_id,
            guild_id,
            exc,
        )


async def withdraw(
    interaction: discord.Interaction[Any], pick_key: str, *, edit: bool = False
) -> None:
    bot = bot_of(interaction)
    guild_id = guild_of(interaction)
    await bot.store.unnominate(guild_id, interaction.user.id, pick_key)
    standing = await bot.store.count_and_rank(guild_id, pick_key)
    label = (await picks_for(bot, guild_id)).label(pick_key)
    message = (
        f"Withdrawn: your nomination of **{discord.utils.escape_markdown(label)}**. "
        f"It now has {plural(standing.count, 'nomination')}."
    )
    if edit:
        await interaction.response.edit_message(content=message, embed=None, view=None)
    else:
        await interaction.response.send_message(message, ephemeral=True)


def community_embed(suggestion: Suggestion) -> discord.Embed:
    """A server's own entry: what the member suggested and who approved it, marked community."""
    lines = [
        "A **community entry** of this server, not part of the curated catalog.",
        f"Suggested by <@{suggestion.user_id}>"
        + (f", approved by <@{suggestion.decided_by}>." if suggestion.decided_by else "."),
    ]
    if suggestion.reason:
        lines.append(f"Why: {quoted(suggestion.reason, 500)}")
    embed = info_embed(" ".join(suggestion.text.split()), "\n".join(lines))
    embed.set_footer(text=f"Community entry #{suggestion.id} · {suggestion.pick_key}")
    return embed


async def refresh_review_post(bot: MontageBot, suggestion: Suggestion) -> None:
    """Show a decision made elsewhere (/mod, the queue) on the suggestion's review-channel post."""
    from bot.app.review import review_view

    if suggestion.review_channel_id is None or suggestion.review_message_id is None:
        return
    channel = bot.get_channel(suggestion.review_channel_id)
    if not isinstance(channel, discord.TextChannel | discord.Thread):
        return
    try:
        await channel.get_partial_message(suggestion.review_message_id).edit(
            embed=suggestion_embed(suggestion), view=review_view(suggestion)
        )
    except discord.HTTPException as exc:
        log.warning("Could not update the review post of suggestion %s: %s", suggestion.id, exc)
