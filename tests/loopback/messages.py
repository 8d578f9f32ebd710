"""The fake's message store, and the checks Discord applies to message bodies.

Tests read :class:`StoredMessage` to see what a member would see (content, embeds, components,
ephemeral flag, who got pinged), including every later edit. Bodies breaking Discord's documented
limits are refused with Discord's own error codes so such bugs fail here rather than in production.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .payloads import FakeMember, now_iso, snowflake

EPHEMERAL = 1 << 6
LOADING = 1 << 7
IS_COMPONENTS_V2 = 1 << 15
_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


@dataclass
class UploadedFile:
    """One ``files[n]`` part of a multipart request."""

    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class StoredMessage:
    id: int
    channel_id: int
    author: dict[str, Any]
    guild_id: int | None = None
    type: int = 0
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    flags: int = 0
    allowed_mentions: dict[str, Any] | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    webhook_id: int | None = None
    interaction_token: str | None = None
    interaction_metadata: dict[str, Any] | None = None
    #: For ephemeral messages: the only user who can see (and click) it.
    visible_to: int | None = None
    timestamp: str = field(default_factory=now_iso)
    edited_timestamp: str | None = None
    #: Every body that changed this message after it was created, oldest first.
    edits: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False
    changed_at: float = field(default_factory=time.monotonic)  # when created or last edited
    mention_user_ids: list[int] = field(default_factory=list)
    mention_role_ids: list[int] = field(default_factory=list)
    mention_everyone: bool = False

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        """True while this is a deferred "is thinking..." response nobody has filled yet."""
        return bool(self.flags & LOADING)

    def walk_components(self) -> Iterator[dict[str, Any]]:
        """Every component, however deeply nested (rows, containers, sections, labels)."""
        stack = list(reversed(self.components))
        while stack:
            component = stack.pop()
            yield component
            children = list(component.get("components", []))
            children += [component[k] for k in ("component", "accessory") if k in component]
            stack.extend(reversed(children))

    def component(self, custom_id: str) -> dict[str, Any] | None:
        return next((c for c in self.walk_components() if c.get("custom_id") == custom_id), None)

    @property
    def custom_ids(self) -> list[str]:
        return [c["custom_id"] for c in self.walk_components() if "custom_id" in c]

    def apply(self, body: dict[str, Any], files: list[UploadedFile], *, edit: bool) -> None:
        """Create or edit from a request body; absent keys are left as they were (like PATCH)."""
        for key in ("content", "embeds", "components", "allowed_mentions"):
            if key in body and body[key] is not None:
                setattr(self, key, body[key])
        if "flags" in body and body["flags"] is not None:
            # Ephemeral and loading cannot be changed by an edit; the rest can.
            kept = self.flags & (EPHEMERAL | LOADING) if edit else 0
            self.flags = (body["flags"] & ~(EPHEMERAL | LOADING) if edit else body["flags"]) | kept
        if edit:
            self.flags &= ~LOADING
            self.edited_timestamp = now_iso()
            self.edits.append(body)
            if "attachments" in body:
                # Existing attachments are listed by snowflake; new uploads by files[n] index.
                keep = {str(a["id"]) for a in body["attachments"]}
                self.attachments = [a for a in self.attachments if a["id"] in keep]
        by_field = {f.field: f for f in files}
        for index, meta in enumerate(body.get("attachments") or []):
            upload = by_field.get(f"files[{meta.get('id', index)}]")
            if upload is not None:
                self.attachments.append(self._attachment(upload, meta))
        self._parse_mentions()
        self.changed_at = time.monotonic()

    def _attachment(self, upload: UploadedFile, meta: dict[str, Any]) -> dict[str, Any]:
        attachment_id = str(snowflake())
        filename = meta.get("filename") or upload.filename
        self.files[filename] = upload.data
        url = (
            f"https://cdn.loopback.invalid/attachments/{self.channel_id}/{attachment_id}/{filename}"
        )
        return {
            "id": attachment_id,
            "filename": filename,
            "description": meta.get("description"),
            "content_type": upload.content_type,
            "size": len(upload.data),
            "url": url,
            "proxy_url": url,
            "ephemeral": self.ephemeral,
        }

    def _parse_mentions(self) -> None:
        """Who gets pinged: mentions in the content, filtered by ``allowed_mentions``."""
        allowed = self.allowed_mentions
        if allowed is None:
            allowed = {"parse": ["users", "roles", "everyone"]}
        parse = allowed.get("parse", [])
        users = {str(u) for u in allowed.get("users", [])}
        roles = {str(r) for r in allowed.get("roles", [])}
        self.mention_user_ids = [
            int(u) for u in _USER_MENTION.findall(self.content) if "users" in parse or u in users
        ]
        self.mention_role_ids = [
            int(r) for r in _ROLE_MENTION.findall(self.content) if "roles" in parse or r in roles
        ]
        self.mention_everyone = "everyone" in parse and (
            "@everyone" in self.content or "@here" in self.content
        )

    def to_wire(self, users: dict[int, FakeMember]) -> dict[str, Any]:
        def user(uid: int) -> dict[str, Any]:
            return (users.get(uid) or FakeMember(uid, f"user{uid}")).user_payload()

        message: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author,
            "type": self.type,
            "content": self.content,
            "embeds": self.embeds,
            "components": self.components,
            "attachments": self.attachments,
            "flags": self.flags,
            "timestamp": self.timestamp,
            "edited_timestamp": self.edited_timestamp,
            "tts": False,
            "pinned": False,
            "mention_everyone": self.mention_everyone,
            "mentions": [user(u) for u in self.mention_user_ids],
            "mention_roles": [str(r) for r in self.mention_role_ids],
        }
        if self.guild_id is not None:
            message["guild_id"] = str(self.guild_id)
        if self.webhook_id is not None:
            message["webhook_id"] = str(self.webhook_id)
            message["application_id"] = str(self.webhook_id)
        if self.interaction_metadata is not None:
            message["interaction_metadata"] = self.interaction_metadata
        return message


# --------------------------------------------------------------------------- validation

#: (path, code, message) triples; turned into Discord's nested ``errors`` object by error_body.
Problems = list[tuple[str, str, str]]


def _max(problems: Problems, path: str, value: Any, limit: int) -> None:
    if value is not None and len(value) > limit:
        problems.append((path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length."))


def message_problems(body: dict[str, Any], prefix: str = "") -> Problems:
    """Discord's documented limits for content, embeds, components and allowed_mentions."""
    problems: Problems = []
    _max(problems, f"{prefix}content", body.get("content"), 2000)
    embeds = body.get("embeds") or []
    _max(problems, f"{prefix}embeds", embeds, 10)
    total = 0
    for i, embed in enumerate(embeds):
        path = f"{prefix}embeds.{i}"
        for key, limit in (("title", 256), ("description", 4096)):
            _max(problems, f"{path}.{key}", embed.get(key), limit)
            total += len(embed.get(key) or "")
        _max(problems, f"{path}.footer.text", (embed.get("footer") or {}).get("text"), 2048)
        _max(problems, f"{path}.author.name", (embed.get("author") or {}).get("name"), 256)
        _max(problems, f"{path}.fields", embed.get("fields"), 25)
        for j, fld in enumerate(embed.get("fields") or []):
            for key, limit in (("name", 256), ("value", 1024)):
                text = fld.get(key) or ""
                if not text:
                    problems.append((f"{path}.fields.{j}.{key}", "BASE_TYPE_REQUIRED", "Required"))
                _max(problems, f"{path}.fields.{j}.{key}", text, limit)
                total += len(text)
    if total > 6000:
        problems.append((f"{prefix}embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds 6000."))

    components = body.get("components") or []
    v2 = bool((body.get("flags") or 0) & IS_COMPONENTS_V2)
    if v2 and (body.get("content") or body.get("embeds")):
        problems.append(
            (
                f"{prefix}content",
                "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                "content and embeds cannot be used with IS_COMPONENTS_V2",
            )
        )
    if not v2:
        _max(problems, f"{prefix}components", components, 5)
        for i, row in enumerate(components):
            _max(problems, f"{prefix}components.{i}.components", row.get("components"), 5)
    holder = StoredMessage(0, 0, {}, components=components)
    seen: set[str] = set()
    for component in holder.walk_components():
        cid = component.get("custom_id")
        if cid is not None:
            _max(problems, f"{prefix}components.custom_id", cid, 100)
            if cid in seen:
                problems.append(
                    (
                        f"{prefix}components",
                        "COMPONENT_CUSTOM_ID_DUPLICATED",
                        f"Component custom id {cid!r} cannot be duplicated",
                    )
                )
            seen.add(cid)
        _max(problems, f"{prefix}components.label", component.get("label"), 80)
        _max(problems, f"{prefix}components.options", component.get("options"), 25)
        _max(problems, f"{prefix}components.placeholder", component.get("placeholder"), 150)

    allowed = body.get("allowed_mentions") or {}
    for kind in ("users", "roles"):
        if kind in allowed.get("parse", []) and allowed.get(kind):
            problems.append(
                (
                    f"{prefix}allowed_mentions",
                    "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                    f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.',
                )
            )
    return problems


def is_empty(body: dict[str, Any], files: list[UploadedFile]) -> bool:
    keys = ("content", "embeds", "components", "sticker_ids", "poll")
    return not files and not any(body.get(k) for k in keys)


def choices_problems(data: dict[str, Any]) -> Problems:
    problems: Problems = []
    choices = data.get("choices") or []
    _max(problems, "data.choices", choices, 25)
    for i, choice in enumerate(choices):
        if not 1 <= len(choice.get("name") or "") <= 100:
            problems.append(
                (
                    f"data.choices.{i}.name",
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 100 in length.",
                )
            )
        if isinstance(choice.get("value"), str):
            _max(problems, f"data.choices.{i}.value", choice["value"], 100)
    return problems


def modal_problems(data: dict[str, Any]) -> Problems:
    problems: Problems = []
    _max(problems, "data.title", data.get("title"), 45)
    _max(problems, "data.custom_id", data.get("custom_id"), 100)
    if not 1 <= len(data.get("components") or []) <= 5:
        problems.append(("data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5."))
    return problems


def error_body(code: int, message: str, problems: Problems | None = None) -> dict[str, Any]:
    """Discord's JSON error, e.g. ``{"code": 50035, "message": "Invalid Form Body", "errors"}``."""
    body: dict[str, Any] = {"code": code, "message": message}
    if problems:
        errors: dict[str, Any] = {}
        for path, err_code, text in problems:
            node = errors
            for part in path.split("."):
                node = node.setdefault(part, {})
            node.setdefault("_errors", []).append({"code": err_code, "message": text})
        body["errors"] = errors
    return body


_COMMAND_NAME = re.compile(r"^[-_'\w]{1,32}$")


def command_problems(
    commands: list[dict[str, Any]], prefix: str = "", nested: bool = False
) -> Problems:
    """Discord's checks on a bulk command overwrite: names, descriptions, option counts."""
    problems: Problems = []
    _max(problems, prefix.rstrip(".") or "commands", commands, 25 if nested else 100)
    names = [c.get("name", "") for c in commands]
    for i, cmd in enumerate(commands):
        path = f"{prefix}{i}"
        slash = nested or cmd.get("type", 1) == 1  # chat-input commands and their options
        name = cmd.get("name", "")
        if not _COMMAND_NAME.match(name) or (slash and name != name.lower()):
            problems.append(
                (f"{path}.name", "APPLICATION_COMMAND_INVALID_NAME", f"Bad name {name!r}")
            )
        if names.count(name) > 1:
            problems.append((f"{path}.name", "APPLICATION_COMMANDS_DUPLICATE_NAME", "Duplicate"))
        if slash and not 1 <= len(cmd.get("description") or "") <= 100:
            problems.append(
                (
                    f"{path}.description",
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 100 in length.",
                )
            )
        _max(problems, f"{path}.choices", cmd.get("choices"), 25)
        options = cmd.get("options") or []
        problems += command_problems(options, f"{path}.options.", nested=True)
        required = [bool(o.get("required")) for o in options if o.get("type") not in (1, 2)]
        if required != sorted(required, reverse=True):
            problems.append(
                (
                    f"{path}.options",
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
            )
    return problems
