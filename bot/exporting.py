"""`montage-bot export`: one server's data as JSON (everything) or CSV (its nominations)."""

from __future__ import annotations

import csv
import io
import json

from bot.runner import open_store
from bot.settings import Settings

CSV_COLUMNS = ("season", "user_id", "pick_key", "reason", "created_at")


async def export_guild(settings: Settings, guild_id: int, fmt: str) -> str:
    store = await open_store(settings)
    try:
        data = await store.export(guild_id)
    finally:
        await store.close()
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in data["nominations"]:
        writer.writerow(row)
    return out.getvalue()
