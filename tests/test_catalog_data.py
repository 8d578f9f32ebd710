"""The bundled catalog agrees with the source article it was built from."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

import pytest

from bot.catalog import Catalog, Montage, bundled_catalog_path, load_catalog

ARTICLE = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "sources"
    / "best-training-montages-article.txt"
)


class Pick(NamedTuple):
    film: str
    year: int
    title: str
    music: list[tuple[str, list[str], str]]
    """(title, artists, kind) of every piece the article names."""
    actors: list[str]
    directors: list[str]


PICKS: list[Pick] = [
    Pick("Enough", 2002, "Learning to Fight Back", [], ["Jennifer Lopez"], ["Michael Apted"]),
    Pick(
        "Kill Bill: Vol. 2",
        2004,
        "The Cruel Tutelage of Pai Mei",
        [("Invincible Pole Fighter", ["Sho Chun Hou", "Stephen Shing"], "score")],
        ["Uma Thurman", "Gordon Liu"],
        ["Quentin Tarantino"],
    ),
    Pick(
        "The Iron Claw",
        2023,
        "Becoming Fighters",
        [("Tom Sawyer", ["Rush"], "song")],
        ["Zac Efron", "Harris Dickinson", "Jeremy Allen White", "Stanley Simons"],
        ["Sean Durkin"],
    ),
    Pick(
        "Stick It",
        2006,
        "Missy's Training",
        [("Brain Stew", ["Green Day"], "song")],
        ["Missy Peregrym"],
        [],
    ),
    Pick(
        "Buffy the Vampire Slayer",
        1992,
        "Slayer Training",
        [],
        ["Kristy Swanson"],
        ["Fran Rubel Kuzui"],
    ),
    Pick(
        "The Cutting Edge",
        1992,
        "Doug & Kate Training",
        [("Ride On Time", ["Black Box"], "song")],
        ["D.B. Sweeney", "Moira Kelly"],
        [],
    ),
    Pick(
        "Million Dollar Baby",
        2004,
        "Maggie's Training",
        [("Original score (solo guitar)", ["Clint Eastwood"], "score")],
        ["Hilary Swank", "Morgan Freeman", "Clint Eastwood"],
        ["Clint Eastwood"],
    ),
    Pick(
        "Pumping Iron II: The Women",
        1985,
        "Getting show-ready",
        [],
        ["Rachel McLish", "Bev Francis"],
        ["George Butler"],
    ),
    Pick(
        "Creed",
        2015,
        "If I fight, you fight.",
        [
            ("Fighting Stronger", ["Ludwig Göransson"], "score"),
            ("Lord Knows", ["Meek Mill"], "song"),
        ],
        ["Michael B. Jordan", "Sylvester Stallone"],
        ["Ryan Coogler"],
    ),
    Pick(
        "Flashdance",
        1983,
        "Come on, let's go workout!",
        [("I Love Rock 'n' Roll", ["Joan Jett & the Blackhearts"], "song")],
        ["Jennifer Beals"],
        ["Adrian Lyne"],
    ),
    Pick("Bring It On", 2000, "Ok, let's do this.", [], ["Kirsten Dunst"], ["Peyton Reed"]),
    Pick("Beau Travail", 1999, "Basic Training", [], ["Denis Lavant"], ["Claire Denis"]),
    Pick(
        "I, Tonya",
        2017,
        "She really did this!",
        [("Barracuda", ["Heart"], "song")],
        ["Margot Robbie", "Julianne Nicholson"],
        ["Craig Gillespie"],
    ),
    Pick(
        "Dangal",
        2016,
        "We don't want to wrestle.",
        [("Haanikaarak Bapu", ["Pritam", "Sarwar Khan", "Sartaz Khan Barna"], "song")],
        ["Aamir Khan", "Zaira Wasim", "Suhani Bhatnagar"],
        ["Nitesh Tiwari"],
    ),
    Pick(
        "Wet Hot American Summer",
        2001,
        "You are ready to be taught the new way.",
        [("Higher and Higher", ["Craig Wedren", "Theodore Shapiro"], "song")],
        ["Michael Showalter", "Christopher Meloni", "Marguerite Moreau", "Paul Rudd"],
        ["David Wain"],
    ),
    Pick(
        "Edge of Tomorrow",
        2014,
        "Training Completed",
        [],
        ["Tom Cruise", "Emily Blunt"],
        ["Doug Liman"],
    ),
    Pick(
        "Love Lies Bleeding",
        2024,
        "Gone out. Be back later.",
        [],
        ["Kristen Stewart", "Katy O'Brian"],
        ["Rose Glass"],
    ),
]

MENTIONS: list[tuple[str, int]] = [
    ("Rocky", 1976),
    ("Rocky IV", 1985),
    ("Mulan", 1998),
    ("Cool Runnings", 1993),
    ("Batman Begins", 2005),
    ("Willow (TV series)", 2022),
    ("G.I. Jane", 1997),
]

WATCH: dict[str, list[str]] = {
    "Buffy the Vampire Slayer": ["Max"],
    "Beau Travail": ["Max", "The Criterion Channel"],
    "Dangal": [],
    "Love Lies Bleeding": ["in theatres"],
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def picks(catalog: Catalog) -> list[Montage]:
    return sorted((m for m in catalog if m.kind == "pick"), key=lambda m: m.rank or 0)


def _by_film(catalog: Catalog, film: str) -> Montage:
    found = [m for m in catalog if m.film == film]
    assert len(found) == 1, f"expected exactly one entry for {film!r}, found {len(found)}"
    return found[0]


def test_loads_the_bundled_file(catalog: Catalog) -> None:
    assert catalog.path == bundled_catalog_path()
    assert catalog.path.name == "montages.yaml"


def test_exactly_17_picks_ranked_1_to_17(picks: list[Montage]) -> None:
    assert len(picks) == 17
    assert [m.rank for m in picks] == list(range(1, 18))


def test_picks_appear_in_the_articles_order_in_the_file(catalog: Catalog) -> None:
    in_file = [m.film for m in catalog if m.kind == "pick"]
    assert in_file == [p.film for p in PICKS]


@pytest.mark.parametrize("rank, expected", list(enumerate(PICKS, start=1)), ids=lambda v: str(v))
def test_pick_matches_the_article(picks: list[Montage], rank: int, expected: Pick) -> None:
    montage = picks[rank - 1]
    assert montage.rank == rank
    assert montage.film == expected.film
    assert montage.year == expected.year
    assert montage.title == expected.title

    music = [(piece.title, list(piece.artists), piece.kind) for piece in montage.music]
    assert music == expected.music

    actors = {person.actor for person in montage.cast}
    missing = set(expected.actors) - actors
    assert not missing, f"{montage.id}: cast lacks {sorted(missing)}"
    missing = set(expected.directors) - set(montage.directors)
    assert not missing, f"{montage.id}: directors lack {sorted(missing)}"


def test_the_seven_mentions(catalog: Catalog) -> None:
    mentions = [m for m in catalog if m.kind == "mention"]
    assert sorted((m.film, m.year) for m in mentions) == sorted(MENTIONS)
    for montage in mentions:
        assert montage.rank is None
        assert montage.tags, f"{montage.id} has no tags"


def test_ids_are_unique(catalog: Catalog) -> None:
    ids = [m.id for m in catalog]
    assert len(ids) == len(set(ids))


def test_edge_of_tomorrow_has_no_music(catalog: Catalog) -> None:
    edge = _by_film(catalog, "Edge of Tomorrow")
    assert edge.no_music is True
    assert edge.music == []


def test_unknown_music_is_not_claimed_to_be_silence(catalog: Catalog) -> None:
    """Only Edge of Tomorrow is known to be score-less; an empty list elsewhere means unknown."""
    assert [m.film for m in catalog if m.no_music] == ["Edge of Tomorrow"]


def test_misspellings_in_the_article_are_aliases(catalog: Catalog) -> None:
    iron_claw = _by_film(catalog, "The Iron Claw")
    assert "Jeremy Allan White" in iron_claw.aliases
    assert "Fran Rebel Kuzui" in _by_film(catalog, "Buffy the Vampire Slayer").aliases
    assert "Lord Knows/Fighting Stronger" in _by_film(catalog, "Creed").keywords
    assert "I Love Rock & Roll" in _by_film(catalog, "Flashdance").keywords


def test_common_aliases(catalog: Catalog) -> None:
    aliases = {alias for m in catalog for alias in m.aliases}
    for alias in ["Kill Bill 2", "KB2", "J.Lo", "Iron Claw", "Rocky 4", "GI Jane", "Buffy"]:
        assert alias in aliases
    assert {"Pumping Iron 2", "I Tonya"} <= aliases


def test_watch_only_where_the_article_says(catalog: Catalog) -> None:
    watched = {m.film: m.watch for m in catalog if m.watch is not None}
    assert set(watched) == set(WATCH)
    for film, where in WATCH.items():
        watch = watched[film]
        assert watch is not None
        assert watch.where == where
        assert watch.as_of == "2024-03"
        assert watch.note and "article" in watch.note


def test_tags_are_lowercase_and_every_entry_has_some(catalog: Catalog) -> None:
    for montage in catalog:
        assert montage.tags, f"{montage.id} has no tags"
        assert all(tag == tag.lower() for tag in montage.tags)


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("’", "'").replace("'", "")
    return re.findall(r"\w+", text)


def _runs(words: list[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_descriptions_are_not_copied_from_the_article(catalog: Catalog) -> None:
    if not ARTICLE.is_file():
        pytest.skip(f"source article not found at {ARTICLE}")
    article_runs = _runs(_words(ARTICLE.read_text(encoding="utf-8")), 8)
    for montage in catalog:
        copied = _runs(_words(montage.description), 8) & article_runs
        assert not copied, f"{montage.id}: description repeats the article: {sorted(copied)}"


def test_copy_check_catches_a_copy() -> None:
    """The 8-word check itself works, independent of the article being present."""
    source = "It’s fun! It’s different! It’s action-packed! And Tom Cruise and Emily Blunt..."
    description = "its fun its different its action packed and Tom"
    assert _runs(_words(description), 8) & _runs(_words(source), 8)
