"""What typed text in /nominate becomes: a nomination at once, a "did you mean", or a suggestion."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.catalog import load_catalog
from bot.picks import Picks, similar_pending
from bot.search import MontageIndex
from bot.storage.models import Suggestion


def suggestion(id_: int, text: str, status: str = "approved") -> Suggestion:
    now = dt.datetime.now(dt.UTC)
    decided = status != "pending"
    return Suggestion(
        id=id_,
        guild_id=1,
        user_id=2,
        text=text,
        reason=None,
        status=status,
        created_at=now,
        decided_by=3 if decided else None,
        decided_at=now if decided else None,
        decision_reason=None,
    )


@pytest.fixture(scope="module")
def picks() -> Picks:
    catalog = load_catalog()
    return Picks(catalog, MontageIndex(catalog), [suggestion(7, "The Karate Kid")])


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("kill bill", "kill-bill-vol-2"),
        ("Kill Bill 2", "kill-bill-vol-2"),
        ("the iron claw", "the-iron-claw"),
        ("million dolar baby", "million-dollar-baby"),
        ("creed", "creed"),
        ("karate kid", "community:7"),
    ],
)
def test_a_whole_name_counts_at_once(picks: Picks, typed: str, key: str) -> None:
    assert picks.resolve(typed).pick is not None
    assert picks.resolve(typed).pick.key == key


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Creed II", "creed"),
        ("Rocky V", "rocky"),
        ("Mulan 2020", "mulan"),
        ("stick it 2", "stick-it"),
        ("kil bil", "kill-bill-vol-2"),
        ("rocky balboa", "rocky"),
    ],
)
def test_sequels_partial_and_ambiguous_text_ask_first(picks: Picks, typed: str, meant: str) -> None:
    resolution = picks.resolve(typed)
    assert resolution.pick is None
    assert meant in [p.key for p in resolution.near]


@pytest.mark.parametrize(
    "typed", ["Shaolin Soccer", "Over the Top", "Whiplash", "Chariots of Fire"]
)
def test_unknown_films_become_suggestions(picks: Picks, typed: str) -> None:
    assert picks.resolve(typed).is_new


def test_community_entries_are_labelled_and_rejected_ones_ignored() -> None:
    catalog = load_catalog()
    picks = Picks(
        catalog,
        MontageIndex(catalog),
        [suggestion(1, "Rudy"), suggestion(2, "Hoosiers", "rejected")],
    )
    assert picks.get("community:1").label == "Rudy (community)"
    assert picks.get("community:2") is None
    assert "withdrawn" in picks.label("community:2")
    assert "no longer in the catalog" in picks.label("gone-film")


def test_pending_duplicates_are_found() -> None:
    pending = [suggestion(4, "The Karate Kid", "pending"), suggestion(5, "Rudy", "pending")]
    assert [s.id for s in similar_pending("karate kid", pending)] == [4]
    assert similar_pending("Bloodsport", pending) == []
