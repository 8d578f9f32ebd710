"""`montage-bot db upgrade`, `export` and `backup`, run as admins run them."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

from test_cli import run

from bot.storage import Store, upgrade

GUILD = 123_456_789_012_345_678


async def seed(url: str) -> None:
    await upgrade(url)
    store = await Store.open(url)
    try:
        await store.nominate(GUILD, 11, "creed", '=HYPERLINK("x") @everyone')
        await store.nominate(GUILD, 12, "creed", None)
        await store.nominate(GUILD + 1, 13, "rocky", None)  # another server: never exported here
        await store.suggest(GUILD, 11, "The Karate Kid", "wax on")
    finally:
        await store.close()


async def test_db_upgrade_creates_the_sqlite_file(tmp_path: Path) -> None:
    db = tmp_path / "nested" / "bot.db"
    result = run("db", "upgrade", cwd=tmp_path, env={"DATABASE_URL": f"sqlite:///{db}"})
    assert result.returncode == 0, result.stderr
    assert db.exists() and "is up to date" in result.stdout
    again = run("db", "upgrade", cwd=tmp_path, env={"DATABASE_URL": f"sqlite:///{db}"})
    assert again.returncode == 0


def test_default_database_is_under_the_working_directory(tmp_path: Path) -> None:
    result = run("db", "upgrade", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "montage-bot.db").exists()


async def test_export_json_and_csv_on_both_databases(any_db: str, tmp_path: Path) -> None:
    await seed(any_db)
    env = {"DATABASE_URL": any_db}
    as_json = run("export", "--guild", str(GUILD), cwd=tmp_path, env=env)
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert [n["user_id"] for n in data["nominations"]] == [11, 12]
    assert data["nominations"][0]["reason"] == '=HYPERLINK("x") @everyone'
    assert [s["text"] for s in data["suggestions"]] == ["The Karate Kid"]
    out = tmp_path / "noms.csv"
    as_csv = run(
        "export", "--guild", str(GUILD), "--format", "csv", "-o", str(out), cwd=tmp_path, env=env
    )
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["user_id"], r["pick_key"]) for r in rows] == [("11", "creed"), ("12", "creed")]


async def test_backup_copies_sqlite_while_it_is_open(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await seed(url)
    holder = await Store.open(url)  # the bot still has it open
    try:
        result = run("backup", str(tmp_path / "copy.db"), cwd=tmp_path, env={"DATABASE_URL": url})
    finally:
        await holder.close()
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("select count(*) from nominations").fetchone() == (3,)


def test_backup_refuses_postgresql_with_advice(tmp_path: Path) -> None:
    result = run(
        "backup", "x.db", cwd=tmp_path, env={"DATABASE_URL": "postgresql://postgres@127.0.0.1/test"}
    )
    assert result.returncode == 2 and "pg_dump" in result.stderr


def test_bad_database_url_names_the_setting(tmp_path: Path) -> None:
    result = run("db", "upgrade", cwd=tmp_path, env={"DATABASE_URL": "mysql://root@localhost/x"})
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr and "Traceback" not in result.stderr
