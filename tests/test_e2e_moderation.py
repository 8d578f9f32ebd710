"""/mod and the review buttons, end to end on SQLite and PostgreSQL.

Every check goes through the real bot (`serve`, as `montage-bot run` runs it) and the loopback
Discord. Moderator power is enforced by the bot itself: the fake, like Discord when a server
admin changes a command's permissions, does not hide /mod from plain members.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import discord
import pytest
from harness import BotRun, bot_running, bot_settings
from loopback import (
    MEMBER_PERMISSIONS,
    MODERATOR_PERMISSIONS,
    FakeGuild,
    FakeMember,
    FakeRole,
    InteractionRecord,
    LoopbackDiscord,
    component_data,
    interaction_payload,
    make_guild,
)

NO_PINGS = {"parse": []}
APOLOGY = "Sorry, something went wrong"
NOT_A_MODERATOR = "Only moderators can do that"
NOT_AN_ADMIN = "Only server admins"
MESSAGE_COMPONENT = 3
pytestmark = pytest.mark.usefixtures("clean_wire")


# --------------------------------------------------------------------------- helpers


def suggestion_id(rec: InteractionRecord) -> int:
    found = re.search(r"suggestion #(\d+)", rec.content or "")
    assert found, rec.content
    return int(found[1])


async def suggest(fake: LoopbackDiscord, title: str, user: FakeMember | None = None) -> int:
    """A member types a film the catalog lacks: it becomes a suggestion (ephemeral answer)."""
    res = await fake.command("nominate", {"pick": title}, user=user)
    assert res.type == 4 and res.ephemeral, res.content
    assert "isn't in the catalog yet" in (res.content or ""), res.content
    return suggestion_id(res)


def refused(rec: InteractionRecord, words: str = NOT_A_MODERATOR) -> None:
    assert rec.type == 4 and rec.ephemeral, (rec.label, rec.type, rec.content)
    assert words in (rec.content or ""), rec.content


def description(rec: InteractionRecord) -> str:
    return rec.embeds[0]["description"] if rec.embeds else ""


def footer(rec: InteractionRecord) -> str:
    return rec.embeds[0]["footer"]["text"]


async def no_cooldown(fake: LoopbackDiscord) -> None:
    res = await fake.command("config cooldown", {"seconds": 0}, user=fake.owner)
    assert res.ephemeral and "0 s" in description(res)


async def board(fake: LoopbackDiscord, guild: FakeGuild | None = None, **options: object) -> str:
    res = await fake.command("leaderboard", options or None, guild=guild)
    assert res.type == 4, res.content
    return description(res) + "\n" + footer(res)


# --------------------------------------------------------------------------- extra set-up


CURATOR_ROLE = 2060


@pytest.fixture
def carol(loopback: LoopbackDiscord) -> FakeMember:
    """A member with a plain "Curator" role (no Manage Server); added before the bot starts,
    so the role is in the bot's cache like any real role."""
    loopback.guild.roles.append(FakeRole(CURATOR_ROLE, "Curator", 0, position=1))
    user = loopback.add_user(FakeMember(3003, "carol", roles=[CURATOR_ROLE]))
    loopback.guild.members.append(user)
    return user


@pytest.fixture
async def app_with_carol(
    carol: FakeMember, loopback: LoopbackDiscord, any_db: str
) -> AsyncIterator[BotRun]:
    async for run in bot_running(loopback, any_db):
        yield run


@pytest.fixture
def other_guild(loopback: LoopbackDiscord) -> FakeGuild:
    """A second server with its own owner, moderator (dave) and member (erin)."""
    guild = make_guild(7000, "Other Club", owner_id=43)
    owner = FakeMember(43, "owner2", permissions=discord.Permissions.all().value)
    dave = FakeMember(7101, "dave", roles=[7050], permissions=MODERATOR_PERMISSIONS)
    erin = FakeMember(7102, "erin")
    guild.members += [owner, dave, erin]
    return loopback.add_guild(guild)


@pytest.fixture
async def app_two_guilds(
    other_guild: FakeGuild, loopback: LoopbackDiscord, any_db: str
) -> AsyncIterator[BotRun]:
    """The bot in two servers, its commands registered globally (no dev server)."""
    run = BotRun(loopback, bot_settings(loopback, any_db, dev_guild_id=None))
    await run.start()
    try:
        yield run
    finally:
        await run.stop()


# --------------------------------------------------------------------------- the queue


async def test_queue_approve_makes_a_community_entry(
    app_any_db: BotRun, loopback: LoopbackDiscord
) -> None:
    alice, bob = loopback.member, loopback.moderator
    asked = await loopback.command("nominate", {"pick": "The Karate Kid", "reason": "wax on"})
    assert asked.ephemeral and "suggestion #" in asked.content
    sid = suggestion_id(asked)

    queue = await loopback.command("mod queue", user=bob)
    assert queue.type == 4 and queue.ephemeral
    assert queue.embeds[0]["title"] == "Suggestions: pending"
    text = description(queue)
    assert f"**#{sid}**" in text and "The Karate Kid" in text and f"<@{alice.id}>" in text
    assert "Waiting for a decision" in text and "wax on" in text
    assert queue.message.custom_ids == [
        f"mb:review:approve:{sid}:qp0",
        f"mb:review:reject:{sid}:qp0",
    ]

    approved = await loopback.click(queue, f"mb:review:approve:{sid}:qp0", user=bob)
    assert approved.type == 7  # the queue is edited in place
    assert queue.message.content.startswith(f"Approved suggestion #{sid}")
    assert "Nothing is waiting for a decision." in queue.message.embeds[0]["description"]
    assert queue.message.custom_ids == []

    shown = await loopback.command("montage", {"query": "Karate Kid"})
    assert shown.type == 4 and not shown.ephemeral
    assert shown.embeds[0]["title"] == "The Karate Kid"
    assert "community entry" in description(shown)
    assert f"approved by <@{bob.id}>" in description(shown)
    assert f"Community entry #{sid}" in footer(shown)
    assert f"mb:nominate:community:{sid}" in shown.message.custom_ids

    offered = await loopback.autocomplete("nominate", {"pick": "karate"}, "pick")
    assert {"name": "The Karate Kid (community)", "value": f"community:{sid}"} in offered.choices

    standings = await board(loopback)
    assert "**1.** The Karate Kid (community) — 1 nomination" in standings  # the suggester's

    again = await loopback.command("nominate", {"pick": f"community:{sid}"}, user=bob)
    assert not again.ephemeral and "now 2 nominations, #1" in again.content
    mine = await loopback.command("mynominations")
    assert f"#{sid} “The Karate Kid”: approved by <@{bob.id}>" in description(mine)


async def test_queue_pages_four_at_a_time(app_any_db: BotRun, loopback: LoopbackDiscord) -> None:
    bob = loopback.moderator
    await loopback.command("config max-suggestions", {"count": 10}, user=loopback.owner)
    titles = ("The Karate Kid", "Over the Top", "Bloodsport", "Hoosiers", "Vision Quest")
    ids = [await suggest(loopback, title) for title in titles]

    queue = await loopback.command("mod queue", user=bob)
    text = description(queue)
    assert all(f"**#{i}**" in text for i in ids[:4]) and f"**#{ids[4]}**" not in text
    assert footer(queue) == "page 1/2 · 5 in all"
    assert queue.message.component("mb:queue:pending:-1")["disabled"] is True
    assert len(queue.message.components) == 5  # four suggestions' rows and the page row

    turned = await loopback.click(queue, "mb:queue:pending:1", user=bob)
    assert turned.type == 7
    assert footer(turned) == "page 2/2 · 5 in all"
    assert f"**#{ids[4]}**" in queue.message.embeds[0]["description"]
    assert queue.message.component("mb:queue:pending:2")["disabled"] is True

    # Deciding the only suggestion of the last page must not leave an empty page behind.
    await loopback.click(queue, f"mb:review:reject:{ids[4]}:qp1", user=bob)
    after = queue.message.embeds[0]
    assert after["footer"]["text"] == "page 1/1 · 4 in all", after
    assert all(f"**#{i}**" in after["description"] for i in ids[:4])

    back = await loopback.click(queue, f"mb:review:approve:{ids[0]}:qp0", user=bob)
    assert back.type == 7 and queue.message.content.startswith(f"Approved suggestion #{ids[0]}")
    assert f"**#{ids[0]}**" not in queue.message.embeds[0]["description"]


async def test_review_channel_post_can_be_decided_and_changed(
    app_any_db: BotRun, loopback: LoopbackDiscord
) -> None:
    alice, bob = loopback.member, loopback.moderator
    review = loopback.guild.channel("review")
    configured = await loopback.command(
        "config review-channel", {"channel": review}, user=loopback.owner
    )
    assert f"**Review channel:** <#{review.id}>" in description(configured)
    assert "⚠️" not in description(configured)

    sid = await suggest(loopback, "Over the Top")
    post = await loopback.wait_channel_message(review)
    assert not post.ephemeral
    embed = post.embeds[0]
    assert embed["title"] == f"Suggestion #{sid}: Over the Top"
    assert f"By <@{alice.id}>" in embed["description"]
    assert "Waiting for a decision" in embed["description"]
    assert post.custom_ids == [f"mb:review:approve:{sid}:post", f"mb:review:reject:{sid}:post"]

    rejected = await loopback.click(post, f"mb:review:reject:{sid}:post", user=bob)
    assert rejected.type == 7 and rejected.message is post
    assert f"Rejected by <@{bob.id}>" in post.embeds[0]["description"]
    assert post.custom_ids == [f"mb:review:approve:{sid}:post"]
    assert "Over the Top" not in await board(loopback)

    approved = await loopback.click(post, f"mb:review:approve:{sid}:post", user=bob)
    assert approved.type == 7
    assert f"Approved by <@{bob.id}>" in post.embeds[0]["description"]
    assert post.custom_ids == [f"mb:review:reject:{sid}:post"]
    assert len(loopback.channel_messages(review)) == 1  # edited in place, never re-posted
    assert "Over the Top (community) — 1 nomination" in await board(loopback)

    other = await suggest(loopback, "Bloodsport")
    await loopback.wait_channel_message(review, 2)
    no = await loopback.command("mod reject", {"id": other, "reason": "no montage"}, user=bob)
    assert no.ephemeral and no.content.startswith(f"Rejected suggestion #{other}")
    # A decision made with /mod (or from the queue) also updates the review-channel post.
    second_post = loopback.channel_messages(review)[1]
    await loopback.wait_edited(second_post)
    assert f"Rejected by <@{bob.id}>: “no montage”" in second_post.embeds[0]["description"]
    assert second_post.custom_ids == [f"mb:review:approve:{other}:post"]

    everything = await loopback.command("mod queue", {"state": "all"}, user=bob)
    text = description(everything)
    assert everything.embeds[0]["title"] == "Suggestions: all"
    assert f"Approved by <@{bob.id}>" in text and f"Rejected by <@{bob.id}>: “no montage”" in text
    assert text.index(f"**#{other}**") < text.index(f"**#{sid}**")  # newest first
    # Decided suggestions offer the opposite verdict, so a decision can still be changed.
    assert set(everything.message.custom_ids) == {
        f"mb:review:reject:{sid}:qx0",
        f"mb:review:approve:{other}:qx0",
    }
    only = await loopback.command("mod queue", {"state": "rejected"}, user=bob)
    assert f"**#{other}**" in description(only) and f"**#{sid}**" not in description(only)
    changed = await loopback.click(everything, f"mb:review:approve:{other}:qx0", user=bob)
    assert changed.type == 7 and f"Approved suggestion #{other}" in everything.message.content
    await loopback.wait_edited(second_post, 2)
    assert f"Approved by <@{bob.id}>" in second_post.embeds[0]["description"]
    pending = await loopback.command("mod queue", user=bob)
    assert "Nothing is waiting for a decision." in description(pending)


async def test_approve_and_reject_by_id(app_any_db: BotRun, loopback: LoopbackDiscord) -> None:
    bob = loopback.moderator
    first = await suggest(loopback, "Hoosiers")
    second = await suggest(loopback, "Vision Quest")

    yes = await loopback.command("mod approve", {"id": first}, user=bob)
    assert yes.type == 4 and yes.ephemeral
    assert yes.content.startswith(f"Approved suggestion #{first}: it is now a community entry")
    no = await loopback.command("mod reject", {"id": second, "reason": "a sequel"}, user=bob)
    assert no.ephemeral and no.content.startswith(f"Rejected suggestion #{second}")

    mine = await loopback.command("mynominations")
    text = description(mine)
    assert f"#{first} “Hoosiers”: approved by <@{bob.id}>" in text
    assert f"#{second} “Vision Quest”: rejected by <@{bob.id}> (“a sequel”)" in text
    assert "Hoosiers (community) — 1 nomination" in await board(loopback)

    for name, options in (
        ("mod approve", {"id": 999_999}),
        ("mod reject", {"id": 999_999, "reason": "gone"}),
    ):
        missing = await loopback.command(name, options, user=bob)
        assert missing.type == 4 and missing.ephemeral
        assert missing.content == "There is no suggestion #999999 in this server."


# --------------------------------------------------------------------------- refusals


async def test_members_cannot_moderate_and_nothing_changes(
    app_any_db: BotRun, loopback: LoopbackDiscord
) -> None:
    alice, bob, owner = loopback.member, loopback.moderator, loopback.owner
    review = loopback.guild.channel("review")
    await loopback.command("config review-channel", {"channel": review}, user=owner)
    await loopback.command("nominate", {"pick": "creed"}, user=bob)
    sid = await suggest(loopback, "The Karate Kid")
    post = await loopback.wait_channel_message(review)

    attempts: list[tuple[str, dict[str, object] | None]] = [
        ("mod queue", None),
        ("mod queue", {"state": "all"}),
        ("mod approve", {"id": sid}),
        ("mod reject", {"id": sid, "reason": "mine now"}),
        ("mod remove", {"member": bob, "pick": "creed"}),
        ("mod block", {"member": bob, "reason": "revenge"}),
        ("mod unblock", {"member": bob}),
        ("mod reset", None),
        ("mod log", None),
    ]
    for name, options in attempts:
        refused(await loopback.command(name, options, user=alice))
    admin_only: list[tuple[str, dict[str, object] | None]] = [
        ("config show", None),
        ("config review-channel", {"channel": loopback.guild.channel("general")}),
        ("config review-channel", None),
        ("config mod-role", {"role": loopback.guild.role("@everyone")}),
        ("config cooldown", {"seconds": 0}),
        ("config max-suggestions", {"count": 25}),
    ]
    for name, options in admin_only:
        refused(await loopback.command(name, options, user=alice), NOT_AN_ADMIN)

    # The review post is public: a member can press its buttons, and is refused.
    for verdict in ("approve", "reject"):
        refused(await loopback.click(post, f"mb:review:{verdict}:{sid}:post", user=alice))
    assert post.edits == [] and "Waiting for a decision" in post.embeds[0]["description"]

    # The End season button is only ever shown to a moderator; a crafted click is refused too.
    reset = await loopback.command("mod reset", user=bob)
    forged = interaction_payload(
        MESSAGE_COMPONENT,
        component_data("mb:reset:1"),
        user=alice,
        guild=loopback.guild,
        message=reset.message.to_wire(loopback.users),
        app_id=loopback.app_id,
    )
    refused(await loopback.interact(forged, label="forged End season click"))
    assert reset.message.edits == []

    # Nothing changed: still pending, same settings, same season, bob not blocked.
    queue = await loopback.command("mod queue", user=bob)
    assert f"**#{sid}**" in description(queue) and "Waiting for a decision" in description(queue)
    settings = description(await loopback.command("config show", user=owner))
    assert f"**Review channel:** <#{review.id}>" in settings
    assert "none (Manage Server only)" in settings and "30 s" in settings
    assert "**Open suggestions per member:** 3" in settings
    standings = await board(loopback)
    assert "Creed (2015): If I fight, you fight. — 1 nomination" in standings
    assert "season 1, this season" in standings
    log = description(await loopback.command("mod log", user=bob))
    assert log.count("**") == 2 and "**config.set**" in log  # only the owner's one change
    more = await loopback.command("nominate", {"pick": "rocky"}, user=bob, timeout=5)
    assert more.ephemeral and "Slow down" in more.content  # cooldown, not a block


async def test_moderator_role_grants_moderation_until_cleared(
    app_with_carol: BotRun, loopback: LoopbackDiscord, carol: FakeMember
) -> None:
    owner = loopback.owner
    assert carol.permissions == MEMBER_PERMISSIONS  # no Manage Server
    sid = await suggest(loopback, "Bloodsport")
    refused(await loopback.command("mod queue", user=carol))

    curator = loopback.guild.role("Curator")
    set_role = await loopback.command("config mod-role", {"role": curator}, user=owner)
    assert f"**Moderator role:** <@&{CURATOR_ROLE}>" in description(set_role)

    queue = await loopback.command("mod queue", user=carol)
    assert f"**#{sid}**" in description(queue)
    approved = await loopback.click(queue, f"mb:review:approve:{sid}:qp0", user=carol)
    assert approved.type == 7 and f"Approved suggestion #{sid}" in queue.message.content
    log = await loopback.command("mod log", user=carol)
    assert f"<@{carol.id}> **suggestion.approved**" in description(log)
    # The role is for moderating, not for changing the settings.
    refused(await loopback.command("config cooldown", {"seconds": 0}, user=carol), NOT_AN_ADMIN)
    # Manage Server still works alongside the role.
    bob_queue = await loopback.command("mod queue", user=loopback.moderator)
    assert "Nothing is waiting" in description(bob_queue)

    decided = await loopback.command("mod queue", {"state": "all"}, user=carol)

    cleared = await loopback.command("config mod-role", user=owner)
    assert "**Moderator role:** none (Manage Server only)" in description(cleared)
    refused(await loopback.command("mod queue", user=carol))
    # Buttons she was shown while she had the role stop working too.
    refused(await loopback.click(decided, f"mb:review:reject:{sid}:qx0", user=carol))
    assert "Bloodsport (community) — 1 nomination" in await board(loopback)


# --------------------------------------------------------------------------- members


async def test_remove_block_and_unblock_a_member(
    app_any_db: BotRun, loopback: LoopbackDiscord
) -> None:
    alice, bob = loopback.member, loopback.moderator
    await no_cooldown(loopback)
    for pick in ("creed", "rocky", "mulan"):
        res = await loopback.command("nominate", {"pick": pick})
        assert not res.ephemeral, res.content

    offered = await loopback.autocomplete(
        "mod remove", {"member": alice, "pick": "cre"}, "pick", user=bob
    )
    assert [c["value"] for c in offered.choices] == ["creed"]
    removed = await loopback.command("mod remove", {"member": alice, "pick": "creed"}, user=bob)
    assert removed.ephemeral
    assert removed.content == (
        f"Removed <@{alice.id}>'s nomination of **Creed (2015): If I fight, you fight.**."
    )
    by_label = await loopback.command(
        "mod remove", {"member": alice, "pick": "rocky (1976)"}, user=bob
    )
    assert by_label.ephemeral and "**Rocky (1976)**" in by_label.content
    standings = await board(loopback)
    assert "Creed" not in standings and "Rocky" not in standings and "Mulan" in standings
    gone = await loopback.command("mod remove", {"member": alice, "pick": "creed"}, user=bob)
    assert gone.ephemeral and gone.content == "There is no such nomination this season."

    blocked = await loopback.command("mod block", {"member": alice, "reason": "spam"}, user=bob)
    assert blocked.ephemeral and blocked.content.startswith(f"Blocked <@{alice.id}>")
    stopped = await loopback.command("nominate", {"pick": "creed"})
    assert stopped.ephemeral and stopped.content == "You can't nominate in this server right now."
    no_suggestion = await loopback.command("nominate", {"pick": "The Karate Kid"})
    assert no_suggestion.ephemeral and "can't make suggestions" in no_suggestion.content
    assert "Mulan" in await board(loopback)  # blocking keeps what was already counted

    unblocked = await loopback.command("mod unblock", {"member": alice}, user=bob)
    assert unblocked.ephemeral and unblocked.content == f"Unblocked <@{alice.id}>."
    counted = await loopback.command("nominate", {"pick": "creed"})
    assert not counted.ephemeral and "now 1 nomination" in counted.content
    twice = await loopback.command("mod unblock", {"member": alice}, user=bob)
    assert twice.ephemeral and twice.content == "That member is not blocked."


# --------------------------------------------------------------------------- seasons and log


async def test_reset_ends_the_season_once(app_any_db: BotRun, loopback: LoopbackDiscord) -> None:
    bob = loopback.moderator
    await loopback.command("nominate", {"pick": "creed"})
    confirm = await loopback.command("mod reset", user=bob)
    stale = await loopback.command("mod reset", user=bob)  # a second, older confirmation
    assert confirm.ephemeral and confirm.content.startswith("End season 1?")
    assert confirm.message.custom_ids == ["mb:reset:1"]

    ended = await loopback.click(confirm, "mb:reset:1", user=bob)
    assert ended.type == 7 and confirm.message.content.startswith("Season 1 has ended")
    assert "Season 2 starts now." in confirm.message.content
    assert confirm.message.custom_ids == []

    current = await board(loopback)
    assert "No nominations this season yet" in current and "season 2, this season" in current
    archived = await board(loopback, season=1)
    assert "**1.** Creed (2015): If I fight, you fight. — 1 nomination" in archived
    assert "season 1 (finished)" in archived

    again = await loopback.click(stale, "mb:reset:1", user=bob)
    assert again.type == 4 and again.ephemeral
    assert again.content == "Season 1 has already ended."
    assert "season 2, this season" in await board(loopback)
    missing = await loopback.command("leaderboard", {"season": 3})
    assert missing.ephemeral and "no season 3" in missing.content

    # A double click on the next confirmation ends exactly one season.
    confirm2 = await loopback.command("mod reset", user=bob)
    clicks = await asyncio.gather(
        *(loopback.click(confirm2, "mb:reset:2", user=bob) for _ in range(3))
    )
    assert sorted(c.type for c in clicks) == [4, 4, 7]
    assert all(c.content == "Season 2 has already ended." for c in clicks if c.type == 4)
    assert "season 3, this season" in await board(loopback)


async def test_log_lists_who_did_what(app_any_db: BotRun, loopback: LoopbackDiscord) -> None:
    alice, bob, owner = loopback.member, loopback.moderator, loopback.owner
    await no_cooldown(loopback)
    sid = await suggest(loopback, "Hoosiers")
    await loopback.command("mod approve", {"id": sid}, user=bob)
    await loopback.command("mod reject", {"id": sid, "reason": "changed my mind"}, user=bob)
    await loopback.command("nominate", {"pick": "creed"})
    await loopback.command("mod remove", {"member": alice, "pick": "creed"}, user=bob)
    await loopback.command("mod block", {"member": alice, "reason": "spam"}, user=bob)
    await loopback.command("mod unblock", {"member": alice}, user=bob)
    reset = await loopback.command("mod reset", user=owner)
    await loopback.click(reset, "mb:reset:1", user=owner)

    log = await loopback.command("mod log", user=bob)
    assert log.ephemeral and log.embeds[0]["title"] == "Audit log"
    lines = description(log).splitlines()
    expected = [  # newest first
        (owner, "season.end", "season:1"),
        (bob, "member.unblock", f"user:{alice.id}"),
        (bob, "member.block", f"user:{alice.id}"),
        (bob, "nomination.remove", f"user:{alice.id}"),
        (bob, "suggestion.rejected", f"suggestion:{sid}"),
        (bob, "suggestion.approved", f"suggestion:{sid}"),
        (owner, "config.set", "config"),
    ]
    assert len(lines) == len(expected), lines
    for line, (who, action, target) in zip(lines, expected, strict=True):
        assert f"<@{who.id}> **{action}** “{target}”" in line, line
    assert "spam" in lines[2] and "changed my mind" in lines[4] and "creed" in lines[3]
    assert footer(log) == "page 1/1 · 7 entries"
    beyond = await loopback.command("mod log", {"page": 2}, user=bob)
    assert beyond.ephemeral and beyond.content == "The audit log has only 1 page; try page 1."


# --------------------------------------------------------------------------- two servers


async def test_servers_are_isolated(
    app_two_guilds: BotRun, loopback: LoopbackDiscord, other_guild: FakeGuild
) -> None:
    a, b = loopback.guild, other_guild
    bob, owner_a = loopback.moderator, loopback.owner
    owner_b, dave, erin = b.members

    await loopback.command("config review-channel", {"channel": a.channel("review")}, user=owner_a)
    await loopback.command("config cooldown", {"seconds": 0}, user=owner_a)
    in_a = await suggest(loopback, "The Karate Kid")
    res = await loopback.command("nominate", {"pick": "Bloodsport"}, user=erin, guild=b)
    assert res.ephemeral and "suggestion #" in res.content
    in_b = suggestion_id(res)
    await loopback.wait_channel_message(a.channel("review"))
    assert len(loopback.channel_messages(a.channel("review"))) == 1  # B's stays out of A's
    assert loopback.channel_messages(b.channel("review")) == []

    # A moderator of A cannot reach B's suggestion by its id, nor B's moderator A's.
    cross = await loopback.command("mod approve", {"id": in_b}, user=bob)
    assert cross.ephemeral and cross.content == f"There is no suggestion #{in_b} in this server."
    cross_b = await loopback.command("mod reject", {"id": in_a}, user=dave, guild=b)
    assert cross_b.ephemeral and f"no suggestion #{in_a}" in cross_b.content
    queue_a = description(await loopback.command("mod queue", user=bob))
    queue_b = description(await loopback.command("mod queue", user=dave, guild=b))
    assert "Karate" in queue_a and "Bloodsport" not in queue_a
    assert "Bloodsport" in queue_b and "Karate" not in queue_b

    await loopback.command("mod approve", {"id": in_a}, user=bob)
    await loopback.command("nominate", {"pick": "creed"})
    standings_a = await board(loopback)
    assert "The Karate Kid (community)" in standings_a and "Creed" in standings_a
    standings_b = await board(loopback, guild=b)
    assert "No nominations this season yet" in standings_b
    elsewhere = await loopback.command("montage", {"query": "The Karate Kid"}, guild=b)
    assert elsewhere.ephemeral and (elsewhere.content or "").startswith("No montage matches")
    not_offered = await loopback.autocomplete(
        "nominate", {"pick": "karate"}, "pick", user=erin, guild=b
    )
    assert all(not c["value"].startswith("community:") for c in not_offered.choices)

    config_b = description(await loopback.command("config show", user=owner_b, guild=b))
    assert "none (use /mod queue)" in config_b and "30 s" in config_b

    reset = await loopback.command("mod reset", user=bob)
    await loopback.click(reset, "mb:reset:1", user=bob)
    assert "season 2" in await board(loopback)
    assert "season 1, this season" in await board(loopback, guild=b)
    log_b = description(await loopback.command("mod log", user=dave, guild=b))
    assert log_b == "Nothing recorded yet."
