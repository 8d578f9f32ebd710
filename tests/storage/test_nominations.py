"""Nominations, counts, ranks and the leaderboard, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import AlreadyNominated, InvalidInput, LimitReached, NotAllowed, NotFound
from bot.storage import Store

from .ids import GUILD, MOD, OTHER_GUILD, USER

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


async def test_nominate_counts_and_ranks(store: Store) -> None:
    first = await store.nominate(GUILD, USER + 1, "rocky", "the stairs", now=at(0))
    assert (first.pick_key, first.count, first.rank, first.season) == ("rocky", 1, 1, 1)
    await store.nominate(GUILD, USER + 2, "kill-bill-vol-2", None, now=at(1))
    second = await store.nominate(GUILD, USER + 3, "kill-bill-vol-2", None, now=at(2))
    assert (second.count, second.rank) == (2, 1)
    standing = await store.count_and_rank(GUILD, "rocky")
    assert (standing.count, standing.rank, standing.season) == (1, 2, 1)
    missing = await store.count_and_rank(GUILD, "nobody-picked-this")
    assert (missing.count, missing.rank) == (0, None)


async def test_ties_break_by_earliest_first_nomination_then_key(store: Store) -> None:
    await store.nominate(GUILD, USER + 1, "b-pick", None, now=at(0))
    await store.nominate(GUILD, USER + 2, "a-pick", None, now=at(5))
    await store.nominate(GUILD, USER + 3, "c-pick", None, now=at(0))  # same instant as b-pick
    rows, total = await store.leaderboard(GUILD)
    assert total == 3
    assert [(r.rank, r.pick_key, r.count) for r in rows] == [
        (1, "b-pick", 1),
        (2, "c-pick", 1),
        (3, "a-pick", 1),
    ]
    assert rows[0].first_at == at(0)
    assert rows[0].first_at.tzinfo is not None


async def test_same_member_same_pick_is_already_nominated(store: Store) -> None:
    await store.set_config(GUILD, MOD, cooldown_seconds=0)  # the unique constraint answers
    await store.nominate(GUILD, USER + 1, "rocky", None, now=at(0))
    with pytest.raises(AlreadyNominated) as caught:
        await store.nominate(GUILD, USER + 1, "rocky", "again", now=at(100))
    assert caught.value.pick_key == "rocky"
    await store.set_config(GUILD, MOD, cooldown_seconds=30)  # the cooldown path answers the same
    with pytest.raises(AlreadyNominated):
        await store.nominate(GUILD, USER + 1, "rocky", None, now=at(5))
    assert (await store.count_and_rank(GUILD, "rocky")).count == 1


async def test_cooldown_says_how_long_to_wait(store: Store) -> None:
    await store.nominate(GUILD, USER + 1, "rocky", None, now=at(0))
    with pytest.raises(LimitReached, match="in 20 seconds"):
        await store.nominate(GUILD, USER + 1, "creed", None, now=at(10))
    with pytest.raises(LimitReached, match=r"in 1 second\b"):
        await store.nominate(GUILD, USER + 1, "creed", None, now=at(29.5))
    await store.nominate(GUILD, USER + 1, "creed", None, now=at(30))
    # other members and other guilds are not slowed down
    await store.nominate(GUILD, USER + 2, "creed", None, now=at(31))
    await store.nominate(OTHER_GUILD, USER + 1, "creed", None, now=at(31))


async def test_blocked_member_cannot_nominate(store: Store) -> None:
    await store.block(GUILD, MOD, USER + 1, "spam")
    with pytest.raises(NotAllowed):
        await store.nominate(GUILD, USER + 1, "rocky", None)
    await store.nominate(OTHER_GUILD, USER + 1, "rocky", None)  # blocks are per guild
    await store.unblock(GUILD, MOD, USER + 1)
    await store.nominate(GUILD, USER + 1, "rocky", None)


async def test_unnominate_and_moderator_removal(store: Store) -> None:
    await store.set_config(GUILD, MOD, cooldown_seconds=0)
    await store.nominate(GUILD, USER + 1, "rocky", None)
    await store.nominate(GUILD, USER + 2, "rocky", None)
    await store.unnominate(GUILD, USER + 1, "rocky")
    with pytest.raises(NotFound):
        await store.unnominate(GUILD, USER + 1, "rocky")
    with pytest.raises(NotFound):
        await store.remove_nomination(OTHER_GUILD, MOD, USER + 2, "rocky")  # not their guild
    await store.remove_nomination(GUILD, MOD, USER + 2, "rocky")
    with pytest.raises(NotFound):
        await store.remove_nomination(GUILD, MOD, USER + 2, "rocky")
    assert (await store.count_and_rank(GUILD, "rocky")).count == 0
    entries, _ = await store.audit_log(GUILD)
    assert (entries[0].action, entries[0].actor_id, entries[0].target, entries[0].detail) == (
        "nomination.remove",
        MOD,
        f"user:{USER + 2}",
        "rocky",
    )
    # withdrawn nominations may be made again
    await store.nominate(GUILD, USER + 1, "rocky", None)


async def test_member_nominations_show_counts(store: Store) -> None:
    await store.set_config(GUILD, MOD, cooldown_seconds=0)
    await store.nominate(GUILD, USER + 1, "rocky", "stairs", now=at(0))
    await store.nominate(GUILD, USER + 1, "creed", None, now=at(1))
    await store.nominate(GUILD, USER + 2, "creed", None, now=at(2))
    await store.nominate(GUILD, USER + 3, "other", None, now=at(3))
    mine = await store.member_nominations(GUILD, USER + 1)
    assert [(m.pick_key, m.count, m.rank, m.reason) for m in mine] == [
        ("creed", 2, 1, None),
        ("rocky", 1, 2, "stairs"),
    ]
    assert await store.member_nominations(OTHER_GUILD, USER + 1) == []


async def test_leaderboard_pages_since_and_limits(store: Store) -> None:
    await store.set_config(GUILD, MOD, cooldown_seconds=0)
    for i in range(12):
        for voter in range(12 - i):  # pick-00 has 12 votes, pick-11 has 1
            await store.nominate(GUILD, USER + voter, f"pick-{i:02}", None, now=at(i))
    rows, total = await store.leaderboard(GUILD, limit=5)
    assert total == 12
    assert [r.pick_key for r in rows] == [f"pick-{i:02}" for i in range(5)]
    assert [r.count for r in rows] == [12, 11, 10, 9, 8]
    page3, total = await store.leaderboard(GUILD, limit=5, offset=10)
    assert [r.rank for r in page3] == [11, 12] and total == 12
    beyond, total = await store.leaderboard(GUILD, limit=5, offset=50)
    assert beyond == [] and total == 12
    recent, total = await store.leaderboard(GUILD, since=at(10))
    assert [(r.rank, r.pick_key, r.count) for r in recent] == [(1, "pick-10", 2), (2, "pick-11", 1)]
    assert total == 2
    for bad in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        with pytest.raises(InvalidInput):
            await store.leaderboard(GUILD, **bad)  # type: ignore[arg-type]


async def test_guilds_are_isolated(store: Store) -> None:
    await store.nominate(GUILD, USER + 1, "rocky", None)
    await store.nominate(OTHER_GUILD, USER + 1, "rocky", None)
    await store.nominate(OTHER_GUILD, USER + 2, "rocky", None)
    assert (await store.count_and_rank(GUILD, "rocky")).count == 1
    assert (await store.count_and_rank(OTHER_GUILD, "rocky")).count == 2
    await store.end_season(OTHER_GUILD, MOD)
    assert (await store.get_config(GUILD)).current_season == 1
    rows, total = await store.leaderboard(GUILD)
    assert total == 1 and rows[0].count == 1
    assert (await store.leaderboard(OTHER_GUILD))[1] == 0


@pytest.mark.parametrize(
    "pick_key", ["", "   ", "x" * 201, "community:abc", "community:007", "bad\x00key"]
)
async def test_bad_pick_keys_are_refused(store: Store, pick_key: str) -> None:
    with pytest.raises(InvalidInput):
        await store.nominate(GUILD, USER + 1, pick_key, None)


async def test_unknown_or_unapproved_community_entries_are_refused(store: Store) -> None:
    with pytest.raises(NotFound):
        await store.nominate(GUILD, USER + 1, "community:999", None)
    pending = await store.suggest(GUILD, USER + 2, "Some montage", None)
    with pytest.raises(NotFound):
        await store.nominate(GUILD, USER + 1, pending.pick_key, None)
    with pytest.raises(InvalidInput):
        await store.nominate(GUILD, USER + 1, "rocky", None, suggestion_id=pending.id)
