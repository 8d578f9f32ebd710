"""Consistent copies of a live SQLite database, safe while the bot is writing to it."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path


def backup_sqlite(db_path: str | os.PathLike[str], dest_path: str | os.PathLike[str]) -> Path:
    """Copy ``db_path`` to ``dest_path`` with SQLite's online backup API; returns the copy.

    A plain file copy of a WAL database can miss committed pages or catch a half-written one;
    the backup API copies a consistent snapshot. Blocking: run it with asyncio.to_thread.
    The copy is written next to the destination first and renamed, so a failed backup never
    leaves a truncated file behind.
    """
    source = Path(db_path)
    if not source.is_file():
        raise FileNotFoundError(f"no SQLite database at {source}")
    dest = Path(dest_path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with (
            closing(sqlite3.connect(source)) as src,
            closing(sqlite3.connect(partial)) as out,
        ):
            src.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    return dest
