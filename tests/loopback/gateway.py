"""The fake gateway: one :class:`GatewayConnection` per bot session (a restart opens a new one).

Frames are plain JSON text; discord.py only inflates binary frames, so its default
``compress=zlib-stream`` request needs nothing from us.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    from .server import LoopbackDiscord

log = logging.getLogger("tests.loopback")

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, REQUEST_MEMBERS = 0, 1, 2, 6, 8
INVALID_SESSION, HELLO, HEARTBEAT_ACK = 9, 10, 11
PRESENCES_INTENT = 1 << 8


class GatewayConnection:
    def __init__(self, index: int, ws: web.WebSocketResponse) -> None:
        self.index = index
        self.ws = ws
        self.seq = 0
        self.session_id = secrets.token_hex(16)
        self.identify: dict[str, Any] | None = None
        self.opened_at = time.monotonic()
        self.ready_at: float | None = None  # when READY and every GUILD_CREATE had been sent
        self.closed = False
        self.close_code: int | None = None
        self.heartbeats = 0
        self._lock = asyncio.Lock()  # keeps frames whole and ``s`` in sending order

    def __repr__(self) -> str:
        state = "closed" if self.closed else ("ready" if self.ready_at else "connecting")
        return f"<GatewayConnection #{self.index} {state} seq={self.seq}>"

    @property
    def intents(self) -> int | None:
        return self.identify["intents"] if self.identify else None

    @property
    def live(self) -> bool:
        return self.ready_at is not None and not self.closed and not self.ws.closed

    async def send(self, op: int, d: Any, t: str | None = None) -> None:
        async with self._lock:
            seq = None
            if op == DISPATCH:
                self.seq += 1
                seq = self.seq
            await self.ws.send_str(json.dumps({"op": op, "d": d, "s": seq, "t": t}))

    async def dispatch(self, event: str, data: Any) -> None:
        await self.send(DISPATCH, data, event)

    async def serve(self, fake: LoopbackDiscord) -> None:
        """HELLO, then answer the client's frames until it hangs up."""
        try:
            await self.send(HELLO, {"heartbeat_interval": fake.heartbeat_interval})
            async for msg in self.ws:
                if msg.type == WSMsgType.TEXT:
                    await self._handle(fake, json.loads(msg.data))
        finally:
            self.closed = True
            self.close_code = self.ws.close_code
            fake.notify()

    async def _handle(self, fake: LoopbackDiscord, frame: dict[str, Any]) -> None:
        op, d = frame.get("op"), frame.get("d") or {}
        if op == HEARTBEAT:
            self.heartbeats += 1
            await self.send(HEARTBEAT_ACK, None)
        elif op == IDENTIFY and d.get("token") != fake.token:
            await self.ws.close(code=4004, message=b"Authentication failed.")
        elif op == IDENTIFY:
            self.identify = d
            await self._ready(fake)
        elif op == RESUME:
            # Sessions are not kept: tell the client to IDENTIFY afresh.
            await self.send(INVALID_SESSION, False)
        elif op == REQUEST_MEMBERS:
            await self._member_chunk(fake, d)
        else:
            log.debug("gateway #%s ignored op %s", self.index, op)

    async def _ready(self, fake: LoopbackDiscord) -> None:
        ready = {
            "v": 10,
            "user": fake.bot_user_payload(),
            "guilds": [{"id": str(g.id), "unavailable": True} for g in fake.guilds],
            "session_id": self.session_id,
            "session_type": "normal",
            "resume_gateway_url": fake.gateway_url,
            "application": {"id": str(fake.app_id), "flags": fake.app_flags},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["loopback"],
            "user_settings": {},
            "auth": {},
            "_trace": ["loopback"],
        }
        if self.identify and "shard" in self.identify:
            ready["shard"] = self.identify["shard"]
        await self.dispatch("READY", ready)
        presences = bool((self.intents or 0) & PRESENCES_INTENT)
        for guild in fake.guilds:
            await self.dispatch("GUILD_CREATE", guild.guild_create(fake.bot, all_members=presences))
        self.ready_at = time.monotonic()
        fake.notify()

    async def _member_chunk(self, fake: LoopbackDiscord, d: dict[str, Any]) -> None:
        """Answer a member request (sent at startup by bots with the members intent)."""
        guild = fake.guild_by_id(int(d["guild_id"]))
        members = [fake.bot, *(guild.members if guild else [])]
        chunk = {
            "guild_id": d["guild_id"],
            "members": [m.member_payload(with_permissions=False) for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if "nonce" in d:
            chunk["nonce"] = d["nonce"]
        await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)
