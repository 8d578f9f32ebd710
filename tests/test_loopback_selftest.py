"""Self-test of the loopback Discord: a tiny real discord.py bot driven over real HTTP/websocket."""

from __future__ import annotations

import asyncio
import io
import re
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands

try:  # tests/ is a rootdir-relative package or plain sys.path entry, depending on layout
    from tests.loopback import LoopbackDiscord, LoopbackTimeout, command_data, loopback
except ImportError:
    from loopback import LoopbackDiscord, LoopbackTimeout, command_data, loopback

__all__ = ["loopback"]  # the fixture, re-exported so pytest finds it here

FILMS = ["Kill Bill", "Rocky", "Karate Kid", "Kung Fu Panda"]


class VoteButton(discord.ui.DynamicItem[discord.ui.Button], template=r"vote:(?P<film>\d+)"):
    """A persistent button: any bot instance can handle it, even after a restart."""

    def __init__(self, film: int) -> None:
        super().__init__(discord.ui.Button(label="Vote", custom_id=f"vote:{film}"))
        self.film = film

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> VoteButton:
        return cls(int(match["film"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.edit_message(
            content=f"{interaction.user.name} voted for {self.film}"
        )


class PickView(discord.ui.View):
    """An ordinary (non-persistent) view: discord.py stores it once the callback returns."""

    @discord.ui.select(custom_id="pick", options=[discord.SelectOption(label=f) for f in FILMS])
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.defer()  # type 6: acknowledge, edit later
        await interaction.edit_original_response(content=f"picked {select.values[0]}", view=None)


class Feedback(discord.ui.Modal, title="Feedback"):
    text = discord.ui.TextInput(label="What did you think?", custom_id="text")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


def make_bot(review_channel: int) -> commands.Bot:
    bot = commands.Bot(command_prefix="!", intents=discord.Intents.default())
    bot.add_dynamic_items(VoteButton)
    bot.errors: list[int] = []  # type: ignore[attr-defined]

    @bot.tree.command(description="Find a training montage")
    async def montage(interaction: discord.Interaction, query: str) -> None:
        view = discord.ui.View(timeout=None).add_item(
            VoteButton(FILMS.index(query) if query in FILMS else 0)
        )
        await interaction.response.send_message(f"Montage for {query}", view=view)

    @montage.autocomplete("query")
    async def montage_query(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f, value=f) for f in FILMS if current.lower() in f.lower()]

    mod = app_commands.Group(
        name="mod",
        description="Moderation",
        default_permissions=discord.Permissions(manage_guild=True),
    )

    @mod.command(description="Approve a submission")
    async def approve(interaction: discord.Interaction, id: int) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send(f"approved {id}")
        channel = interaction.client.get_channel(review_channel)
        assert isinstance(channel, discord.TextChannel)
        await channel.send(
            f"#{id} approved by {interaction.user.mention}",
            allowed_mentions=discord.AllowedMentions.none(),
        )

    bot.tree.add_command(mod)

    @bot.tree.command(description="Answers twice")
    async def twice(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("first")
        try:  # a second, independent response object: goes over the wire, unlike a re-use
            await discord.InteractionResponse(interaction).send_message("second")
        except discord.HTTPException as exc:
            bot.errors.append(exc.code)  # type: ignore[attr-defined]

    @bot.tree.command(description="Answers too late")
    async def slow(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.3)
        try:
            await interaction.response.send_message("late")
        except discord.NotFound as exc:
            bot.errors.append(exc.code)  # type: ignore[attr-defined]

    @bot.tree.command(description="Pick a film")
    async def pick(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pick one", view=PickView())

    @bot.tree.command(description="Send a clip")
    async def clip(interaction: discord.Interaction) -> None:
        clip = discord.File(io.BytesIO(b"frames"), "clip.txt", description="a clip")
        await interaction.response.send_message("here", file=clip)

    @bot.tree.command(description="Nominate someone")
    @app_commands.allowed_installs(guilds=True, users=True)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    async def nominate(interaction: discord.Interaction, who: discord.User) -> None:
        where = interaction.guild.name if interaction.guild else "DMs"
        kind = type(who).__name__
        await interaction.response.send_message(f"{who.display_name} ({kind}) in {where}")

    @bot.tree.command(description="Send feedback")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(Feedback())

    return bot


async def sync_to_guild(bot: commands.Bot, guild_id: int) -> list[app_commands.AppCommand]:
    guild = discord.Object(guild_id)
    bot.tree.copy_global_to(guild=guild)
    return await bot.tree.sync(guild=guild)


async def test_command_autocomplete_click_and_restart(loopback: LoopbackDiscord) -> None:
    review = loopback.guild.channel("review")
    async with loopback.running(make_bot(review.id)) as bot:
        synced = await sync_to_guild(bot, loopback.guild.id)
        assert {c.name for c in synced} >= {"montage", "mod", "twice", "slow", "feedback"}
        assert loopback.global_syncs == 0 and len(loopback.command_syncs) == 1

        res = await loopback.command("montage", {"query": "Rocky"})
        assert res.type == 4 and res.content == "Montage for Rocky" and not res.ephemeral
        assert res.message and res.message.custom_ids == ["vote:1"]
        assert res.elapsed is not None and res.elapsed < 1.0

        ac = await loopback.autocomplete("montage", {"query": "k"}, focused="query")
        assert ac.type == 8 and [c["value"] for c in ac.choices] == [
            "Kill Bill",
            "Rocky",
            "Karate Kid",
            "Kung Fu Panda",
        ]

        click = await loopback.click(res, "vote:1", user=loopback.moderator)
        assert click.type == 7 and click.message is res.message
        assert res.message.content == "bob voted for 1" and len(res.message.edits) == 1
    assert bot.is_closed() and loopback.connections[0].closed

    # A new process: same fake, new session; the old message's button still works.
    async with loopback.running(make_bot(review.id)):
        again = await loopback.click(res, "vote:1")
        assert again.type == 7 and res.message.content == "alice voted for 1"
    assert len(loopback.connections) == 2
    assert loopback.connections[0].intents == discord.Intents.default().value


async def test_defer_followup_channel_post_and_errors(loopback: LoopbackDiscord) -> None:
    review = loopback.guild.channel("review")
    loopback.ack_deadline = 0.2  # so the "too late" path takes 0.3 s, not 3
    async with loopback.running(make_bot(review.id)) as bot:
        await sync_to_guild(bot, loopback.guild.id)

        res = await loopback.command("mod approve", {"id": 3}, user=loopback.moderator)
        assert res.type == 5 and res.ephemeral
        followup = await loopback.wait_followup(res)
        assert followup is res.message and followup.content == "approved 3" and not followup.loading
        post = await loopback.wait_channel_message(review)
        assert (
            post.content == f"#3 approved by <@{loopback.moderator.id}>"
            and post.mention_user_ids == []
        )
        (sent,) = loopback.requests_to("POST", f"/channels/{review.id}/messages")
        assert sent.json["allowed_mentions"] == {"parse": []}
        assert sent.headers["Authorization"] == f"Bot {loopback.token}"

        twice = await loopback.command("twice")
        await loopback.wait_until(lambda: bot.errors, what="the bot to see its 2nd ack fail")
        assert twice.content == "first" and twice.error_codes == [40060] and bot.errors == [40060]

        slow = await loopback.command("slow")
        assert slow.callback is None and slow.error_codes == [10062]
        await loopback.wait_until(lambda: 10062 in bot.errors, what="NotFound in the bot")

        shown = await loopback.command("feedback")
        assert shown.type == 9 and shown.data["title"] == "Feedback"
        sent_back = await loopback.submit_modal(shown, {"text": "great"})
        assert sent_back.content == "thanks: great" and sent_back.ephemeral

        pick = await loopback.command("pick")
        picked = await loopback.select(pick, "pick", ["Rocky"])
        assert picked.type == 6 and picked.message is pick.message
        assert (await loopback.wait_edited(pick)).content == "picked Rocky"
        assert pick.message.components == []

        clip = await loopback.command("clip")
        assert clip.message and clip.message.files == {"clip.txt": b"frames"}
        assert clip.message.attachments[0]["description"] == "a clip"

        with pytest.raises(AssertionError, match="not registered"):
            await loopback.command("nope")
    assert loopback.unknown_routes == []


async def test_many_concurrent_interactions(loopback: LoopbackDiscord) -> None:
    async with loopback.running(make_bot(0)) as bot:
        await sync_to_guild(bot, loopback.guild.id)
        queries = [f"film {i}" for i in range(200)]
        results = await asyncio.gather(
            *(loopback.command("montage", {"query": q}) for q in queries)
        )
        assert [r.content for r in results] == [f"Montage for {q}" for q in queries]
        assert max(r.elapsed or 9 for r in results) < 3.0


async def test_dm_user_install_and_user_option(loopback: LoopbackDiscord) -> None:
    async with loopback.running(make_bot(0)) as bot:
        await bot.tree.sync()
        assert loopback.global_syncs == 1
        bob = loopback.moderator
        res = await loopback.command("nominate", {"who": bob})
        assert res.content == "bob (Member) in Montage Club"
        dm = await loopback.command("nominate", {"who": bob}, dm=True, user_install=True)
        assert dm.content == "bob (User) in DMs"
        assert dm.payload["context"] == 1 and dm.payload["authorizing_integration_owners"] == {
            "1": str(loopback.member.id)
        }
        assert dm.message and dm.message.guild_id is None


async def test_bad_token_and_full_ready_time(loopback: LoopbackDiscord) -> None:
    with pytest.raises(discord.LoginFailure):
        async with loopback.running(make_bot(0), token="not-the-token"):
            pass
    assert loopback.requests_to("GET", "/users/@me")[-1].status == 401

    async with loopback.running(make_bot(0), full_ready=True) as bot:
        assert bot.is_ready() and loopback.startup_seconds is not None
        # discord.py waits guild_ready_timeout (2 s) after the last GUILD_CREATE before on_ready.
        assert 1.5 < loopback.startup_seconds < 5.0


async def test_timeout_explains_itself() -> None:
    async with LoopbackDiscord(strict_commands=False) as fake, fake.running(make_bot(0)):
        with pytest.raises(LoopbackTimeout, match="Requests for this interaction: none"):
            await fake.command("unsynced", timeout=0.3)


def test_payload_builders_nest_subcommand_groups() -> None:
    data: dict[str, Any] = command_data("config set cooldown", {"seconds": 30, "global": True})
    (group,) = data["options"]
    (sub,) = group["options"]
    assert (data["name"], group["type"], sub["type"]) == ("config", 2, 1)
    assert sub["options"] == [
        {"name": "seconds", "type": 4, "value": 30},
        {"name": "global", "type": 5, "value": True},
    ]
