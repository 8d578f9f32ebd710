"""The curated montage catalog: its schema, and a loader whose errors name file, entry and field.

Kept free of any Discord import so the CLI, the tests and the bot share it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=48)]
Tag = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:[ -][a-z0-9]+)*$", max_length=30)]
Description = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=20, max_length=1000)
]
YearMonth = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$")]

FIRST_FILM_YEAR = 1888


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Strict):
    actor: Text
    character: Text | None = None


class MusicPiece(_Strict):
    title: Text
    artists: list[Text] = Field(min_length=1)
    kind: Literal["song", "score"]


class Watch(_Strict):
    """Where the montage could be watched, as of the date the source said so."""

    as_of: YearMonth
    where: list[Text] = Field(default_factory=list)
    note: Text | None = None

    @field_validator("as_of", mode="before")
    @classmethod
    def _unquoted_date(cls, value: object) -> object:
        """YAML reads an unquoted 2024-03-15 as a date; accept it like the quoted string."""
        return value.isoformat() if isinstance(value, dt.date) else value


class Montage(_Strict):
    id: Slug
    kind: Literal["pick", "mention"]
    rank: int | None = Field(default=None, ge=1, le=1000)
    film: Text
    year: int
    title: Text | None = None
    directors: list[Text] = Field(default_factory=list)
    cast: list[Person] = Field(default_factory=list)
    music: list[MusicPiece] = Field(default_factory=list)
    no_music: bool = False
    tags: list[Tag] = Field(default_factory=list)
    keywords: list[Text] = Field(default_factory=list)
    aliases: list[Text] = Field(default_factory=list)
    watch: Watch | None = None
    description: Description

    @model_validator(mode="after")
    def _consistent(self) -> Montage:
        this_year = dt.date.today().year
        if not FIRST_FILM_YEAR <= self.year <= this_year:
            raise ValueError(f"year: {self.year} is not between {FIRST_FILM_YEAR} and {this_year}")
        if self.no_music and self.music:
            raise ValueError("music: an entry with no_music: true cannot list music")
        if self.kind == "pick" and (self.rank is None or self.title is None):
            raise ValueError("rank and title: a pick needs both its rank and its montage's name")
        return self

    @property
    def label(self) -> str:
        """How the montage is named in lists: film, year and the montage's name."""
        name = f"{self.film} ({self.year})"
        return f"{name}: {self.title}" if self.title else name

    @property
    def decade(self) -> str:
        return f"{self.year // 10 * 10}s"


class CatalogFile(_Strict):
    version: Literal[1]
    source: Text | None = None
    montages: list[Montage] = Field(min_length=1)


class CatalogError(Exception):
    """A catalog file that cannot be used; the message names file, entry and field."""


class Catalog:
    """The validated montages of one file, looked up by id."""

    def __init__(self, path: Path, montages: tuple[Montage, ...]) -> None:
        self.path = path
        self.montages = montages
        self._by_id = {m.id: m for m in montages}

    def __iter__(self) -> Iterator[Montage]:
        return iter(self.montages)

    def __len__(self) -> int:
        return len(self.montages)

    def get(self, montage_id: str) -> Montage | None:
        return self._by_id.get(montage_id)

    @property
    def tags(self) -> list[str]:
        return sorted({t for m in self.montages for t in m.tags})

    @property
    def decades(self) -> list[str]:
        return sorted({m.decade for m in self.montages})

    def filter(self, tag: str | None = None, decade: str | None = None) -> list[Montage]:
        tag = tag.strip().lower() if tag else None
        decade = normalise_decade(decade) if decade else None
        return [
            m
            for m in self.montages
            if (tag is None or tag in m.tags) and (decade is None or m.decade == decade)
        ]


def normalise_decade(text: str) -> str:
    """Accept '1990s', '1990', '90s' or "'90s" and answer '1990s'."""
    match = re.fullmatch(r"'?(\d{2}|\d{4})s?", text.strip().lower())
    if not match:
        raise ValueError(f"{text!r} is not a decade such as 1990s")
    digits = match.group(1)
    year = int(digits) if len(digits) == 4 else (1900 if int(digits) >= 30 else 2000) + int(digits)
    return f"{year // 10 * 10}s"


def bundled_catalog_path() -> Path:
    """The catalog shipped with the package (wheel), or the repository's copy in a source tree."""
    packaged = resources.files("bot").joinpath("data/montages.yaml")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "data" / "montages.yaml"


def load_catalog(path: Path | str | None = None) -> Catalog:
    path = Path(path) if path is not None else bundled_catalog_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError(f"{path}: no such catalog file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: cannot read the catalog: {exc}") from None
    return parse_catalog(raw, path)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key repeated in one mapping instead of keeping the last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"field {key!r} is given twice",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_catalog(raw: str, path: Path) -> Catalog:
    try:
        data = yaml.load(raw, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        raise CatalogError(f"{path}: {where}: invalid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: invalid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: expected a mapping with 'version' and 'montages' at the top")
    try:
        parsed = CatalogFile.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(_describe(path, data, exc)) from None
    seen: dict[str, int] = {}
    for index, montage in enumerate(parsed.montages):
        if montage.id in seen:
            raise CatalogError(
                f"{path}: entry {index + 1} (id {montage.id!r}): field 'id': duplicate id, "
                f"already used by entry {seen[montage.id] + 1}"
            )
        seen[montage.id] = index
    return Catalog(path=path, montages=tuple(parsed.montages))


def _describe(path: Path, data: dict[str, object], exc: ValidationError) -> str:
    lines = [f"{path}: {exc.error_count()} problem(s) in the catalog"]
    entries = data.get("montages")
    for err in exc.errors()[:20]:
        loc = list(err["loc"])
        where = "top level"
        if len(loc) >= 2 and loc[0] == "montages" and isinstance(loc[1], int):
            index = loc[1]
            entry = entries[index] if isinstance(entries, list) and index < len(entries) else None
            ident = entry.get("id") if isinstance(entry, dict) else None
            where = f"entry {index + 1}" + (f" (id {ident!r})" if ident else "")
            loc = loc[2:]
        field = ".".join(str(part) for part in loc) or _field_from_message(err["msg"])
        message = err["msg"].removeprefix("Value error, ")
        lines.append(f"  {where}: field {field!r}: {message}")
    return "\n".join(lines)


def _field_from_message(message: str) -> str:
    """Model-level checks name their field first ('year: ...'); use it as the field."""
    head = message.removeprefix("Value error, ").split(":", 1)[0]
    return head if re.fullmatch(r"[a-z_ ]+", head) else "(entry)"
