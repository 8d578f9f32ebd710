"""Fuzzy lookup over the catalog, forgiving of typos, word order, accents and run-together words.

The index is built once per catalog; every query then scores a few hundred short strings, which
is fast enough to answer autocomplete on every keystroke (see bench/bench_search.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.catalog import Catalog, Montage, MusicPiece

THRESHOLD = 76.0
"""Below this score a result is noise, not a match (calibrated on tests/test_search_quality.py)."""

AUTOCOMPLETE_LIMIT = 25
CHOICE_NAME_LIMIT = 100
SECONDARY_WEIGHT = 0.9
PARTIAL_WEIGHT = 0.88
MIN_QUERY_CHARS = 2
CLOSE_MARGIN = 6.0
"""Matches within this many points of the best are offered as "did you mean" alternatives."""
FILLER = frozenset(
    [
        "the",
        "a",
        "an",
        "training",
        "montage",
        "montages",
        "scene",
        "scenes",
        "movie",
        "movies",
        "film",
        "films",
        "from",
        "with",
        "in",
        "of",
        "song",
        "songs",
        "music",
        "by",
    ]
)


def normalise(text: str) -> str:
    """Casefold, strip accents and punctuation, and spell '&' and 'n' as 'and'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ").replace("'", "").replace("’", "")
    text = re.sub(r"[^\w\s]|_", " ", text)
    words = ["and" if w == "n" else w for w in text.split()]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _meaningful(query: str) -> str:
    """The query without filler words, unless that leaves nothing."""
    words = [w for w in query.split() if w not in FILLER]
    return " ".join(words) or query


@dataclass(frozen=True)
class Match:
    montage: Montage
    score: float
    matched: str
    """The catalog text that matched best (a title, an actor, a song...)."""
    piece: MusicPiece | None = None


@dataclass
class _Entry:
    text: str
    weight: float
    montage_index: int
    shown: str
    piece: MusicPiece | None = None


@dataclass
class _Index:
    entries: list[_Entry] = field(default_factory=list)
    vocab: list[dict[str, float]] = field(default_factory=list)

    def add(self, index: int, shown: str, weight: float, piece: MusicPiece | None = None) -> None:
        text = normalise(shown)
        if not text:
            return
        self.entries.append(_Entry(text, weight, index, shown, piece))
        words = self.vocab[index]
        for word in text.split():
            words[word] = max(words.get(word, 0.0), weight)


def string_score(query: str, text: str) -> float:
    """How well one query matches one catalog string, 0..100."""
    scores = [fuzz.ratio(query, text), fuzz.token_set_ratio(query, text) * 0.97]
    squashed_query, squashed_text = query.replace(" ", ""), text.replace(" ", "")
    scores.append(fuzz.ratio(squashed_query, squashed_text))
    if len(squashed_query) >= 4 and len(text) > len(query):
        scores.append(fuzz.partial_ratio(query, text) * PARTIAL_WEIGHT)
    return max(scores)


def _coverage_score(words: Sequence[str], vocab: dict[str, float]) -> float:
    """Share of the query's words found (fuzzily) anywhere in one montage's vocabulary."""
    if not words or not vocab:
        return 0.0
    total = 0.0
    choices = list(vocab)
    for word in words:
        found = process.extractOne(word, choices, scorer=fuzz.ratio)
        if found is None:
            continue
        text, score, _ = found
        if score >= 75 and (len(word) > 2 or score == 100):
            total += score * vocab[text]
    return total / len(words)


class MontageIndex:
    """Scores montages against a query; build once, query often."""

    def __init__(self, catalog: Catalog | Iterable[Montage]) -> None:
        self.montages: list[Montage] = list(catalog)
        self._montage = _Index(vocab=[{} for _ in self.montages])
        self._song = _Index(vocab=[{} for _ in self.montages])
        for i, m in enumerate(self.montages):
            primary = [m.film, *m.aliases, *m.directors]
            primary += [p.actor for p in m.cast] + [p.character for p in m.cast if p.character]
            if m.title:
                primary.append(m.title)
            for text in primary:
                self._montage.add(i, text, 1.0)
            secondary = [*m.tags, *m.keywords]
            secondary += [p.title for p in m.music] + [a for p in m.music for a in p.artists]
            for text in secondary:
                self._montage.add(i, text, SECONDARY_WEIGHT)
            for piece in m.music:
                for text in (piece.title, *piece.artists):
                    self._song.add(i, text, 1.0, piece)

    def search(self, query: str, limit: int = 5, threshold: float = THRESHOLD) -> list[Match]:
        """Montages matching a film, montage name, alias, person, tag or keyword, best first."""
        return self._rank(self._montage, query, limit, threshold)

    def search_songs(self, query: str, limit: int = 5, threshold: float = THRESHOLD) -> list[Match]:
        """Montages whose music (title, artist or composer) matches, best first."""
        return self._rank(self._song, query, limit, threshold)

    def _rank(self, index: _Index, query: str, limit: int, threshold: float) -> list[Match]:
        q = _meaningful(normalise(query))
        if len(re.sub(r"[^a-z0-9]", "", q)) < MIN_QUERY_CHARS:
            return []
        best: dict[int, Match] = {}
        for entry in index.entries:
            score = string_score(q, entry.text) * entry.weight
            current = best.get(entry.montage_index)
            if current is None or score > current.score:
                montage = self.montages[entry.montage_index]
                best[entry.montage_index] = Match(montage, score, entry.shown, entry.piece)
        words = q.split()
        if len(words) > 1:
            for i, match in best.items():
                coverage = _coverage_score(words, index.vocab[i])
                if coverage > match.score:
                    best[i] = Match(match.montage, coverage, match.matched, match.piece)
        ranked = sorted(
            (m for m in best.values() if m.score >= threshold),
            key=lambda m: (-m.score, m.montage.rank or 1000, m.montage.film),
        )
        return ranked[:limit]

    def autocomplete(self, query: str, songs: bool = False) -> list[tuple[str, str]]:
        """(label, montage id) pairs for Discord: at most 25, labels at most 100 characters."""
        if not query.strip():
            picks = sorted(self.montages, key=lambda m: (m.rank or 1000, m.film))
            return [(choice_label(m.label), m.id) for m in picks[:AUTOCOMPLETE_LIMIT]]
        search = self.search_songs if songs else self.search
        matches = search(query, limit=AUTOCOMPLETE_LIMIT, threshold=THRESHOLD - 12)
        if not matches and len(normalise(query)) <= 2:
            return self._prefix_choices(normalise(query))
        if songs:
            return [(choice_label(song_label(m)), m.montage.id) for m in matches]
        return [(choice_label(m.montage.label), m.montage.id) for m in matches]

    def _prefix_choices(self, prefix: str) -> list[tuple[str, str]]:
        """One or two typed letters are too few to fuzz: offer films that start with them."""
        found = [m for m in self.montages if prefix and normalise(m.film).startswith(prefix)]
        return [(choice_label(m.label), m.id) for m in found[:AUTOCOMPLETE_LIMIT]]


def song_label(match: Match) -> str:
    piece = match.piece
    if piece is None:
        return match.montage.label
    return f"{piece.title} ({', '.join(piece.artists)}) - {match.montage.film}"


def choice_label(text: str, limit: int = CHOICE_NAME_LIMIT) -> str:
    """Clip to Discord's 100-character choice limit at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    clipped = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,:;-")
    return clipped + "…"


def are_close(matches: Sequence[Match], margin: float = CLOSE_MARGIN) -> list[Match]:
    """The runners-up close enough to the best match that the member may have meant them."""
    if len(matches) < 2:
        return []
    top = matches[0].score
    return [m for m in matches[1:] if top - m.score <= margin]


def closest(query: str, options: Sequence[str], limit: int = 3, threshold: float = 60) -> list[str]:
    """The options nearest to a short query (tags, say), best first."""
    q = normalise(query)
    if not q:
        return []
    found = process.extract(q, list(options), scorer=fuzz.WRatio, processor=normalise, limit=limit)
    return [text for text, score, _ in found if score >= threshold]
