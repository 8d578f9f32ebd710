# ruff: noqa: ASYNC109 -- the waiting helpers take a plain ``timeout`` on purpose
"""What tests call: act as a member (command, autocomplete, click, select, modal) and wait.

Each action sends one INTERACTION_CREATE over the gateway and returns an
:class:`InteractionRecord` once the bot's first callback arrived (or was refused). Records are
keyed by interaction token, so any number of concurrent actions never see each other's replies.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import discord

from .payloads import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    FakeChannel,
    FakeGuild,
    FakeMember,
    command_data,
    component_data,
    interaction_payload,
    modal_data,
    resolve_option,
)

if TYPE_CHECKING:
    from .gateway import GatewayConnection
    from .messages import StoredMessage
    from .server import LoggedRequest

T = TypeVar("T")
ClientT = TypeVar("ClientT", bound=discord.Client)


class LoopbackTimeout(AssertionError):
    """The bot did not do what the test waited for; the message says what it did instead."""


@dataclass
class Callback:
    type: int  # 4 message, 5 deferred, 6 deferred update, 7 update, 8 choices, 9 modal
    data: dict[str, Any]
    elapsed: float  # seconds from INTERACTION_CREATE being sent to the callback arriving


@dataclass(eq=False)
class InteractionRecord:
    payload: dict[str, Any]  # the INTERACTION_CREATE ``d`` that was sent
    fake: Driver = field(repr=False)
    label: str = ""
    sent_at: float = 0.0
    callback: Callback | None = None
    #: Refused callbacks: {"status", "code", "message", "type", "elapsed", ...}.
    errors: list[dict[str, Any]] = field(default_factory=list)
    original_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)

    def acknowledge(self, kind: int, data: dict, elapsed: float, message_id: int | None) -> None:
        self.callback = Callback(kind, data, elapsed)
        self.original_id = message_id

    @property
    def id(self) -> int:
        return int(self.payload["id"])

    @property
    def token(self) -> str:
        return self.payload["token"]

    @property
    def user(self) -> dict[str, Any]:
        return self.payload["member"]["user"] if "member" in self.payload else self.payload["user"]

    @property
    def type(self) -> int | None:
        return self.callback.type if self.callback else None

    @property
    def data(self) -> dict[str, Any]:
        return self.callback.data if self.callback else {}

    @property
    def elapsed(self) -> float | None:
        return self.callback.elapsed if self.callback else None

    @property
    def message(self) -> StoredMessage | None:
        """The original response as it stands now (for 6/7: the message that was clicked)."""
        return self.fake.messages.get(self.original_id) if self.original_id else None

    @property
    def followups(self) -> list[StoredMessage]:
        return [self.fake.messages[i] for i in self.followup_ids]

    @property
    def message_ids(self) -> set[int | None]:
        return {self.original_id, *self.followup_ids}

    @property
    def choices(self) -> list[dict[str, Any]]:
        return self.data.get("choices", [])

    @property
    def content(self) -> str | None:
        return self.message.content if self.message else self.data.get("content")

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.message.embeds if self.message else self.data.get("embeds", [])

    @property
    def ephemeral(self) -> bool:
        return bool(self.message and self.message.ephemeral)

    @property
    def error_codes(self) -> list[int]:
        return [e["code"] for e in self.errors]


class Driver:
    """Mixed into :class:`LoopbackDiscord`; everything here works on its stores."""

    # Provided by LoopbackDiscord (see server.py).
    token: str
    app_id: int
    strict_commands: bool
    connections: list[GatewayConnection]
    requests: list[LoggedRequest]
    unknown_routes: list[str]
    messages: dict[int, StoredMessage]
    records: list[InteractionRecord]
    by_token: dict[str, InteractionRecord]
    commands: dict[int | None, list[dict[str, Any]]]
    users: dict[int, FakeMember]
    guilds: list[FakeGuild]
    member: FakeMember
    startup_seconds: float | None
    _changed: asyncio.Event

    reaction_time: float

    if TYPE_CHECKING:

        def add_user(self, user: FakeMember) -> FakeMember: ...
        def guild_by_id(self, guild_id: int | None) -> FakeGuild | None: ...
        @property
        def guild(self) -> FakeGuild: ...

    # ------------------------------------------------------------------ waiting

    async def wait_until(
        self,
        predicate: Callable[[], T],
        *,
        timeout: float = 5.0,
        what: str = "a condition",
        record: InteractionRecord | None = None,
        poll: float | None = None,
    ) -> T:
        """Return the predicate's first truthy value, re-checked whenever the fake sees traffic.

        ``poll`` also re-checks on a timer, for conditions on the bot's own state.
        """
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LoopbackTimeout(self._diagnose(what, timeout, record))
            with suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, poll or remaining))

    def _diagnose(self, what: str, timeout: float, record: InteractionRecord | None) -> str:
        lines = [f"Timed out after {timeout:.1f}s waiting for {what}."]
        lines.append(f"Gateway connections: {self.connections}")
        if record is not None:
            lines.append(
                f"Sent: {record.label}; callback={record.callback}; errors={record.errors}"
            )
            mine = [r for r in self.requests if record.token in r.path]
            lines.append(f"Requests for this interaction: {[_line(r) for r in mine] or 'none'}")
        lines.append(f"Last requests: {[_line(r) for r in self.requests[-8:]]}")
        if self.unknown_routes:
            lines.append(f"Routes the fake does not serve: {self.unknown_routes}")
        lines.append("If the bot raised, its traceback is in the captured log output.")
        return "\n".join(lines)

    async def wait_ready(
        self,
        bot: discord.Client | None = None,
        *,
        since: int = 0,
        timeout: float = 10.0,
        full: bool = False,
    ) -> GatewayConnection:
        """Wait for a session (connection index >= ``since``) to have READY and GUILD_CREATEs.

        Interactions sent after this are processed in order, so they work at once. With ``bot``
        also wait until it holds every guild; ``full`` waits for ``on_ready``, which discord.py
        fires only ``guild_ready_timeout`` (default 2 s) after the last GUILD_CREATE.
        """
        await self.wait_until(
            lambda: any(c.live for c in self.connections[since:]),
            timeout=timeout,
            what="the bot to IDENTIFY and receive READY/GUILD_CREATE",
        )
        conn = next(c for c in self.connections[since:] if c.live)
        if bot is not None:
            ids = [g.id for g in self.guilds]
            await self.wait_until(
                lambda: bot.user is not None and all(bot.get_guild(i) for i in ids),
                timeout=timeout,
                what="the bot to cache its guilds",
                poll=0.01,
            )
            if full:
                await asyncio.wait_for(bot.wait_until_ready(), timeout)
        return conn

    @asynccontextmanager
    async def running(
        self, bot: ClientT, *, token: str | None = None, full_ready: bool = False
    ) -> AsyncIterator[ClientT]:
        """Run ``bot.start()`` as a task until the block ends, then close it cleanly.

        A failure in start-up (e.g. ``discord.LoginFailure`` for a bad token) is raised here.
        """
        since = len(self.connections)
        started = time.monotonic()
        task = asyncio.create_task(bot.start(token or self.token), name="loopback-bot")
        try:
            await self.wait_until(
                lambda: task.done() or any(c.live for c in self.connections[since:]),
                timeout=10.0,
                what="the bot to log in and connect",
                poll=0.05,
            )
            if task.done():
                task.result()
                raise AssertionError("bot.start() returned before connecting")
            await self.wait_ready(bot, since=since, full=full_ready)
            self.startup_seconds = time.monotonic() - started
            yield bot
        finally:
            await bot.close()
            (outcome,) = await asyncio.gather(task, return_exceptions=True)
        if isinstance(outcome, Exception):
            raise outcome

    # ------------------------------------------------------------------ gateway

    @property
    def active_connection(self) -> GatewayConnection:
        conn = next((c for c in reversed(self.connections) if c.live), None)
        if conn is None:
            raise AssertionError(f"No bot is connected to the loopback gateway: {self.connections}")
        return conn

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send any gateway event (e.g. MESSAGE_CREATE) to the connected bot."""
        await self.active_connection.dispatch(event, data)

    async def interact(
        self, payload: dict[str, Any], *, timeout: float = 5.0, label: str = "", wait: bool = True
    ) -> InteractionRecord:
        """Send an INTERACTION_CREATE and (unless ``wait`` is false) await the first callback."""
        conn = self.active_connection
        rec = InteractionRecord(payload, self, label or f"interaction type {payload['type']}")
        self.records.append(rec)
        self.by_token[rec.token] = rec
        rec.sent_at = time.monotonic()
        await conn.dispatch("INTERACTION_CREATE", payload)
        if wait:
            await self.wait_until(
                lambda: rec.callback or rec.errors,
                timeout=timeout,
                what=f"the bot's response to {rec.label}",
                record=rec,
            )
        return rec

    # ------------------------------------------------------------------ member actions

    def _origin(
        self, user: FakeMember | None, guild: FakeGuild | None, dm: bool
    ) -> tuple[FakeMember, FakeGuild | None]:
        user = self.add_user(user or self.member)
        return user, (None if dm else guild or self.guild)

    def command_schema(self, name: str, guild: FakeGuild | None) -> dict[str, Any] | None:
        """The registered command a member would pick: the guild's own first, then global."""
        root = name.split()[0]
        for scope in ([guild.id] if guild else []) + [None]:
            for cmd in self.commands.get(scope, []):
                if cmd["name"] == root and cmd["type"] == 1:
                    return cmd
        if self.strict_commands:
            known = {scope: [c["name"] for c in cmds] for scope, cmds in self.commands.items()}
            raise AssertionError(f"/{root} is not registered with the fake (registered: {known})")
        return None

    async def command(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user: FakeMember | None = None,
        guild: FakeGuild | None = None,
        dm: bool = False,
        channel: FakeChannel | None = None,
        timeout: float = 5.0,
        **extra: Any,
    ) -> InteractionRecord:
        """Run ``/name`` ("mod approve" for subcommands) as ``user`` (default: self.member).

        ``extra`` goes to :func:`interaction_payload` (app_permissions, locale, user_install...).
        """
        user, guild = self._origin(user, guild, dm)
        data = command_data(name, options, schema=self.command_schema(name, guild), guild=guild)
        payload = self._payload(APPLICATION_COMMAND, data, user, guild, channel, extra)
        return await self.interact(payload, timeout=timeout, label=f"/{name} {options or ''}")

    async def autocomplete(
        self,
        name: str,
        options: dict[str, Any],
        focused: str,
        *,
        user: FakeMember | None = None,
        guild: FakeGuild | None = None,
        dm: bool = False,
        timeout: float = 5.0,
        **extra: Any,
    ) -> InteractionRecord:
        """Type into option ``focused`` of ``/name``; the record's ``choices`` holds the answer."""
        if focused not in options:
            raise AssertionError(f"focused option {focused!r} must be one of {list(options)}")
        user, guild = self._origin(user, guild, dm)
        schema = self.command_schema(name, guild)
        data = command_data(name, options, schema=schema, focused=focused, guild=guild)
        payload = self._payload(AUTOCOMPLETE, data, user, guild, None, extra)
        return await self.interact(
            payload, timeout=timeout, label=f"autocomplete /{name} {options}"
        )

    async def click(
        self,
        target: Any,
        custom_id: str,
        *,
        user: FakeMember | None = None,
        timeout: float = 5.0,
        **extra: Any,
    ) -> InteractionRecord:
        """Press button ``custom_id`` on a message (StoredMessage, record, or message id)."""
        message, component = self._component(target, custom_id, (2,), user)
        await self._settle(message)
        data = component_data(custom_id, component["type"])
        return await self._component_interaction(message, data, user, timeout, extra)

    async def select(
        self,
        target: Any,
        custom_id: str,
        values: list[Any],
        *,
        user: FakeMember | None = None,
        timeout: float = 5.0,
        **extra: Any,
    ) -> InteractionRecord:
        """Pick ``values`` in a select menu (option values, or FakeMember/FakeRole/FakeChannel)."""
        message, component = self._component(target, custom_id, (3, 5, 6, 7, 8), user)
        await self._settle(message)
        low, high = component.get("min_values", 1), component.get("max_values", 1)
        if not low <= len(values) <= high:
            raise AssertionError(
                f"select {custom_id!r} takes {low}..{high} values, not {len(values)}"
            )
        offered = [o["value"] for o in component.get("options", [])]
        if component["type"] == 3 and not set(values) <= set(offered):
            raise AssertionError(f"select {custom_id!r} offers {offered}, not {values}")
        resolved: dict[str, dict] = {}
        guild = self.guild_by_id(message.guild_id)
        ids = [resolve_option(v, guild, resolved) for v in values]
        data = component_data(custom_id, component["type"], ids)
        if resolved:
            data["resolved"] = resolved
        return await self._component_interaction(message, data, user, timeout, extra)

    async def submit_modal(
        self,
        shown: InteractionRecord,
        values: dict[str, Any],
        *,
        user: FakeMember | None = None,
        timeout: float = 5.0,
        **extra: Any,
    ) -> InteractionRecord:
        """Fill in and submit the modal the bot showed in answer to ``shown``."""
        if shown.type != 9:
            raise AssertionError(f"{shown.label} was answered with type {shown.type}, not a modal")
        user = user or self.users[int(shown.user["id"])]
        guild = self.guild_by_id(int(shown.payload.get("guild_id", 0)))
        channel = _channel_of(guild, int(shown.payload["channel_id"]))
        message = shown.payload.get("message")
        if message is not None and int(message["id"]) in self.messages:
            message = self.messages[int(message["id"])].to_wire(self.users)
        payload = self._payload(
            MODAL_SUBMIT, modal_data(shown.data, values), user, guild, channel, extra
        )
        if message is not None:
            payload["message"] = message
        label = f"modal {shown.data.get('custom_id')!r} {values}"
        return await self.interact(payload, timeout=timeout, label=label)

    def _payload(
        self,
        kind: int,
        data: dict,
        user: FakeMember,
        guild: FakeGuild | None,
        channel: FakeChannel | None,
        extra: dict[str, Any],
    ) -> dict[str, Any]:
        return interaction_payload(
            kind, data, user=user, guild=guild, channel=channel, app_id=self.app_id, **extra
        )

    def message_of(self, target: Any) -> StoredMessage:
        """A StoredMessage from itself, a record (its original response) or a message id."""
        if isinstance(target, InteractionRecord):
            if target.message is None:
                raise AssertionError(f"{target.label} has no response message (type {target.type})")
            return target.message
        return target if not isinstance(target, int) else self.messages[target]

    def _component(
        self, target: Any, custom_id: str, kinds: tuple[int, ...], user: FakeMember | None
    ) -> tuple[StoredMessage, dict[str, Any]]:
        """Refuse what a member could not do: missing, disabled or someone else's components."""
        message = self.message_of(target)
        component = message.component(custom_id)
        if message.deleted or component is None:
            raise AssertionError(f"message {message.id} has no {custom_id!r}: {message.custom_ids}")
        if component["type"] not in kinds:
            raise AssertionError(f"{custom_id!r} is a type {component['type']} component")
        if component.get("disabled"):
            raise AssertionError(f"{custom_id!r} is disabled")
        who = (user or self.member).id
        if message.visible_to is not None and message.visible_to != who:
            raise AssertionError(f"message {message.id} is ephemeral for user {message.visible_to}")
        return message, component

    async def _settle(self, message: StoredMessage) -> None:
        """Click no sooner than a person could: discord.py stores an ordinary View only after
        the HTTP answer to its callback arrives, so an instant click could beat it."""
        delay = message.changed_at + self.reaction_time - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    async def _component_interaction(
        self,
        message: StoredMessage,
        data: dict,
        user: FakeMember | None,
        timeout: float,
        extra: dict,
    ) -> InteractionRecord:
        user = self.add_user(user or self.member)
        guild = self.guild_by_id(message.guild_id)
        channel = _channel_of(guild, message.channel_id)
        payload = self._payload(MESSAGE_COMPONENT, data, user, guild, channel, extra)
        payload["message"] = message.to_wire(self.users)
        label = f"{data['custom_id']!r} on message {message.id} by {user.name}"
        return await self.interact(payload, timeout=timeout, label=label)

    # ------------------------------------------------------------------ reading results

    async def wait_followup(
        self, rec: InteractionRecord, n: int = 1, timeout: float = 5.0
    ) -> StoredMessage:
        """The ``n``-th follow-up the bot sent for ``rec`` (waiting for it if needed)."""
        await self.wait_until(
            lambda: len(rec.followup_ids) >= n,
            timeout=timeout,
            what=f"follow-up #{n} to {rec.label}",
            record=rec,
        )
        return rec.followups[n - 1]

    async def wait_edited(self, target: Any, count: int = 1, timeout: float = 5.0) -> StoredMessage:
        """A message (or a record's original response) once it has been edited ``count`` times."""
        record = target if isinstance(target, InteractionRecord) else None
        await self.wait_until(
            lambda: (m := self._maybe_message(target)) is not None and len(m.edits) >= count,
            timeout=timeout,
            what=f"edit #{count} of {target!r:.80}",
            record=record,
        )
        return self.message_of(target)

    def _maybe_message(self, target: Any) -> StoredMessage | None:
        if isinstance(target, InteractionRecord):
            return target.message
        return self.message_of(target)

    def channel_messages(self, channel: FakeChannel | int) -> list[StoredMessage]:
        channel_id = channel.id if isinstance(channel, FakeChannel) else channel
        return [m for m in self.messages.values() if m.channel_id == channel_id and not m.deleted]

    async def wait_channel_message(
        self, channel: FakeChannel | int, count: int = 1, timeout: float = 5.0
    ) -> StoredMessage:
        """The ``count``-th live message in ``channel`` (e.g. the bot's post to #review)."""
        await self.wait_until(
            lambda: len(self.channel_messages(channel)) >= count,
            timeout=timeout,
            what=f"message #{count} in channel {channel}",
        )
        return self.channel_messages(channel)[count - 1]

    def requests_to(self, method: str, fragment: str = "") -> list[LoggedRequest]:
        """Logged REST calls with this method ("*" for any) whose path contains ``fragment``."""
        return [r for r in self.requests if method in ("*", r.method) and fragment in r.path]


def _channel_of(guild: FakeGuild | None, channel_id: int) -> FakeChannel | None:
    if guild is None:
        return None
    return next((c for c in guild.channels if c.id == channel_id), None)


def _line(request: LoggedRequest) -> str:
    return f"{request.method} {request.path} -> {request.status}"
