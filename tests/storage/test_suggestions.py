"""Suggestions, the review queue, decisions and community entries."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput, LimitReached, NotAllowed, NotFound
from bot.storage import Store

from .ids import GUILD, MOD, OTHER_GUILD, USER

NASTY = [
    "@everyone @here look",
    "<@123> <@&456> <#789> hi",
    "**bold** __under__ `code` ```block``` ||spoiler|| > quote",
    "zero\u200bwidth\u200d\ufeffjoin",
    "'; DROP TABLE suggestions; --",
    "Robert'); DELETE FROM nominations WHERE ('1'='1",
    "emoji 🥊🏋️‍♀️ and RTL \u202eevil",
    "  leading and trailing spaces  ",
    "percent %s %(x)s $1 ? :name",
    "line\nbreaks\r\nand\ttabs",
]


@pytest.mark.parametrize("text", NASTY)
async def test_text_and_reasons_are_stored_exactly(store: Store, text: str) -> None:
    long_reason = ("Eye of the tiger. " * 100) + text  # 1800+ characters
    made = await store.suggest(GUILD, USER + 1, text, long_reason)
    again = await store.get_suggestion(GUILD, made.id)
    assert again.text == text and again.reason == long_reason
    await store.decide(GUILD, made.id, MOD, True, text)
    await store.set_config(GUILD, MOD, cooldown_seconds=0)
    await store.nominate(GUILD, USER + 2, text.strip() or "x", long_reason)
    exported = await store.export(GUILD)
    assert exported["suggestions"][0]["text"] == text
    assert exported["suggestions"][0]["decision_reason"] == text
    assert {n["reason"] for n in exported["nominations"]} == {None, long_reason}


@pytest.mark.parametrize("text", ["", "   ", "\n", "x" * 201, "nul\x00byte", "lone \ud800"])
async def test_bad_suggestions_are_refused(store: Store, text: str) -> None:
    with pytest.raises(InvalidInput):
        await store.suggest(GUILD, USER + 1, text, None)
    assert (await store.all_suggestions(GUILD))[1] == 0


async def test_limits_and_blocks(store: Store) -> None:
    await store.suggest(GUILD, USER + 1, "x" * 200, None)  # exactly at the limit is fine
    await store.suggest(GUILD, USER + 1, "two", None)
    third = await store.suggest(GUILD, USER + 1, "three", None)
    with pytest.raises(LimitReached, match="3 suggestions"):
        await store.suggest(GUILD, USER + 1, "four", None)
    await store.suggest(GUILD, USER + 2, "someone else", None)
    await store.decide(GUILD, third.id, MOD, False, "duplicate")
    await store.suggest(GUILD, USER + 1, "four", None)  # a decision frees a slot
    await store.block(GUILD, MOD, USER + 3, None)
    with pytest.raises(NotAllowed):
        await store.suggest(GUILD, USER + 3, "blocked", None)
    mine = await store.member_suggestions(GUILD, USER + 1)
    assert [s.text for s in mine][:2] == ["four", "three"]
    assert mine[1].status == "rejected" and mine[1].decision_reason == "duplicate"


async def test_another_guild_cannot_see_or_decide(store: Store) -> None:
    made = await store.suggest(GUILD, USER + 1, "Mine", None)
    with pytest.raises(NotFound):
        await store.get_suggestion(OTHER_GUILD, made.id)
    with pytest.raises(NotFound):
        await store.decide(OTHER_GUILD, made.id, MOD, True)
    with pytest.raises(NotFound):
        await store.nominate(OTHER_GUILD, USER + 2, made.pick_key, None)
    assert (await store.get_suggestion(GUILD, made.id)).status == "pending"
    assert await store.pending_suggestions(OTHER_GUILD) == ([], 0)
    assert (await store.audit_log(OTHER_GUILD))[1] == 0


async def test_approve_reject_reapprove(store: Store) -> None:
    await store.set_config(GUILD, MOD, cooldown_seconds=0)
    made = await store.suggest(GUILD, USER + 1, "Training in the rain", "so wet")
    approved = await store.decide(GUILD, made.id, MOD, True, "love it")
    assert (approved.status, approved.decided_by, approved.decision_reason) == (
        "approved",
        MOD,
        "love it",
    )
    assert approved.decided_at is not None
    assert [s.id for s in await store.community_entries(GUILD)] == [made.id]
    key = made.pick_key
    assert key == f"community:{made.id}"
    # the suggester's own nomination comes with approval; others can nominate it too
    result = await store.nominate(GUILD, USER + 2, key, "yes")
    assert (result.count, result.rank) == (2, 1)
    await store.nominate(GUILD, USER + 3, "rocky", None)

    rejected = await store.decide(GUILD, made.id, MOD + 1, False, "changed my mind")
    assert (rejected.status, rejected.decided_by) == ("rejected", MOD + 1)
    rows, total = await store.leaderboard(GUILD)
    assert [r.pick_key for r in rows] == ["rocky"] and total == 1
    assert await store.community_entries(GUILD) == []
    assert [n.pick_key for n in await store.member_nominations(GUILD, USER + 2)] == []
    with pytest.raises(NotFound):
        await store.nominate(GUILD, USER + 4, key, None)

    await store.decide(GUILD, made.id, MOD, True)
    await store.decide(GUILD, made.id, MOD, True)  # approving twice never double counts
    rows, _ = await store.leaderboard(GUILD)
    assert [(r.pick_key, r.count) for r in rows] == [(key, 2), ("rocky", 1)]
    actions = [e.action for e in (await store.audit_log(GUILD))[0]]
    assert actions[:4] == [
        "suggestion.approved",
        "suggestion.approved",
        "suggestion.rejected",
        "suggestion.approved",
    ]


async def test_queue_pages_and_listing(store: Store) -> None:
    made = [await store.suggest(GUILD, USER + i, f"idea {i}", None) for i in range(5)]
    await store.suggest(OTHER_GUILD, USER, "elsewhere", None)
    page, total = await store.pending_suggestions(GUILD, limit=2)
    assert total == 5 and [s.id for s in page] == [made[0].id, made[1].id]  # oldest first
    page, total = await store.pending_suggestions(GUILD, limit=2, offset=4)
    assert total == 5 and [s.id for s in page] == [made[4].id]
    await store.decide(GUILD, made[0].id, MOD, True)
    await store.decide(GUILD, made[1].id, MOD, False)
    assert (await store.pending_suggestions(GUILD))[1] == 3
    everything, total = await store.all_suggestions(GUILD)
    assert total == 5 and everything[0].id == made[4].id  # newest first
    approved, total = await store.all_suggestions(GUILD, status="approved")
    assert total == 1 and approved[0].decided_by == MOD
    rejected, _ = await store.all_suggestions(GUILD, status="rejected")
    assert [s.id for s in rejected] == [made[1].id]
    with pytest.raises(ValueError):
        await store.all_suggestions(GUILD, status="bogus")
