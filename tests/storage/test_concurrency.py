"""Many members clicking at once: nothing lost, nothing counted twice, limits still hold."""

from __future__ import annotations

import asyncio

from bot.errors import AlreadyNominated, LimitReached
from bot.storage import NominationResult, Store

from .ids import GUILD, MOD, USER


async def test_200_members_nominate_one_pick_at_once(store: Store) -> None:
    # a brand-new guild, so the first writes also race to create its config and season
    results = await asyncio.gather(
        *(store.nominate(GUILD, USER + i, "rocky", f"vote {i}") for i in range(200))
    )
    assert all(isinstance(r, NominationResult) for r in results)
    counts = [r.count for r in results]
    if store.is_sqlite:  # writers are serialised: each saw every earlier nomination
        assert sorted(counts) == list(range(1, 201))
    else:  # READ COMMITTED: each saw at least itself and whatever had committed
        assert all(1 <= c <= 200 for c in counts)
    standing = await store.count_and_rank(GUILD, "rocky")
    assert (standing.count, standing.rank) == (200, 1)
    rows, total = await store.leaderboard(GUILD)
    assert total == 1 and rows[0].count == 200
    assert [s.number for s in await store.seasons(GUILD)] == [1]


async def test_one_member_double_clicking_counts_once(store: Store) -> None:
    outcomes = await asyncio.gather(
        *(store.nominate(GUILD, USER, "rocky", None) for _ in range(10)), return_exceptions=True
    )
    assert sum(isinstance(o, NominationResult) for o in outcomes) == 1
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(errors) == 9 and all(isinstance(e, AlreadyNominated) for e in errors)
    assert (await store.count_and_rank(GUILD, "rocky")).count == 1
    export = await store.export(GUILD)
    assert len(export["nominations"]) == 1


async def test_cooldown_holds_under_concurrency(store: Store) -> None:
    """Different picks at once from one member: the cooldown lets exactly one through."""
    outcomes = await asyncio.gather(
        *(store.nominate(GUILD, USER, f"pick-{i}", None) for i in range(10)),
        return_exceptions=True,
    )
    assert sum(isinstance(o, NominationResult) for o in outcomes) == 1
    assert sum(isinstance(o, LimitReached) for o in outcomes) == 9


async def test_open_suggestion_limit_holds_under_concurrency(store: Store) -> None:
    await store.set_config(GUILD, MOD, max_open_suggestions=2)
    outcomes = await asyncio.gather(
        *(store.suggest(GUILD, USER, f"idea {i}", None) for i in range(8)),
        return_exceptions=True,
    )
    assert sum(isinstance(o, LimitReached) for o in outcomes) == 6
    assert (await store.pending_suggestions(GUILD))[1] == 2


async def test_mixed_readers_and_writers(store: Store) -> None:
    await store.set_config(GUILD, MOD, cooldown_seconds=0)

    async def member(i: int) -> None:
        await store.nominate(GUILD, USER + i, f"pick-{i % 5}", None)
        await store.leaderboard(GUILD)
        await store.member_nominations(GUILD, USER + i)

    await asyncio.gather(*(member(i) for i in range(60)))
    rows, total = await store.leaderboard(GUILD)
    assert total == 5 and sum(r.count for r in rows) == 60
