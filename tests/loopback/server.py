"""LoopbackDiscord: a small fake of Discord's REST API and gateway served on 127.0.0.1.

The real, unmodified discord.py client talks to it over real HTTP and a real websocket; the only
patches are ``Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY`` (see :meth:`install`). Tests
drive members' actions (slash commands, clicks, modal submits) through :mod:`.driver` helpers and
assert on what the bot sent: the request log, the message store, and interaction records.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import discord
import yarl
from aiohttp import BodyPartReader, web

from .driver import Driver, InteractionRecord
from .gateway import GatewayConnection
from .messages import (
    EPHEMERAL,
    LOADING,
    Problems,
    StoredMessage,
    UploadedFile,
    choices_problems,
    command_problems,
    error_body,
    is_empty,
    message_problems,
    modal_problems,
)
from .payloads import (
    APP_ID,
    APP_PERMISSIONS,
    MODERATOR_PERMISSIONS,
    FakeGuild,
    FakeMember,
    FakeRole,
    make_guild,
    snowflake,
)

log = logging.getLogger("tests.loopback")
API = "/api/v10"


class DiscordError(Exception):
    """Raised by a route handler; becomes Discord's JSON error body."""

    def __init__(
        self, status: int, code: int, message: str, problems: Problems | None = None
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status, self.body = status, error_body(code, message, problems)


def json_response(data: Any, status: int = 200) -> web.Response:
    # Exactly "application/json": discord.py reads anything else (even "; charset=") as text.
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


@dataclass
class LoggedRequest:
    method: str
    path: str  # relative to /api/v10, e.g. "/interactions/1/tok/callback"
    query: dict[str, str]
    json: Any
    headers: Mapping[str, str]  # case-insensitive
    files: list[UploadedFile] = field(default_factory=list)
    status: int = 0


# Where the middleware leaves the parsed request for the route handlers.
LOGGED: Any = web.RequestKey("logged", LoggedRequest) if hasattr(web, "RequestKey") else "logged"


def body_of(request: web.Request) -> Any:
    return request[LOGGED].json


def files_of(request: web.Request) -> list[UploadedFile]:
    return request[LOGGED].files


class LoopbackDiscord(Driver):
    def __init__(
        self,
        *,
        token: str = "loopback.bot.token",
        app_id: int = APP_ID,
        bot_id: int | None = None,
        bot_name: str = "Montage Bot",
        guilds: list[FakeGuild] | None = None,
        strict_commands: bool = True,
        ack_deadline: float = 3.0,
        heartbeat_interval: int = 41250,
    ) -> None:
        self.token, self.app_id, self.app_flags = token, app_id, 0
        self.bot = FakeMember(bot_id or app_id, bot_name, bot=True, permissions=APP_PERMISSIONS)
        #: Refuse interactions for commands the bot never registered, as Discord's client would.
        self.strict_commands = strict_commands
        #: Discord refuses a first response later than this (404, code 10062).
        self.ack_deadline = ack_deadline
        self.heartbeat_interval = heartbeat_interval
        #: Clicks wait until a message is this old (seconds), as a person would.
        self.reaction_time = 0.02
        self.port = 0
        #: Seconds from ``bot.start()`` to ready, measured by :meth:`running`.
        self.startup_seconds: float | None = None
        self.requests: list[LoggedRequest] = []
        self.unknown_routes: list[str] = []
        self.connections: list[GatewayConnection] = []
        self.messages: dict[int, StoredMessage] = {}
        self.records: list[InteractionRecord] = []
        self.by_token: dict[str, InteractionRecord] = {}
        #: Registered commands by guild id (None = global), as echoed back with ids.
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        #: Every bulk overwrite: (guild id or None, commands).
        self.command_syncs: list[tuple[int | None, list[dict[str, Any]]]] = []
        #: Channels where the bot lacks Send Messages (POST answers 403, code 50013).
        self.denied_channels: set[int] = set()
        self.users: dict[int, FakeMember] = {self.bot.id: self.bot}
        self.guilds: list[FakeGuild] = []
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._saved: tuple[str, yarl.URL] | None = None
        for guild in guilds or [make_guild()]:
            self.add_guild(guild)
        moderator_roles = [r.id for r in self.guild.roles if r.name == "Moderator"]
        # Discord sends a server owner every permission.
        everything = discord.Permissions.all().value
        owner = FakeMember(self.guild.owner_id, "owner", permissions=everything)
        self.owner = self.add_user(owner)
        self.member = self.add_user(FakeMember(3001, "alice"))
        self.moderator = self.add_user(
            FakeMember(3002, "bob", roles=moderator_roles, permissions=MODERATOR_PERMISSIONS)
        )
        # The default people are members of the first guild (member_count, member chunks).
        self.guild.members += [
            u for u in (self.owner, self.member, self.moderator) if u not in self.guild.members
        ]

    # ------------------------------------------------------------------ set-up

    def add_guild(self, guild: FakeGuild) -> FakeGuild:
        """Add a guild the bot is in (do it before the bot connects; it gets a managed role)."""
        role = FakeRole(
            guild.id + 99, self.bot.name, APP_PERMISSIONS, managed=True, bot_id=self.bot.id
        )
        guild.roles.append(role)
        self.guilds.append(guild)
        for member in guild.members:
            self.add_user(member)
        return guild

    def add_user(self, user: FakeMember) -> FakeMember:
        self.users.setdefault(user.id, user)
        return user

    @property
    def guild(self) -> FakeGuild:
        return self.guilds[0]

    def guild_by_id(self, guild_id: int | None) -> FakeGuild | None:
        return next((g for g in self.guilds if g.id == guild_id), None)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        for method, path, handler in self._routes():
            app.router.add_route(method, API + path, handler)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        for conn in self.connections:
            if not conn.ws.closed:
                await conn.ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def install(self) -> None:
        """Point discord.py at this fake (REST base and gateway URL); undo with uninstall()."""
        gateway = discord.gateway.DiscordWebSocket
        self._saved = (discord.http.Route.BASE, gateway.DEFAULT_GATEWAY)
        discord.http.Route.BASE = self.base_url
        gateway.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)

    def uninstall(self) -> None:
        if self._saved is not None:
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = self._saved
            self._saved = None

    async def __aenter__(self) -> LoopbackDiscord:
        await self.start()
        self.install()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.uninstall()
        await self.stop()

    def notify(self) -> None:
        """Wake everything waiting in :meth:`wait_until` to re-check its condition."""
        self._changed.set()
        self._changed = asyncio.Event()

    # ------------------------------------------------------------------ plumbing

    def _routes(self) -> list[tuple[str, str, Callable[[web.Request], Any]]]:
        hook = "/webhooks/{app}/{token}"
        return [
            ("GET", "/users/@me", self._get_me),
            ("POST", "/users/@me/channels", self._create_dm),
            ("GET", "/oauth2/applications/@me", self._get_application),
            ("GET", "/gateway", self._get_gateway),
            ("GET", "/gateway/bot", self._get_gateway),
            ("GET", "/applications/{app}/commands", self._get_commands),
            ("PUT", "/applications/{app}/commands", self._put_commands),
            ("GET", "/applications/{app}/guilds/{guild}/commands", self._get_commands),
            ("PUT", "/applications/{app}/guilds/{guild}/commands", self._put_commands),
            ("POST", "/interactions/{iid}/{token}/callback", self._callback),
            ("POST", hook, self._followup),
            ("GET", hook + "/messages/{mid}", self._webhook_message),
            ("PATCH", hook + "/messages/{mid}", self._webhook_message),
            ("DELETE", hook + "/messages/{mid}", self._webhook_message),
            ("GET", "/channels/{cid}", self._get_channel),
            ("POST", "/channels/{cid}/messages", self._post_channel_message),
            ("GET", "/channels/{cid}/messages/{mid}", self._channel_message),
            ("PATCH", "/channels/{cid}/messages/{mid}", self._channel_message),
            ("DELETE", "/channels/{cid}/messages/{mid}", self._channel_message),
        ]

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Log every REST call, check the bot token, and turn errors into Discord's JSON."""
        if not request.path.startswith(API):
            return await handler(request)
        body, files = await _read_body(request)
        entry = LoggedRequest(
            request.method,
            request.path.removeprefix(API),
            dict(request.query),
            body,
            request.headers.copy(),
            files,
        )
        self.requests.append(entry)
        request[LOGGED] = entry
        # Interaction callbacks and webhooks are authenticated by their token, not the bot's.
        by_bot = not entry.path.startswith(("/interactions/", "/webhooks/"))
        try:
            if by_bot and request.headers.get("Authorization") != f"Bot {self.token}":
                raise DiscordError(401, 0, "401: Unauthorized")
            response = await handler(request)
        except DiscordError as exc:
            response = json_response(exc.body, exc.status)
        except (web.HTTPNotFound, web.HTTPMethodNotAllowed):
            log.warning("loopback Discord has no route for %s %s", request.method, entry.path)
            self.unknown_routes.append(f"{request.method} {entry.path}")
            response = json_response(error_body(0, "404: Not Found"), 404)
        entry.status = response.status
        self.notify()
        return response

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        conn = GatewayConnection(len(self.connections), ws)
        self.connections.append(conn)
        await conn.serve(self)
        return ws

    # ------------------------------------------------------------------ users, app, commands

    def bot_user_payload(self) -> dict[str, Any]:
        user = self.bot.user_payload()
        user.update(verified=True, mfa_enabled=False, flags=0, locale="en-US", email=None)
        return user

    async def _get_me(self, request: web.Request) -> web.Response:
        return json_response(self.bot_user_payload())

    async def _get_application(self, request: web.Request) -> web.Response:
        return json_response(
            {
                "id": str(self.app_id),
                "name": self.bot.name,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "flags": self.app_flags,
                "owner": self.owner.user_payload(),
                "team": None,
                "bot": self.bot_user_payload(),
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "approximate_guild_count": len(self.guilds),
                "integration_types_config": {"0": {}, "1": {}},
            }
        )

    async def _get_gateway(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        return json_response({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    def _command_scope(self, request: web.Request) -> int | None:
        if request.match_info["app"] != str(self.app_id):
            raise DiscordError(403, 50001, "Missing Access")
        guild = request.match_info.get("guild")
        if guild is not None and self.guild_by_id(int(guild)) is None:
            raise DiscordError(403, 50001, "Missing Access")
        return int(guild) if guild else None

    async def _get_commands(self, request: web.Request) -> web.Response:
        return json_response(self.commands.get(self._command_scope(request), []))

    async def _put_commands(self, request: web.Request) -> web.Response:
        scope = self._command_scope(request)
        body = body_of(request) or []
        problems = command_problems(body)
        if problems:
            raise DiscordError(400, 50035, "Invalid Form Body", problems)
        ids = {(c["name"], c["type"]): c["id"] for c in self.commands.get(scope, [])}
        stored = []
        for cmd in body:
            kind = cmd.get("type", 1)
            out = {
                "description": "",
                "default_member_permissions": None,
                "nsfw": False,
                **cmd,
                "type": kind,
                "id": ids.get((cmd["name"], kind)) or str(snowflake()),
                "application_id": str(self.app_id),
                "version": str(snowflake()),
            }
            if scope is not None:
                out["guild_id"] = str(scope)
            stored.append(out)
        self.commands[scope] = stored
        self.command_syncs.append((scope, stored))
        return json_response(stored)

    @property
    def global_syncs(self) -> int:
        """How many times the bot overwrote its global commands (each one is rate limited)."""
        return sum(1 for scope, _ in self.command_syncs if scope is None)

    # ------------------------------------------------------------------ interactions

    def new_message(
        self, channel_id: int, body: dict, files: list[UploadedFile], **kw: Any
    ) -> StoredMessage:
        guild = next((g for g in self.guilds if any(c.id == channel_id for c in g.channels)), None)
        message = StoredMessage(
            snowflake(), channel_id, self.bot_user_payload(), guild.id if guild else None, **kw
        )
        message.apply(body, files, edit=False)
        self.messages[message.id] = message
        return message

    def _interaction_message(
        self, rec: InteractionRecord, body: dict, files: list, flags: int = 0
    ) -> StoredMessage:
        """A response or follow-up: sent by the app's webhook, tied to the interaction."""
        metadata = {
            "id": str(rec.id),
            "type": rec.payload["type"],
            "user": rec.user,
            "authorizing_integration_owners": rec.payload["authorizing_integration_owners"],
        }
        if "message" in rec.payload:
            metadata["interacted_message_id"] = rec.payload["message"]["id"]
        message = self.new_message(
            int(rec.payload["channel_id"]),
            {**body, "flags": (body.get("flags") or 0) | flags},
            files,
            type=20 if rec.payload["type"] == 2 else 0,
            webhook_id=self.app_id,
            interaction_token=rec.token,
            interaction_metadata=metadata,
        )
        if message.ephemeral:
            message.visible_to = int(rec.user["id"])
        return message

    def _check_body(self, body: dict, files: list, *, prefix: str = "", edit: bool = False) -> None:
        problems = message_problems(body, prefix)
        if problems:
            raise DiscordError(400, 50035, "Invalid Form Body", problems)
        if not edit and is_empty(body, files):
            raise DiscordError(400, 50006, "Cannot send an empty message")

    async def _callback(self, request: web.Request) -> web.Response:
        rec = self.by_token.get(request.match_info["token"])
        if rec is None or str(rec.id) != request.match_info["iid"]:
            raise DiscordError(404, 10062, "Unknown interaction")
        body, files = body_of(request) or {}, files_of(request)
        kind, data = int(body.get("type", 0)), body.get("data") or {}
        elapsed = time.monotonic() - rec.sent_at
        try:
            message = self._acknowledge(rec, kind, data, files, elapsed)
        except DiscordError as exc:
            rec.errors.append({"status": exc.status, "type": kind, "elapsed": elapsed, **exc.body})
            raise
        interaction = {
            "id": str(rec.id),
            "type": rec.payload["type"],
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(message and message.ephemeral),
        }
        resource: dict[str, Any] = {"type": kind}
        if message is not None:
            interaction["response_message_id"] = str(message.id)
            if kind != 6:
                resource["message"] = message.to_wire(self.users)
        return json_response({"interaction": interaction, "resource": resource})

    def _acknowledge(
        self, rec: InteractionRecord, kind: int, data: dict, files: list, elapsed: float
    ) -> StoredMessage | None:
        """Check and apply an initial response; returns the message it created or touched."""
        if rec.callback is not None:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        if elapsed > self.ack_deadline:
            raise DiscordError(404, 10062, "Unknown interaction")
        itype = rec.payload["type"]
        allowed = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}.get(itype, set())
        if kind not in allowed:
            raise DiscordError(
                400, 50035, f"Callback type {kind} is invalid for interaction type {itype}"
            )
        if kind == 8:
            problems = choices_problems(data)
        elif kind == 9:
            problems = modal_problems(data)
        else:
            problems = message_problems(data, "data.") if kind in (4, 7) else []
        if problems:
            raise DiscordError(400, 50035, "Invalid Form Body", problems)
        if kind == 4 and is_empty(data, files):
            raise DiscordError(400, 50006, "Cannot send an empty message")

        message = None
        if kind in (4, 5):
            # A defer (5) shows "is thinking..." (LOADING) until a follow-up or edit fills it.
            body = data if kind == 4 else {"flags": data.get("flags", 0) & EPHEMERAL}
            message = self._interaction_message(rec, body, files, LOADING if kind == 5 else 0)
        elif kind in (6, 7):
            source = rec.payload.get("message")
            if source is None:
                raise DiscordError(400, 50035, "This interaction has no message to update")
            message = self.messages.get(int(source["id"]))
            if message is None:  # a hand-built payload: adopt the message it carries
                message = self.new_message(int(source["channel_id"]), source, [])
            if kind == 7:
                message.apply(data, files, edit=True)
        rec.acknowledge(kind, data, elapsed, message.id if message else None)
        self.notify()
        return message

    def _record(self, request: web.Request) -> InteractionRecord:
        rec = self.by_token.get(request.match_info["token"])
        acked = rec is not None and rec.callback is not None and rec.callback.type != 8
        if request.match_info["app"] != str(self.app_id) or not acked:
            raise DiscordError(404, 10015, "Unknown Webhook")
        return rec  # type: ignore[return-value]

    async def _followup(self, request: web.Request) -> web.Response:
        rec = self._record(request)
        body, files = body_of(request) or {}, files_of(request)
        self._check_body(body, files)
        original = rec.message
        if rec.type == 5 and original is not None and original.loading:
            # The first follow-up after a defer fills the "is thinking..." message in place.
            original.apply(body, files, edit=True)
            message = original
        else:
            message = self._interaction_message(rec, body, files)
        rec.followup_ids.append(message.id)
        self.notify()
        if request.query.get("wait", "").lower() in ("true", "1"):
            return json_response(message.to_wire(self.users))
        return web.Response(status=204)

    async def _webhook_message(self, request: web.Request) -> web.Response:
        rec = self._record(request)
        mid = request.match_info["mid"]
        message_id = rec.original_id if mid == "@original" else int(mid)
        message = self.messages.get(message_id or 0)
        if message is None or message.deleted or message_id not in rec.message_ids:
            raise DiscordError(404, 10008, "Unknown Message")
        return self._message_verb(request, message)

    def _message_verb(self, request: web.Request, message: StoredMessage) -> web.Response:
        if request.method == "DELETE":
            message.deleted = True
            self.notify()
            return web.Response(status=204)
        if request.method == "PATCH":
            body = body_of(request) or {}
            self._check_body(body, files_of(request), edit=True)
            message.apply(body, files_of(request), edit=True)
            self.notify()
        return json_response(message.to_wire(self.users))

    # ------------------------------------------------------------------ channels

    def _channel_payload(self, channel_id: int) -> dict[str, Any]:
        for guild in self.guilds:
            for channel in guild.channels:
                if channel.id == channel_id:
                    return channel.payload(guild.id)
        for user in self.users.values():
            if user.dm_channel_id == channel_id:
                return user.dm_channel_payload()
        raise DiscordError(404, 10003, "Unknown Channel")

    async def _get_channel(self, request: web.Request) -> web.Response:
        return json_response(self._channel_payload(int(request.match_info["cid"])))

    async def _create_dm(self, request: web.Request) -> web.Response:
        user_id = int((body_of(request) or {}).get("recipient_id", 0))
        user = self.users.get(user_id) or self.add_user(FakeMember(user_id, f"user{user_id}"))
        return json_response(user.dm_channel_payload())

    async def _post_channel_message(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["cid"])
        self._channel_payload(channel_id)
        if channel_id in self.denied_channels:
            raise DiscordError(403, 50013, "Missing Permissions")
        body, files = body_of(request) or {}, files_of(request)
        self._check_body(body, files)
        message = self.new_message(
            channel_id, body, files, type=19 if body.get("message_reference") else 0
        )
        self.notify()
        return json_response(message.to_wire(self.users))

    async def _channel_message(self, request: web.Request) -> web.Response:
        message = self.messages.get(int(request.match_info["mid"]))
        if (
            message is None
            or message.deleted
            or str(message.channel_id) != request.match_info["cid"]
        ):
            raise DiscordError(404, 10008, "Unknown Message")
        if request.method == "PATCH" and message.author["id"] != str(self.bot.id):
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        return self._message_verb(request, message)


async def _read_body(request: web.Request) -> tuple[Any, list[UploadedFile]]:
    """JSON body, or multipart's ``payload_json`` plus its ``files[n]`` parts."""
    if not request.can_read_body:
        return None, []
    if request.content_type == "multipart/form-data":
        body, files = None, []
        async for part in await request.multipart():
            if not isinstance(part, BodyPartReader):
                continue  # nested multipart: discord.py never sends one
            if part.name == "payload_json":
                body = json.loads(await part.text())
            else:
                content_type = part.headers.get("Content-Type", "application/octet-stream")
                data = await part.read(decode=False)
                files.append(
                    UploadedFile(part.name or "", part.filename or "", content_type, bytes(data))
                )
        return body, files
    raw = await request.read()
    return (json.loads(raw) if raw else None), []
