"""Broken catalog files are refused with a message naming the file, the entry and the field."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from bot.catalog import CatalogError, load_catalog

GOOD_ENTRY = """\
  - id: {id}
    kind: pick
    rank: {rank}
    film: {film}
    year: {year}
    title: Training
    description: A perfectly ordinary training montage, written for the tests.
"""


def _entry(
    id: str = "x", rank: int = 1, film: str = "Some Film", year: object = 2000, **extra: str
) -> str:
    text = GOOD_ENTRY.format(id=id, rank=rank, film=film, year=year)
    return text + "".join(f"    {key}: {value}\n" for key, value in extra.items())


def _write(tmp_path: Path, body: str, name: str = "montages.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _catalog(*entries: str) -> str:
    return "version: 1\nmontages:\n" + "".join(entries)


def _error(path: Path) -> str:
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    message = str(info.value)
    assert str(path) in message, message
    return message


def test_bad_yaml_syntax_names_line_and_column(tmp_path: Path) -> None:
    body = _catalog(_entry(id="a"), _entry(id="b", rank=2)) + "  - id: [unclosed\n    kind: pick\n"
    path = _write(tmp_path, body)
    message = _error(path)
    assert "invalid YAML" in message
    assert "line " in message and "column " in message
    # the position points at the broken part, not the top of the file
    line = int(message.split("line ", 1)[1].split(",", 1)[0])
    assert line >= body.count("\n") - 1


def test_bad_indentation_names_position(tmp_path: Path) -> None:
    path = _write(tmp_path, "version: 1\nmontages:\n  - id: a\n   film: X\n")
    message = _error(path)
    assert "line 4, column" in message


def test_field_given_twice_in_one_entry(tmp_path: Path) -> None:
    """YAML would silently keep the last value; a repeated field is a mistake, so refuse it."""
    twice = _entry(id="x", rank=2) + "    film: Another Film\n"
    body = _catalog(_entry(id="first"), twice)
    message = _error(_write(tmp_path, body))
    assert "field 'film' is given twice" in message
    line = body.splitlines().index("    film: Another Film") + 1
    assert f"line {line}, column 5" in message


def test_missing_required_field(tmp_path: Path) -> None:
    no_film = _entry(id="x", rank=2).replace("    film: Some Film\n", "")
    path = _write(tmp_path, _catalog(_entry(id="first"), no_film))
    message = _error(path)
    assert "entry 2 (id 'x')" in message
    assert "field 'film'" in message
    assert "required" in message.lower()


def test_wrong_type(tmp_path: Path) -> None:
    path = _write(tmp_path, _catalog(_entry(id="first"), _entry(id="x", rank=2, year='"nineteen"')))
    message = _error(path)
    assert "entry 2 (id 'x')" in message
    assert "field 'year'" in message
    assert "integer" in message


def test_wrong_type_inside_a_nested_field(tmp_path: Path) -> None:
    entry = _entry(id="x", music="[{title: Song, artists: Someone, kind: song}]")
    message = _error(_write(tmp_path, _catalog(entry)))
    assert "entry 1 (id 'x')" in message
    assert "field 'music.0.artists'" in message


def test_duplicate_id(tmp_path: Path) -> None:
    path = _write(tmp_path, _catalog(_entry(id="x"), _entry(id="x", rank=2, film="Other")))
    message = _error(path)
    assert "entry 2 (id 'x')" in message
    assert "field 'id'" in message
    assert "duplicate" in message
    assert "entry 1" in message


def test_year_in_the_future(tmp_path: Path) -> None:
    future = dt.date.today().year + 1
    path = _write(tmp_path, _catalog(_entry(id="first"), _entry(id="x", rank=2, year=future)))
    message = _error(path)
    assert "entry 2 (id 'x')" in message
    assert "field 'year'" in message
    assert str(future) in message


def test_year_before_cinema(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, _catalog(_entry(id="x", year=1700))))
    assert "entry 1 (id 'x')" in message
    assert "field 'year'" in message


def test_unknown_field_typo(tmp_path: Path) -> None:
    typo = _entry(id="x", rank=2).replace("    film:", "    flim:")
    path = _write(tmp_path, _catalog(_entry(id="first"), typo))
    message = _error(path)
    assert "entry 2 (id 'x')" in message
    assert "field 'flim'" in message
    assert "not permitted" in message or "extra" in message.lower()
    # the real field is then reported missing, too
    assert "field 'film'" in message


def test_entry_without_id_is_named_by_position(tmp_path: Path) -> None:
    no_id = _entry(id="x", rank=2).replace("  - id: x\n    kind", "  - kind")
    message = _error(_write(tmp_path, _catalog(_entry(id="first"), no_id)))
    assert "entry 2:" in message
    assert "field 'id'" in message


def test_pick_without_rank(tmp_path: Path) -> None:
    no_rank = _entry(id="x").replace("    rank: 1\n", "")
    message = _error(_write(tmp_path, _catalog(no_rank)))
    assert "entry 1 (id 'x')" in message
    assert "rank" in message


def test_no_music_with_music_listed(tmp_path: Path) -> None:
    entry = _entry(id="x", no_music="true", music="[{title: Song, artists: [A], kind: song}]")
    message = _error(_write(tmp_path, _catalog(entry)))
    assert "entry 1 (id 'x')" in message
    assert "field 'music'" in message


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("", id="empty"),
        pytest.param("# only a comment\n", id="comment-only"),
        pytest.param("- id: x\n  film: X\n", id="top-level-list"),
        pytest.param('"just a string"\n', id="top-level-string"),
    ],
)
def test_top_level_must_be_a_mapping(tmp_path: Path, body: str) -> None:
    message = _error(_write(tmp_path, body))
    assert "mapping" in message


def test_missing_version_and_montages(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, "source: nothing here\n"))
    assert "top level" in message
    assert "field 'version'" in message
    assert "field 'montages'" in message


def test_wrong_version(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, _catalog(_entry()).replace("version: 1", "version: 2")))
    assert "field 'version'" in message


def test_empty_montage_list(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, "version: 1\nmontages: []\n"))
    assert "field 'montages'" in message


def test_missing_file(tmp_path: Path) -> None:
    message = _error(tmp_path / "nowhere" / "montages.yaml")
    assert "no such catalog file" in message


def test_path_given_as_a_string(tmp_path: Path) -> None:
    path = tmp_path / "missing.yaml"
    with pytest.raises(CatalogError, match=r"missing\.yaml"):
        load_catalog(str(path))


def test_a_directory_is_not_a_catalog(tmp_path: Path) -> None:
    message = _error(tmp_path)
    assert "cannot read" in message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(_catalog(_entry(film="Caf\xe9")).encode("latin-1"))
    message = _error(path)
    assert "cannot read" in message


@pytest.mark.parametrize("as_of", ['"2024-03"', "2024-03", "2024-03-15", '"2024-03-15"'])
def test_watch_date_quoted_or_not(tmp_path: Path, as_of: str) -> None:
    entry = _entry(id="x", watch=f"{{as_of: {as_of}, where: [Max]}}")
    catalog = load_catalog(_write(tmp_path, _catalog(entry)))
    montage = catalog.get("x")
    assert montage is not None and montage.watch is not None
    assert montage.watch.as_of == as_of.strip('"')


def test_watch_date_must_be_year_and_month(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, _catalog(_entry(id="x", watch="{as_of: March 2024}"))))
    assert "entry 1 (id 'x')" in message
    assert "field 'watch.as_of'" in message


def test_a_valid_minimal_custom_catalog_loads(tmp_path: Path) -> None:
    """Admins can ship their own list: a small file with one pick and one mention is enough."""
    body = textwrap.dedent(
        """\
        version: 1
        source: Our server's own favourites
        montages:
          - id: my-pick
            kind: pick
            rank: 1
            film: The Karate Kid
            year: 1984
            title: Wax on, wax off
            tags: [martial arts]
            aliases: [Karate Kid]
            description: Chores that turn out to be karate lessons in disguise.
          - id: my-mention
            kind: mention
            film: Rocky
            year: 1976
            description: The run up the museum steps that every montage borrows from.
        """
    )
    path = _write(tmp_path, body, name="custom.yaml")
    catalog = load_catalog(path)
    assert len(catalog) == 2
    assert catalog.path == path
    pick = catalog.get("my-pick")
    assert pick is not None
    assert pick.label == "The Karate Kid (1984): Wax on, wax off"
    assert pick.decade == "1980s"
    assert catalog.tags == ["martial arts"]
    mention = catalog.get("my-mention")
    assert mention is not None and mention.title is None and mention.music == []
    assert catalog.filter(decade="70s") == [mention]
