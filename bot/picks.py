"""What members can nominate in one server: the catalog plus that server's community entries.

Discord-free, so the nomination rules (what counts at once, what needs a "did you mean", what
becomes a suggestion) are tested without a client.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.catalog import Catalog, Montage
from bot.search import (
    AUTOCOMPLETE_LIMIT,
    THRESHOLD,
    MontageIndex,
    choice_label,
    normalise,
    string_score,
)
from bot.storage.models import Suggestion, parse_community_key

SURE = 90.0
"""Typed text this close to a whole name of a pick is what the member meant: it counts at once."""
NEAR = THRESHOLD - 4
"""Between NEAR and SURE the member is asked "did you mean"; below NEAR it is a new suggestion."""


@dataclass(frozen=True)
class Pick:
    key: str
    label: str
    montage: Montage | None = None
    suggestion: Suggestion | None = None

    @property
    def community(self) -> bool:
        return self.suggestion is not None


@dataclass(frozen=True)
class Resolution:
    """How a typed pick was understood: exactly one of `pick`, `near` or a new suggestion."""

    pick: Pick | None
    near: tuple[Pick, ...] = ()

    @property
    def is_new(self) -> bool:
        return self.pick is None and not self.near


def community_label(suggestion: Suggestion) -> str:
    return f"{' '.join(suggestion.text.split())} (community)"


class Picks:
    def __init__(
        self, catalog: Catalog, index: MontageIndex, community: Sequence[Suggestion] = ()
    ) -> None:
        self.catalog = catalog
        self.index = index
        self.community = {s.pick_key: s for s in community if s.status == "approved"}

    def get(self, key: str) -> Pick | None:
        montage = self.catalog.get(key)
        if montage is not None:
            return Pick(montage.id, montage.label, montage=montage)
        suggestion = self.community.get(key)
        if suggestion is not None:
            return Pick(key, community_label(suggestion), suggestion=suggestion)
        return None

    def label(self, key: str) -> str:
        """A label even for keys that left the catalog or whose entry was rejected later."""
        pick = self.get(key)
        if pick is not None:
            return pick.label
        if parse_community_key(key) is not None:
            return f"Community entry #{parse_community_key(key)} (withdrawn)"
        return f"{key} (no longer in the catalog)"

    def search(
        self, text: str, limit: int = 5, threshold: float = NEAR
    ) -> list[tuple[Pick, float]]:
        found = [
            (Pick(m.montage.id, m.montage.label, montage=m.montage), m.score)
            for m in self.index.search(text, limit=limit, threshold=threshold)
        ]
        query = normalise(text)
        for suggestion in self.community.values():
            score = string_score(query, normalise(suggestion.text)) if query else 0.0
            if score >= threshold:
                found.append(
                    (
                        Pick(
                            suggestion.pick_key, community_label(suggestion), suggestion=suggestion
                        ),
                        score,
                    )
                )
        found.sort(key=lambda item: -item[1])
        return found[:limit]

    def resolve(self, text: str) -> Resolution:
        exact = self.get(text.strip())
        if exact is not None:
            return Resolution(exact)
        found = self.search(text, limit=3)
        clear_lead = len(found) == 1 or (len(found) > 1 and found[0][1] - found[1][1] > 3)
        if found and clear_lead and names_it(text, found[0][0]):
            return Resolution(found[0][0])
        return Resolution(None, tuple(pick for pick, _ in found))

    def autocomplete(self, text: str) -> list[tuple[str, str]]:
        if not text.strip():
            community = [
                (choice_label(community_label(s)), key) for key, s in self.community.items()
            ]
            return (community + self.index.autocomplete(""))[:AUTOCOMPLETE_LIMIT]
        return [
            (choice_label(pick.label), pick.key)
            for pick, _ in self.search(text, limit=AUTOCOMPLETE_LIMIT, threshold=THRESHOLD - 12)
        ]


def names_it(text: str, pick: Pick) -> bool:
    """Whether the text is (nearly) a whole name of the pick, not just part of one.

    Fuzzy search forgives extra words, which is right for looking up but wrong for counting:
    "Creed II" or "Rocky V" must not silently count as Creed or Rocky.
    """
    if pick.montage is not None:
        names = [pick.montage.film, *pick.montage.aliases]
        names += [pick.montage.title] if pick.montage.title else []
    else:
        names = [pick.suggestion.text] if pick.suggestion else []
    typed = normalise(text)
    return any(fuzz.ratio(typed, normalise(name)) >= SURE for name in names)


def similar_pending(
    text: str, pending: Sequence[Suggestion], threshold: float = 85.0
) -> list[Suggestion]:
    """Pending suggestions that are probably the same film as `text`."""
    query = normalise(text)
    if not query:
        return []
    scored = [(string_score(query, normalise(s.text)), s) for s in pending]
    return [s for score, s in sorted(scored, key=lambda item: -item[0]) if score >= threshold][:3]
