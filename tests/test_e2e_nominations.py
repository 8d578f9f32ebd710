"""Nominating, suggesting and the leaderboard, end to end on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from harness import BotRun, bot_settings
from loopback import FakeMember, LoopbackDiscord, make_guild

from bot.runner import sync_only
from bot.storage import Store

NO_PINGS = {"parse": []}
pytestmark = pytest.mark.usefixtures("clean_wire")


def member(n: int) -> FakeMember:
    return FakeMember(id=500_000 + n, name=f"fan{n}")


async def no_cooldown(fake: LoopbackDiscord) -> None:
    res = await fake.command("config cooldown", {"seconds": 0}, user=fake.owner)
    assert res.ephemeral and "0 s" in res.embeds[0]["description"]


async def test_nominate_counts_at_once_publicly_without_pinging(
    app_any_db: BotRun, loopback: LoopbackDiscord
) -> None:
    alice, bob = loopback.member, loopback.moderator
    first = await loopback.command("nominate", {"pick": "kill-bill-vol-2", "reason": "Pai Mei!"})
    assert first.type == 4 and not first.ephemeral and first.elapsed < 3
    assert f"<@{alice.id}> nominated **Kill Bill: Vol. 2 (2004)" in first.content
    assert "now 1 nomination, #1 in this server" in first.content
    assert first.message.allowed_mentions == NO_PINGS and not first.message.mention_user_ids
    second = await loopback.command("nominate", {"pick": "kill bill"}, user=bob)  # typed
    assert "now 2 nominations, #1" in second.content


async def test_nominating_again_offers_a_withdrawal(
    app_any_db: BotRun, loopback: LoopbackDiscord
) -> None:
    await loopback.command("nominate", {"pick": "creed"})
    again = await loopback.command("nominate", {"pick": "creed"})
    assert again.ephemeral and "already nominated **Creed (2015)" in again.content
    assert "mb:withdraw:creed" in again.message.custom_ids
    withdrawn = await loopback.click(again, "mb:withdraw:creed")
    assert withdrawn.type == 7 and "Withdrawn" in again.message.content
    assert "0 nominations" in again.message.content
    board = await loopback.command("leaderboard")
    assert "No nominations" in board.embeds[0]["description"]


async def test_nominate_button_under_a_montage(
    app_any_db: BotRun, loopback: LoopbackDiscord
) -> None:
    shown = await loopback.command("montage", {"query": "stick it"})
    vote = await loopback.click(shown, "mb:nominate:stick-it", user=loopback.moderator)
    assert vote.type == 4 and not vote.ephemeral
    assert "nominated **Stick It (2006)" in vote.content and "now 1 nomination" in vote.content


async def test_cooldown_between_nominations(app: BotRun, loopback: LoopbackDiscord) -> None:
    await loopback.command("nominate", {"pick": "creed"})
    fast = await loopback.command("nominate", {"pick": "rocky"})
    assert fast.ephemeral and "Slow down" in fast.content


async def test_two_hundred_members_at_once_count_exactly_two_hundred(
    app_any_db: BotRun, loopback: LoopbackDiscord
) -> None:
    fans = [member(n) for n in range(200)]
    results = await asyncio.gather(
        *(loopback.command("nominate", {"pick": "dangal"}, user=fan, timeout=15) for fan in fans)
    )
    assert all(r.type == 4 and not r.ephemeral for r in results), [
        r.content for r in results if r.ephemeral
    ][:3]
    assert max(r.elapsed for r in results) < 3
    board = await loopback.command("leaderboard")
    assert (
        "Dangal (2016): We don't want to wrestle. — 200 nominations"
        in board.embeds[0]["description"]
    )


async def test_ten_clicks_at_once_count_once(app_any_db: BotRun, loopback: LoopbackDiscord) -> None:
    shown = await loopback.command("montage", {"query": "flashdance"})
    clicks = await asyncio.gather(
        *(
            loopback.click(shown, "mb:nominate:flashdance", user=loopback.moderator)
            for _ in range(10)
        )
    )
    public = [c for c in clicks if not c.ephemeral]
    assert len(public) == 1 and "now 1 nomination" in public[0].content
    assert all("already nominated" in c.content for c in clicks if c.ephemeral)
    board = await loopback.command("leaderboard")
    assert " — 1 nomination" in board.embeds[0]["description"]


async def test_nominations_survive_a_restart(app: BotRun, loopback: LoopbackDiscord) -> None:
    await loopback.command("nominate", {"pick": "i-tonya"})
    await app.restart()
    board = await loopback.command("leaderboard")
    assert "I, Tonya (2017)" in board.embeds[0]["description"]
    mine = await loopback.command("mynominations")
    assert "I, Tonya" in mine.embeds[0]["description"]


async def test_unknown_film_becomes_a_suggestion_and_duplicates_are_caught(
    app_any_db: BotRun, loopback: LoopbackDiscord
) -> None:
    first = await loopback.command("nominate", {"pick": "The Karate Kid", "reason": "wax on"})
    assert first.ephemeral and "suggestion #1" in first.content and "moderators" in first.content
    mine = await loopback.command("mynominations")
    assert "#1 “The Karate Kid”: waiting for the moderators" in mine.embeds[0]["description"]
    dupe = await loopback.command("nominate", {"pick": "karate kid"}, user=loopback.moderator)
    assert dupe.ephemeral and "Did you mean" in dupe.embeds[0]["title"]
    assert "suggestion #1" in dupe.embeds[0]["description"]
    anyway = await loopback.click(dupe, "mb:suggest", user=loopback.moderator)
    assert anyway.ephemeral and "suggestion #2" in anyway.content


async def test_ambiguous_text_asks_did_you_mean(app: BotRun, loopback: LoopbackDiscord) -> None:
    res = await loopback.command("nominate", {"pick": "rocky balboa"})
    assert res.ephemeral and res.embeds[0]["title"] == "Did you mean one of these?"
    assert "mb:nominate:rocky" in res.message.custom_ids
    vote = await loopback.click(res, "mb:nominate:rocky")
    assert "nominated **Rocky (1976)**" in vote.content


async def test_open_suggestions_are_capped(app: BotRun, loopback: LoopbackDiscord) -> None:
    await loopback.command("config max-suggestions", {"count": 2}, user=loopback.owner)
    for title in ("Over the Top", "Bloodsport"):
        assert "suggestion #" in (await loopback.command("nominate", {"pick": title})).content
    third = await loopback.command("nominate", {"pick": "Shaolin Soccer"})
    assert third.ephemeral and "suggestion #" not in third.content
    assert "2 suggestions waiting for review" in third.content


async def test_unnominate_and_mynominations(app: BotRun, loopback: LoopbackDiscord) -> None:
    await no_cooldown(loopback)
    for pick in ("creed", "mulan"):
        await loopback.command("nominate", {"pick": pick})
    choices = await loopback.autocomplete("unnominate", {"pick": "mul"}, "pick")
    assert [c["value"] for c in choices.choices] == ["mulan"]
    res = await loopback.command("unnominate", {"pick": "mulan"})
    assert res.ephemeral and "Withdrawn" in res.content
    mine = await loopback.command("mynominations")
    text = mine.embeds[0]["description"]
    assert "Creed" in text and "Mulan" not in text
    nothing = await loopback.command("unnominate", {"pick": "rocky"})
    assert nothing.ephemeral and "haven't nominated" in nothing.content


async def test_leaderboard_ranks_marks_and_pages(
    app_any_db: BotRun, loopback: LoopbackDiscord
) -> None:
    empty = await loopback.command("leaderboard")
    assert (
        "No nominations" in empty.embeds[0]["description"]
        and "/nominate" in empty.embeds[0]["description"]
    )
    await no_cooldown(loopback)
    ids = [
        m["value"] for m in (await loopback.autocomplete("nominate", {"pick": ""}, "pick")).choices
    ][:12]
    for pick in ids:
        await loopback.command("nominate", {"pick": pick}, user=loopback.moderator)
    await loopback.command("nominate", {"pick": ids[5]})  # alice's pick takes the lead
    board = await loopback.command("leaderboard")
    lines = board.embeds[0]["description"].splitlines()
    assert len(lines) == 10 and lines[0].startswith("**1.**") and "2 nominations ★" in lines[0]
    assert "page 1/2" in board.embeds[0]["footer"]["text"]
    assert lines[1].startswith("**2.**") and "★" not in lines[1]
    page2 = await loopback.click(board, "mb:lb:season:1:1")
    assert page2.type == 7 and "page 2/2" in board.message.embeds[0]["footer"]["text"]
    other = await loopback.click(board, "mb:lb:season:1:0", user=loopback.moderator)
    assert other.ephemeral and other.embeds[0]["description"].count("★") == 10  # bob's own marks
    week = await loopback.command("leaderboard", {"period": "week"})
    assert "this week" in week.embeds[0]["footer"]["text"]


async def test_hostile_text_is_stored_exactly_and_shown_safely(
    app_any_db: BotRun, loopback: LoopbackDiscord
) -> None:
    role = loopback.guild.role("Moderator").id
    reason = (
        f"@everyone @here <@{loopback.owner.id}> <@&{role}> **bold** __u__ `x` zero\u200bwidth "
        "'); DROP TABLE nominations; -- " + "ä" * 700
    )
    assert len(reason) <= 1000
    res = await loopback.command("nominate", {"pick": "enough", "reason": reason})
    assert not res.ephemeral
    message = res.message
    assert message.allowed_mentions == NO_PINGS
    assert (
        not message.mention_everyone
        and not message.mention_user_ids
        and not message.mention_role_ids
    )
    store = await Store.open(app_any_db.settings.database_url)
    try:
        [saved] = await store.member_nominations(loopback.guild.id, loopback.member.id)
    finally:
        await store.close()
    assert saved.reason == reason
    suggestion = await loopback.command(
        "nominate",
        {"pick": "@everyone **The Room** <@42> \u200b'; DROP TABLE suggestions;--"},
        user=loopback.moderator,
    )
    assert suggestion.ephemeral and "suggestion #1" in suggestion.content
    assert suggestion.message.allowed_mentions == NO_PINGS


async def test_servers_do_not_share_nominations(loopback: LoopbackDiscord, sqlite_db: str) -> None:
    other = loopback.add_guild(make_guild(7000, "Other Club"))
    run = BotRun(loopback, bot_settings(loopback, sqlite_db))
    await run.start()
    try:
        await sync_only(run.settings, other.id)
        await loopback.command("nominate", {"pick": "creed"})
        elsewhere = await loopback.command("leaderboard", guild=other)
        assert "No nominations" in elsewhere.embeds[0]["description"]
        mine = await loopback.command("mynominations", guild=other)
        assert "Creed" not in mine.embeds[0]["description"]
    finally:
        await run.stop()
