"""Config, blocks, seasons, the audit log and export."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.storage import GuildConfig, Store

from .ids import GUILD, MOD, OTHER_GUILD, USER


async def test_config_defaults_updates_and_clears(store: Store) -> None:
    assert await store.get_config(GUILD) == GuildConfig(guild_id=GUILD)
    config = await store.set_config(GUILD, MOD, review_channel_id=5 * 10**17, mod_role_id=7)
    assert (config.review_channel_id, config.mod_role_id, config.cooldown_seconds) == (
        5 * 10**17,
        7,
        30,
    )
    config = await store.set_config(GUILD, MOD, mod_role_id=None, max_open_suggestions=1)
    assert (config.review_channel_id, config.mod_role_id, config.max_open_suggestions) == (
        5 * 10**17,
        None,
        1,
    )
    assert await store.get_config(GUILD) == config
    assert await store.get_config(OTHER_GUILD) == GuildConfig(guild_id=OTHER_GUILD)
    for bad in ({"cooldown_seconds": -1}, {"max_open_suggestions": 1000}):
        with pytest.raises(InvalidInput):
            await store.set_config(GUILD, MOD, **bad)  # type: ignore[arg-type]
    entries, total = await store.audit_log(GUILD)
    assert total == 2 and entries[0].action == "config.set"
    assert json.loads(entries[0].detail) == {"mod_role_id": None, "max_open_suggestions": 1}


async def test_blocks_are_audited(store: Store) -> None:
    assert not await store.is_blocked(GUILD, USER)
    await store.block(GUILD, MOD, USER, "spam")
    await store.block(GUILD, MOD + 1, USER, "more spam")  # again: updates, still one block
    assert await store.is_blocked(GUILD, USER)
    assert not await store.is_blocked(OTHER_GUILD, USER)
    [block] = await store.blocked_members(GUILD)
    assert (block.user_id, block.reason, block.blocked_by) == (USER, "more spam", MOD + 1)
    with pytest.raises(NotFound):
        await store.unblock(OTHER_GUILD, MOD, USER)
    await store.unblock(GUILD, MOD, USER)
    with pytest.raises(NotFound):
        await store.unblock(GUILD, MOD, USER)
    entries, _ = await store.audit_log(GUILD)
    assert [(e.action, e.target) for e in entries] == [
        ("member.unblock", f"user:{USER}"),
        ("member.block", f"user:{USER}"),
        ("member.block", f"user:{USER}"),
    ]


async def test_end_season_archives_the_old_one(store: Store) -> None:
    await store.set_config(GUILD, MOD, cooldown_seconds=0)
    await store.nominate(GUILD, USER + 1, "rocky", None)
    await store.nominate(GUILD, USER + 2, "rocky", None)
    assert await store.end_season(GUILD, MOD) == 2
    assert (await store.get_config(GUILD)).current_season == 2
    assert await store.leaderboard(GUILD) == ([], 0)
    old, total = await store.leaderboard(GUILD, season=1)
    assert total == 1 and (old[0].pick_key, old[0].count) == ("rocky", 2)
    # a new season means everyone may nominate the same montage again
    result = await store.nominate(GUILD, USER + 1, "rocky", None)
    assert (result.count, result.season) == (1, 2)
    assert [n.season for n in await store.member_nominations(GUILD, USER + 1)] == [2]
    with pytest.raises(NotFound):  # withdrawing only touches the current season
        await store.unnominate(GUILD, USER + 2, "rocky")
    seasons = await store.seasons(GUILD)
    assert [(s.number, s.ended_by) for s in seasons] == [(1, MOD), (2, None)]
    assert seasons[0].ended_at is not None and seasons[1].ended_at is None
    assert seasons[0].ended_at == seasons[1].started_at
    assert await store.seasons(OTHER_GUILD) == []
    assert (await store.audit_log(GUILD))[0][0].action == "season.end"


async def test_end_season_for_a_new_guild(store: Store) -> None:
    assert await store.end_season(OTHER_GUILD, MOD) == 2
    assert [s.number for s in await store.seasons(OTHER_GUILD)] == [1, 2]


async def test_concurrent_season_ends_never_skip_a_number(store: Store) -> None:
    await store.nominate(GUILD, USER, "rocky", None)
    results = await asyncio.gather(*(store.end_season(GUILD, MOD) for _ in range(4)))
    assert sorted(results) == [2, 3, 4, 5]
    assert [s.number for s in await store.seasons(GUILD)] == [1, 2, 3, 4, 5]
    # with the season the moderator saw, a double click ends only one season
    outcomes = await asyncio.gather(
        *(store.end_season(GUILD, MOD, expected=5) for _ in range(3)), return_exceptions=True
    )
    assert sorted(o for o in outcomes if isinstance(o, int)) == [6]
    assert sum(isinstance(o, NotAllowed) for o in outcomes) == 2
    assert (await store.get_config(GUILD)).current_season == 6


async def test_audit_log_pages_and_record(store: Store) -> None:
    for i in range(5):
        await store.record_audit(GUILD, MOD, "custom.thing", f"target {i}", "detail")
    await store.record_audit(OTHER_GUILD, MOD, "custom.thing")
    page, total = await store.audit_log(GUILD, limit=2, offset=1)
    assert total == 5 and [e.target for e in page] == ["target 3", "target 2"]
    assert page[0].created_at.tzinfo is not None


async def test_export_is_json_and_guild_scoped(store: Store) -> None:
    await store.set_config(GUILD, MOD, cooldown_seconds=0)
    await store.nominate(GUILD, USER, "rocky", "<@123> **why** not")
    made = await store.suggest(GUILD, USER, "Rain montage", None)
    await store.decide(GUILD, made.id, MOD, True)
    await store.block(GUILD, MOD, USER + 9, None)
    await store.nominate(OTHER_GUILD, USER, "secret", None)
    await store.suggest(OTHER_GUILD, USER, "secret idea", None)

    data = json.loads(json.dumps(await store.export(GUILD)))
    assert data["guild_id"] == GUILD
    assert data["config"]["cooldown_seconds"] == 0
    assert {n["pick_key"] for n in data["nominations"]} == {"rocky", made.pick_key}
    assert [s["text"] for s in data["suggestions"]] == ["Rain montage"]
    assert [b["user_id"] for b in data["blocks"]] == [USER + 9]
    assert [s["number"] for s in data["seasons"]] == [1]
    assert {a["action"] for a in data["audit"]} == {
        "config.set",
        "suggestion.approved",
        "member.block",
    }
    assert all(row["guild_id"] == GUILD for key in ("nominations", "audit") for row in data[key])
    empty = await store.export(OTHER_GUILD + 1)
    assert empty["nominations"] == [] and empty["config"]["current_season"] == 1
