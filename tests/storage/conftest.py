"""Storage fixtures: every Store test runs on a real SQLite file and on the real PostgreSQL.

PostgreSQL is required: if it is unreachable these tests fail (they never skip). Each test
module gets its own fresh database, migrated once and emptied before every test.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from testdb import create_pg_database, drop_pg_database, sqlite_url, truncate

from bot.storage import Store, upgrade


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
    url = asyncio.run(create_pg_database())
    try:
        asyncio.run(upgrade(url))
        yield url
    finally:
        asyncio.run(drop_pg_database(url))


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database on each backend."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("pg_database")
        asyncio.run(truncate(url))
        return url
    url = sqlite_url(tmp_path_factory.mktemp("db"))  # its data/ folder does not exist yet
    asyncio.run(upgrade(url))
    return url


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    opened = await Store.open(db_url)
    try:
        yield opened
    finally:
        await opened.close()
