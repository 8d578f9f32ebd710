"""Nomination throughput and leaderboard latency on SQLite and PostgreSQL.

Run: .venv/bin/python bench/bench_nominations.py [--members 2000] [--postgres URL]
Prints figures; asserts nothing. PostgreSQL defaults to a scratch database on the local server.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from testdb import create_pg_database, drop_pg_database

from bot.storage import Store, upgrade

GUILD = 1
PICKS = ["creed", "rocky", "dangal", "i-tonya", "stick-it", "mulan", "enough", "flashdance"]


async def measure(url: str, members: int) -> None:
    await upgrade(url)
    store = await Store.open(url)
    try:
        start = time.perf_counter()
        await asyncio.gather(
            *(
                store.nominate(GUILD, 10_000 + n, PICKS[n % len(PICKS)], None)
                for n in range(members)
            )
        )
        elapsed = time.perf_counter() - start
        print(f"  {members} concurrent nominations: {elapsed:.2f} s ({members / elapsed:.0f}/s)")
        times = []
        for _ in range(50):
            t = time.perf_counter()
            await store.leaderboard(GUILD, limit=10)
            times.append(time.perf_counter() - t)
        print(f"  leaderboard page: median {statistics.median(times) * 1e3:.2f} ms")
        rows, total = await store.leaderboard(GUILD, limit=3)
        print(f"  top: {[(r.pick_key, r.count) for r in rows]} of {total} picks")
    finally:
        await store.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--postgres", help="a PostgreSQL URL (default: a scratch database)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print("SQLite (WAL, one process):")
        await measure(f"sqlite+aiosqlite:///{tmp}/bench.db", args.members)
    print("PostgreSQL:")
    url = args.postgres or await create_pg_database()
    try:
        await measure(url, args.members)
    finally:
        if not args.postgres:
            await drop_pg_database(url)


if __name__ == "__main__":
    asyncio.run(main())
