"""/config end to end on SQLite and PostgreSQL: settings, their effects, and who may change them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from harness import BotRun, bot_running
from loopback import (
    ADMINISTRATOR,
    MANAGE_GUILD,
    FakeChannel,
    FakeMember,
    FakeRole,
    InteractionRecord,
    LoopbackDiscord,
)

from bot.storage.repository import MAX_COOLDOWN_SECONDS, MAX_OPEN_SUGGESTIONS_LIMIT

NO_PINGS = {"parse": []}
APOLOGY = "Sorry, something went wrong"
NOT_AN_ADMIN = "Only server admins (Manage Server permission) can change my settings."
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
pytestmark = pytest.mark.usefixtures("clean_wire")


def settings_of(rec: InteractionRecord) -> str:
    assert rec.type == 4 and rec.ephemeral, (rec.label, rec.content)
    assert rec.embeds[0]["title"] == "montage-bot settings"
    return rec.embeds[0]["description"]


def refused(rec: InteractionRecord, words: str) -> None:
    assert rec.type == 4 and rec.ephemeral and not rec.embeds, (rec.label, rec.content)
    assert words in (rec.content or ""), rec.content


@dataclass
class LockedChannel(FakeChannel):
    """A text channel whose permission overwrites deny one role some permissions."""

    deny_role: int = 0
    deny: int = 0

    def payload(self, guild_id: int | None = None) -> dict[str, Any]:
        channel = super().payload(guild_id)
        overwrite = {"id": str(self.deny_role), "type": 0, "allow": "0", "deny": str(self.deny)}
        channel["permission_overwrites"] = [overwrite]
        return channel


@pytest.fixture
def locked(loopback: LoopbackDiscord) -> LockedChannel:
    """#locked, where the bot's own role may neither send nor embed; added before start."""
    guild = loopback.guild
    bot_role = next(r for r in guild.roles if r.bot_id == loopback.bot.id)
    channel = LockedChannel(
        guild.id + 10,
        "locked",
        position=10,
        deny_role=bot_role.id,
        deny=SEND_MESSAGES | EMBED_LINKS,
    )
    guild.channels.append(channel)
    return channel


@pytest.fixture
async def app_locked(
    locked: LockedChannel, loopback: LoopbackDiscord, any_db: str
) -> AsyncIterator[BotRun]:
    async for run in bot_running(loopback, any_db):
        yield run


async def test_config_is_a_server_admin_command(app: BotRun, loopback: LoopbackDiscord) -> None:
    commands = {c["name"]: c for c in loopback.commands[loopback.guild.id]}
    for name in ("config", "mod"):
        assert str(commands[name]["default_member_permissions"]) == str(MANAGE_GUILD)
        assert commands[name]["contexts"] == [0]  # servers only
    options = {o["name"]: o for o in commands["config"]["options"]}
    assert set(options) == {"show", "review-channel", "mod-role", "cooldown", "max-suggestions"}
    seconds = options["cooldown"]["options"][0]
    assert (seconds["min_value"], seconds["max_value"]) == (0, MAX_COOLDOWN_SECONDS)
    count = options["max-suggestions"]["options"][0]
    assert (count["min_value"], count["max_value"]) == (0, MAX_OPEN_SUGGESTIONS_LIMIT)
    channel = options["review-channel"]["options"][0]
    assert channel["type"] == 7 and not channel.get("required")


async def test_show_and_change_settings(app_any_db: BotRun, loopback: LoopbackDiscord) -> None:
    owner = loopback.owner
    shown = settings_of(await loopback.command("config show", user=owner))
    assert shown.splitlines() == [
        "**Review channel:** none (use /mod queue)",
        "**Moderator role:** none (Manage Server only)",
        "**Cooldown between nominations:** 30 s",
        "**Open suggestions per member:** 3",
        "**Current season:** 1",
    ]
    review, moderator = loopback.guild.channel("review"), loopback.guild.role("Moderator")
    await loopback.command("config review-channel", {"channel": review}, user=owner)
    await loopback.command("config mod-role", {"role": moderator}, user=owner)
    await loopback.command("config cooldown", {"seconds": 5}, user=owner)
    changed = settings_of(
        await loopback.command("config max-suggestions", {"count": 7}, user=owner)
    )
    expected = [
        f"**Review channel:** <#{review.id}>",
        f"**Moderator role:** <@&{moderator.id}>",
        "**Cooldown between nominations:** 5 s",
        "**Open suggestions per member:** 7",
    ]
    assert all(line in changed for line in expected), changed

    # Manage Server or Administrator is enough; the settings survive a restart.
    await app_any_db.restart()
    bob = settings_of(await loopback.command("config show", user=loopback.moderator))
    assert all(line in bob for line in expected), bob
    admin = FakeMember(3010, "root", permissions=ADMINISTRATOR)
    as_admin = settings_of(await loopback.command("config show", user=admin))
    assert all(line in as_admin for line in expected), as_admin

    cleared = settings_of(await loopback.command("config review-channel", user=owner))
    assert "**Review channel:** none (use /mod queue)" in cleared
    log = await loopback.command("mod log", user=owner)
    entries = log.embeds[0]["description"]
    assert entries.count(f"<@{owner.id}> **config.set**") == 5
    assert '{"cooldown\\_seconds": 5}' in entries  # markdown-escaped
    assert '{"max\\_open\\_suggestions": 7}' in entries

    # Values Discord's client would refuse (out of range) are refused here too.
    too_long = await loopback.command(
        "config cooldown", {"seconds": MAX_COOLDOWN_SECONDS + 1}, user=owner
    )
    refused(too_long, f"The cooldown must be 0 to {MAX_COOLDOWN_SECONDS} seconds.")
    too_many = await loopback.command(
        "config max-suggestions", {"count": MAX_OPEN_SUGGESTIONS_LIMIT + 1}, user=owner
    )
    refused(too_many, f"Open suggestions must be 0 to {MAX_OPEN_SUGGESTIONS_LIMIT}.")
    after = settings_of(await loopback.command("config show", user=owner))
    assert "5 s" in after and "**Open suggestions per member:** 7" in after


async def test_cooldown_setting_paces_nominations(
    app_any_db: BotRun, loopback: LoopbackDiscord
) -> None:
    owner = loopback.owner
    await loopback.command("config cooldown", {"seconds": 0}, user=owner)
    for pick in ("creed", "rocky"):
        res = await loopback.command("nominate", {"pick": pick})
        assert not res.ephemeral and "now 1 nomination" in res.content, res.content
    await loopback.command("config cooldown", {"seconds": 120}, user=owner)
    slow = await loopback.command("nominate", {"pick": "mulan"})
    assert slow.ephemeral
    wait = re.fullmatch(r"Slow down: you can nominate again in (\d+) seconds\.", slow.content)
    assert wait and 110 <= int(wait[1]) <= 120, slow.content
    other = await loopback.command("nominate", {"pick": "mulan"}, user=loopback.moderator)
    assert not other.ephemeral  # the cooldown is per member


async def test_max_suggestions_caps_open_suggestions(
    app_any_db: BotRun, loopback: LoopbackDiscord
) -> None:
    owner, bob = loopback.owner, loopback.moderator
    await loopback.command("config max-suggestions", {"count": 1}, user=owner)
    first = await loopback.command("nominate", {"pick": "The Karate Kid"})
    assert first.ephemeral and "suggestion #" in first.content
    capped = await loopback.command("nominate", {"pick": "Bloodsport"})
    assert capped.type == 4 and capped.ephemeral and "suggestion #" not in capped.content
    assert "waiting for review" in capped.content and "moderator decides" in capped.content
    queue = await loopback.command("mod queue", user=bob)
    assert "Bloodsport" not in queue.embeds[0]["description"]

    # Once a moderator decides, the member may suggest again.
    sid = int(re.search(r"suggestion #(\d+)", first.content)[1])  # type: ignore[index]
    await loopback.command("mod reject", {"id": sid}, user=bob)
    again = await loopback.command("nominate", {"pick": "Bloodsport"})
    assert again.ephemeral and "suggestion #" in again.content

    await loopback.command("config max-suggestions", {"count": 0}, user=owner)
    closed = await loopback.command("nominate", {"pick": "Hoosiers"}, user=bob)
    assert closed.ephemeral and "suggestion #" not in closed.content
    queue = await loopback.command("mod queue", user=bob)
    assert "Hoosiers" not in queue.embeds[0]["description"]


async def test_review_channel_warns_when_the_bot_cannot_post(
    app_locked: BotRun, loopback: LoopbackDiscord, locked: LockedChannel
) -> None:
    owner = loopback.owner
    warned = settings_of(
        await loopback.command("config review-channel", {"channel": locked}, user=owner)
    )
    assert f"**Review channel:** <#{locked.id}>" in warned  # saved, with a warning
    assert (
        f"⚠️ I can't post in <#{locked.id}> yet: give me Send Messages, Embed Links there." in warned
    )
    review = loopback.guild.channel("review")
    fine = settings_of(
        await loopback.command("config review-channel", {"channel": review}, user=owner)
    )
    assert "⚠️" not in fine


async def test_a_failing_review_channel_does_not_lose_the_suggestion(
    app_any_db: BotRun, loopback: LoopbackDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    review = loopback.guild.channel("review")
    await loopback.command("config review-channel", {"channel": review}, user=loopback.owner)
    loopback.denied_channels.add(review.id)  # e.g. an admin took the bot's rights away later
    res = await loopback.command("nominate", {"pick": "The Karate Kid"})
    assert res.ephemeral and "suggestion #" in res.content
    await loopback.wait_until(
        lambda: loopback.requests_to("POST", f"/channels/{review.id}/messages"),
        what="the attempt to post to #review",
    )
    assert loopback.channel_messages(review) == []
    queue = await loopback.command("mod queue", user=loopback.moderator)
    assert "The Karate Kid" in queue.embeds[0]["description"]
    assert any("Could not post suggestion" in r.getMessage() for r in caplog.records)


async def test_members_and_moderator_roles_cannot_change_settings(
    app_any_db: BotRun, loopback: LoopbackDiscord
) -> None:
    owner, alice = loopback.owner, loopback.member
    moderator_role = loopback.guild.role("Moderator")
    await loopback.command("config mod-role", {"role": moderator_role}, user=owner)
    # A holder of the moderator role without Manage Server: may moderate, not configure.
    helper = FakeMember(3020, "helper", roles=[moderator_role.id])
    queue = await loopback.command("mod queue", user=helper)
    assert queue.embeds[0]["title"] == "Suggestions: pending"
    everyone = FakeRole(loopback.guild.id, "@everyone")
    for user in (alice, helper):
        for name, options in (
            ("config show", None),
            ("config review-channel", {"channel": loopback.guild.channel("general")}),
            ("config mod-role", {"role": everyone}),
            ("config mod-role", None),
            ("config cooldown", {"seconds": 0}),
            ("config max-suggestions", {"count": 100}),
        ):
            refused(await loopback.command(name, options, user=user), NOT_AN_ADMIN)
    shown = settings_of(await loopback.command("config show", user=owner))
    assert f"<@&{moderator_role.id}>" in shown and "30 s" in shown
    assert "none (use /mod queue)" in shown and "**Open suggestions per member:** 3" in shown
