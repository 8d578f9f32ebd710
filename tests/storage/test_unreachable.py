"""A PostgreSQL server that stops answering must fail fast, not hang a member's command."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.storage import Store


async def test_a_silent_server_fails_within_discords_three_seconds() -> None:
    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # accept the connection, say nothing until the client gives up
        writer.close()

    server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    store = await Store.open(f"postgresql+asyncpg://postgres@127.0.0.1:{port}/test")
    started = time.monotonic()
    try:
        with pytest.raises((TimeoutError, OSError)):
            await store.get_config(1)
    finally:
        await store.close()
        server.close()
    assert time.monotonic() - started < 3
