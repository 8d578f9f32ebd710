"""The one montage embed stays inside Discord's limits whatever an admin's catalog holds."""

from __future__ import annotations

from bot.app.embeds import montage_embed
from bot.catalog import Montage, load_catalog


def huge_montage() -> Montage:
    long = "word " * 59 + "end"  # 299 characters, the most a catalog text field may hold
    return Montage.model_validate(
        {
            "id": "huge",
            "kind": "pick",
            "rank": 1,
            "film": long,
            "year": 2000,
            "title": long,
            "directors": [long] * 20,
            "cast": [{"actor": long, "character": long}] * 40,
            "music": [{"title": long, "artists": [long] * 5, "kind": "song"}] * 30,
            "tags": [f"tag {n}" for n in range(40)],
            "watch": {"as_of": "2024-03", "where": [long] * 10, "note": long},
            "description": "x" * 1000,
        }
    )


def test_a_huge_entry_is_clipped_not_rejected() -> None:
    embed = montage_embed(huge_montage())
    assert len(embed) <= 6000
    assert len(embed.title or "") <= 256
    assert len(embed.fields) <= 25
    for field in embed.fields:
        assert len(field.name or "") <= 256 and 1 <= len(field.value or "") <= 1024
    assert any((field.value or "").endswith("…") for field in embed.fields)


def test_every_bundled_montage_fits_without_clipping() -> None:
    for montage in load_catalog():
        embed = montage_embed(montage)
        assert len(embed) <= 6000
        assert not any((f.value or "").endswith("…") for f in embed.fields), montage.id
        assert embed.description == montage.description
