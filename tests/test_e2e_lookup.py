"""/montage, /random, /bysong and /help through the real client and the loopback Discord."""

from __future__ import annotations

import logging
import re

import discord
import pytest
from harness import BotRun, bot_settings
from loopback import APP_PERMISSIONS, LoopbackDiscord

from bot.search import MontageIndex

NO_PINGS = {"parse": []}
LOOKUPS = ("montage", "random", "bysong", "help")


def registered(fake: LoopbackDiscord, guild_id: int | None = None) -> dict[str, dict]:
    commands = fake.commands[guild_id] if guild_id else fake.commands[None]
    return {c["name"]: c for c in commands}


def custom_ids(message) -> list[str]:
    return message.custom_ids


def field(embed: dict, name: str) -> str:
    return next(f["value"] for f in embed["fields"] if f["name"].startswith(name))


async def test_commands_are_registered_with_their_options(
    app: BotRun, loopback: LoopbackDiscord
) -> None:
    commands = registered(loopback, loopback.guild.id)
    assert set(LOOKUPS) <= commands.keys()
    montage = commands["montage"]["options"][0]
    assert (montage["name"], montage["type"], montage["required"], montage["autocomplete"]) == (
        "query",
        3,
        True,
        True,
    )
    bysong = commands["bysong"]["options"][0]
    assert bysong["name"] == "query" and bysong["autocomplete"] is True
    random_options = {o["name"]: o for o in commands["random"]["options"]}
    assert random_options["tag"]["autocomplete"] is True and not random_options["tag"]["required"]
    decades = [c["value"] for c in random_options["decade"]["choices"]]
    assert {"1980s", "1990s", "2000s", "2010s", "2020s"} <= set(decades)
    for name in LOOKUPS:  # usable in servers, DMs and private channels, installed either way
        assert sorted(commands[name]["contexts"]) == [0, 1, 2]
        assert sorted(commands[name]["integration_types"]) == [0, 1]
    assert loopback.global_syncs == 0  # DEV_GUILD_ID set: registered with that server only


async def test_only_the_guilds_intent_and_no_pings(app: BotRun, loopback: LoopbackDiscord) -> None:
    assert loopback.connections[-1].intents == discord.Intents(guilds=True).value


async def test_montage_answers_with_the_full_embed(app: BotRun, loopback: LoopbackDiscord) -> None:
    res = await loopback.command("montage", {"query": "kil bil"})
    assert res.type == 4 and not res.ephemeral
    assert res.elapsed < 3
    embed = res.embeds[0]
    assert embed["title"] == "Kill Bill: Vol. 2 (2004)"
    assert "Pai Mei" in field(embed, "Montage")
    assert "Invincible Pole Fighter - Sho Chun Hou, Stephen Shing" in field(embed, "Music")
    assert "Uma Thurman as Beatrix Kiddo" in field(embed, "Starring")
    assert field(embed, "Directed by") == "Quentin Tarantino"
    assert "martial arts" in field(embed, "Tags")
    assert embed["description"]
    buttons = [c for row in res.message.components for c in row["components"]]
    link = next(b for b in buttons if b.get("url"))
    assert link["url"].startswith("https://www.youtube.com/results?search_query=Kill+Bill")
    assert "mb:nominate:kill-bill-vol-2" in res.message.custom_ids
    assert res.message.allowed_mentions == NO_PINGS


async def test_embed_shows_where_to_watch_with_its_date(
    app: BotRun, loopback: LoopbackDiscord
) -> None:
    res = await loopback.command("montage", {"query": "beau travail"})
    watch = next(f for f in res.embeds[0]["fields"] if f["name"].startswith("Where to watch"))
    assert "2024-03" in watch["name"] and "Criterion" in watch["value"]


async def test_close_matches_are_offered_and_can_be_picked(
    app: BotRun, loopback: LoopbackDiscord
) -> None:
    res = await loopback.command("montage", {"query": "rocky balboa"})
    shown = res.embeds[0]["title"]
    others = [c for c in res.message.custom_ids if c.startswith("mb:show:")]
    assert others, "near-equal matches should be offered, not silently dropped"
    assert "Close matches" in (res.content or "")
    picked = await loopback.click(res, others[0])
    assert picked.type == 7  # the member who asked swaps the answer in place
    assert res.message.embeds[0]["title"] != shown


async def test_autocomplete_offers_ids_within_discord_limits(
    app: BotRun, loopback: LoopbackDiscord
) -> None:
    for typed in ("", "k", "kil", "margot robbie", "the", "xqzvbn"):
        res = await loopback.autocomplete("montage", {"query": typed}, "query")
        assert res.type == 8 and res.elapsed < 3
        assert len(res.choices) <= 25
        assert all(1 <= len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in res.choices)
    res = await loopback.autocomplete("montage", {"query": "margot robbie"}, "query")
    assert res.choices[0]["value"] == "i-tonya"
    exact = await loopback.command("montage", {"query": "i-tonya"})
    assert exact.embeds[0]["title"] == "I, Tonya (2017)"
    songs = await loopback.autocomplete("bysong", {"query": "barracud"}, "query")
    assert songs.choices[0]["value"] == "i-tonya" and "Barracuda" in songs.choices[0]["name"]
    tags = await loopback.autocomplete("random", {"tag": "box"}, "tag")
    assert tags.choices[0]["value"] == "boxing"


async def test_nothing_matches_is_a_short_private_answer(
    app: BotRun, loopback: LoopbackDiscord
) -> None:
    res = await loopback.command("montage", {"query": "xqzvbn"})
    assert res.type == 4 and res.ephemeral and not res.embeds
    assert "xqzvbn" in res.content and "/random" in res.content
    song = await loopback.command("bysong", {"query": "xqzvbn"})
    assert song.ephemeral and "/random" in song.content and not song.embeds


async def test_near_miss_suggests_close_spellings(app: BotRun, loopback: LoopbackDiscord) -> None:
    res = await loopback.command("montage", {"query": "kill bell vol three hundred"})
    if res.embeds:  # still a match: fine, but then it must be the right one
        assert res.embeds[0]["title"].startswith("Kill Bill")
    else:
        assert "Close spellings" in res.content and "Kill Bill" in res.content


async def test_random_filters_and_rerolls_in_place(app: BotRun, loopback: LoopbackDiscord) -> None:
    res = await loopback.command("random", {"tag": "boxing"})
    assert res.type == 4 and "boxing" in field(res.embeds[0], "Tags")
    again = next(c for c in res.message.custom_ids if c.startswith("mb:again:boxing:"))
    first = res.embeds[0]["title"]
    click = await loopback.click(res, again)
    assert click.type == 7 and click.elapsed < 3
    assert res.message.embeds[0]["title"] != first  # several boxing montages: never the same twice
    assert "boxing" in field(res.message.embeds[0], "Tags")
    decade = await loopback.command("random", {"decade": "1990s"})
    assert re.search(r"\(199\d\)", decade.embeds[0]["title"])
    none = await loopback.command("random", {"tag": "boxing", "decade": "1950s"})
    assert none.ephemeral and "1950s" in none.content
    unknown = await loopback.command("random", {"tag": "boxng"})
    assert unknown.ephemeral and "boxing" in unknown.content


async def test_bysong_finds_the_montage_using_the_song(
    app: BotRun, loopback: LoopbackDiscord
) -> None:
    res = await loopback.command("bysong", {"query": "grean day"})
    assert res.embeds[0]["title"] == "Stick It (2006)"
    assert res.embeds[0]["author"]["name"] == "♪ Brain Stew by Green Day"
    composer = await loopback.command("bysong", {"query": "Goransson"})
    assert composer.embeds[0]["title"] == "Creed (2015)"


async def test_help_is_one_private_embed_listing_every_command(
    app: BotRun, loopback: LoopbackDiscord
) -> None:
    res = await loopback.command("help")
    assert res.ephemeral and len(res.embeds) == 1
    text = res.embeds[0]["description"]
    for name in ("/montage", "/random", "/bysong", "/nominate", "/leaderboard"):
        assert name in text


async def test_buttons_work_after_a_restart(app: BotRun, loopback: LoopbackDiscord) -> None:
    res = await loopback.command("random", {"tag": "boxing"})
    again = next(c for c in res.message.custom_ids if c.startswith("mb:again:"))
    await app.restart()
    click = await loopback.click(res, again)
    assert click.type == 7 and "boxing" in field(res.message.embeds[0], "Tags")


async def test_unexpected_error_gets_an_apology_with_a_logged_reference(
    app: BotRun,
    loopback: LoopbackDiscord,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: object, **kwargs: object) -> list:
        raise RuntimeError("search index exploded")

    res = await loopback.command("random", {"tag": "boxing"})
    monkeypatch.setattr(MontageIndex, "search", broken)
    monkeypatch.setattr("bot.catalog.Catalog.filter", broken)
    with caplog.at_level(logging.ERROR):
        failed = await loopback.command("montage", {"query": "rocky balboa"})
        typed = await loopback.autocomplete("montage", {"query": "rock"}, "query")
        clicked = await loopback.click(
            res, next(c for c in res.message.custom_ids if c.startswith("mb:again:"))
        )
    for record in (failed, clicked):
        assert record.ephemeral and record.elapsed < 3
        ref = re.search(r"reference `([0-9a-f]{8})`", record.content).group(1)
        assert any(ref in r.getMessage() and r.exc_info for r in caplog.records)
        assert "Traceback" not in record.content and "exploded" not in record.content
    assert typed.type == 8 and typed.choices == []  # autocomplete answered, never left hanging


async def test_mentions_in_a_query_ping_nobody(app: BotRun, loopback: LoopbackDiscord) -> None:
    query = f"@everyone <@{loopback.owner.id}> <@&{loopback.guild.role('Moderator').id}> **bold**"
    res = await loopback.command("montage", {"query": query})
    assert res.message.allowed_mentions == NO_PINGS
    assert not res.message.mention_everyone and not res.message.mention_user_ids
    assert not res.message.mention_role_ids
    assert "**bold**" not in res.content  # markdown is shown literally, not rendered


async def test_missing_embed_links_is_explained(app: BotRun, loopback: LoopbackDiscord) -> None:
    without = APP_PERMISSIONS & ~discord.Permissions(embed_links=True).value
    for name, options in [("montage", {"query": "rocky"}), ("help", {}), ("leaderboard", {})]:
        res = await loopback.command(name, options, app_permissions=without)
        assert res.ephemeral and "Embed Links" in res.content and not res.embeds


async def test_every_answer_within_three_seconds(app: BotRun, loopback: LoopbackDiscord) -> None:
    await loopback.command("montage", {"query": "creed"})
    await loopback.command("bysong", {"query": "heart"})
    await loopback.autocomplete("bysong", {"query": "he"}, "query")
    assert loopback.records
    assert all(r.elapsed is not None and r.elapsed < 3 for r in loopback.records)
    assert not any(r.error_codes for r in loopback.records)


async def test_user_install_in_dms_and_global_sync_only_when_changed(
    loopback: LoopbackDiscord, sqlite_db: str
) -> None:
    run = BotRun(loopback, bot_settings(loopback, sqlite_db, dev_guild_id=None))
    await run.start()
    try:
        assert loopback.global_syncs == 1  # first start: nothing registered yet
        res = await loopback.command("montage", {"query": "mulan"}, dm=True, user_install=True)
        assert res.type == 4 and res.embeds[0]["title"] == "Mulan (1998)"
        assert not any(c.startswith("mb:nominate:") for c in res.message.custom_ids)
        # Installed to the member's account in someone else's server: lookups work, but that
        # server's nominations are not this app's to take.
        there = await loopback.command("montage", {"query": "mulan"}, user_install=True)
        assert there.type == 4 and not any(
            c.startswith("mb:nominate:") for c in there.message.custom_ids
        )
        here = await loopback.command("montage", {"query": "mulan"})
        assert "mb:nominate:mulan" in here.message.custom_ids
        await run.restart()
        assert loopback.global_syncs == 1  # same definitions: no re-sync on every start
    finally:
        await run.stop()


async def test_stop_closes_the_gateway(app: BotRun, loopback: LoopbackDiscord) -> None:
    connection = loopback.connections[-1]
    await app.stop()
    assert connection.closed


async def test_a_stale_command_gets_words_not_an_apology(
    app: BotRun, loopback: LoopbackDiscord
) -> None:
    loopback.strict_commands = False  # Discord can still send a command the bot no longer has
    res = await loopback.command("oldcommand", {})
    assert res.ephemeral and "That command has changed" in res.content
