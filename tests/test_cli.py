"""The offline command line, run as users run it: the installed `montage-bot` script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import Settings

SCRIPT = Path(sys.executable).with_name("montage-bot")


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed script, with none of the bot's settings leaking in from this shell."""
    base = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**base, **(env or {})},
    )


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """Run from an unrelated directory: the bundled catalog must still be found."""
    return tmp_path


def test_search_ranks_kill_bill_first(elsewhere: Path) -> None:
    result = run("search", "kil bil", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("1. Kill Bill: Vol. 2 (2004)")


def test_search_by_song_ranks_stick_it_first(elsewhere: Path) -> None:
    result = run("search", "grean day", "--by", "song", "--json", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows[0]["film"] == "Stick It"
    assert rows[0]["song"] == {"title": "Brain Stew", "artists": ["Green Day"]}


def test_json_has_the_documented_fields(elsewhere: Path) -> None:
    rows = json.loads(run("search", "boxing", "--json", "--limit", "3", cwd=elsewhere).stdout)
    assert 1 <= len(rows) <= 3
    for row in rows:
        assert {"id", "film", "year", "title", "score"} <= row.keys()
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_nothing_matches_prints_empty_json_and_a_sentence(elsewhere: Path) -> None:
    as_json = run("search", "xqzvbn", "--json", cwd=elsewhere)
    assert as_json.returncode == 0
    assert json.loads(as_json.stdout) == []
    plain = run("search", "xqzvbn", cwd=elsewhere)
    assert plain.returncode == 0
    assert "No montage matches 'xqzvbn'" in plain.stdout


def test_random_with_tag_and_decade(elsewhere: Path) -> None:
    result = run("random", "--tag", "boxing", "--decade", "2000s", "--json", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "million-dollar-baby"
    assert run("random", cwd=elsewhere).returncode == 0
    missing = run("random", "--tag", "curling", cwd=elsewhere)
    assert missing.returncode == 1 and "No montage has tag 'curling'" in missing.stderr
    bad = run("random", "--decade", "long ago", cwd=elsewhere)
    assert bad.returncode == 2 and "not a decade" in bad.stderr


def test_check_summarises_a_good_catalog_and_fails_on_a_broken_one(elsewhere: Path) -> None:
    good = run("check", cwd=elsewhere)
    assert good.returncode == 0, good.stderr
    assert "OK - 24 montages (17 ranked picks, 7 mentions)" in good.stdout
    broken = elsewhere / "broken.yaml"
    broken.write_text("version: 1\nmontages:\n  - id: x\n    kind: pick\n", encoding="utf-8")
    result = run("check", str(broken), cwd=elsewhere)
    assert result.returncode == 1
    assert str(broken) in result.stderr and "entry 1 (id 'x')" in result.stderr
    assert "'film'" in result.stderr and "Traceback" not in result.stderr


def test_montages_path_setting_is_used(elsewhere: Path) -> None:
    broken = elsewhere / "mine.yaml"
    broken.write_text("version: 1\nmontages: [\n", encoding="utf-8")
    result = run("search", "rocky", env={"MONTAGES_PATH": str(broken)}, cwd=elsewhere)
    assert result.returncode == 1
    assert "mine.yaml" in result.stderr and "line 3, column 1" in result.stderr


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("search", "random", "check", "run", "sync"):
        assert command in result.stdout
    for command in ("search", "random", "check", "run", "sync"):
        assert run(command, "--help").returncode == 0


def test_run_without_a_token_explains_and_exits_2(elsewhere: Path) -> None:
    result = run("run", cwd=elsewhere)
    assert result.returncode == 2
    assert "no Discord bot token is set" in result.stderr
    assert "DISCORD_TOKEN" in result.stderr and ".env" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_setting_names_the_variable(elsewhere: Path) -> None:
    result = run("search", "rocky", env={"LOG_LEVEL": "LOUD"}, cwd=elsewhere)
    assert result.returncode == 2
    assert "LOG_LEVEL" in result.stderr and "Traceback" not in result.stderr


def test_offline_commands_do_not_import_discord() -> None:
    code = (
        "import sys; from bot.cli import main; main(['search', 'kil bil']); main(['check']);"
        "heavy = [m for m in ('discord', 'sqlalchemy', 'aiohttp') if m in sys.modules];"
        "assert not heavy, heavy"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_shard_settings_come_in_pairs(elsewhere: Path) -> None:
    half = run("search", "rocky", env={"SHARD_ID": "1"}, cwd=elsewhere)
    assert half.returncode == 2 and "SHARD_ID: set SHARD_ID and SHARD_COUNT together" in half.stderr
    wrong = run("search", "rocky", env={"SHARD_ID": "2", "SHARD_COUNT": "2"}, cwd=elsewhere)
    assert wrong.returncode == 2 and "must be below SHARD_COUNT" in wrong.stderr


def test_env_example_copied_as_is_is_valid(elsewhere: Path) -> None:
    example = Path(__file__).resolve().parents[1] / ".env.example"
    (elsewhere / ".env").write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("search", "rocky", cwd=elsewhere).returncode == 0
    result = run("run", cwd=elsewhere)
    assert result.returncode == 2 and "no Discord bot token is set" in result.stderr
