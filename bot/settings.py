"""The one settings object, read from the environment and `.env` once, in the entry point."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///montage-bot.db"


class SettingsError(Exception):
    """A setting that cannot be used; the message names the variable and what is expected."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    discord_token: SecretStr | None = Field(default=None, description="the bot token")
    dev_guild_id: int | None = Field(default=None, gt=0)
    montages_path: Path | None = None
    log_level: LogLevel = "INFO"
    database_url: str = DEFAULT_DATABASE_URL
    shard_id: int | None = Field(default=None, ge=0)
    shard_count: int | None = Field(default=None, ge=1)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _shards(self) -> Settings:
        if (self.shard_id is None) != (self.shard_count is None):
            raise ValueError("shard_id: set SHARD_ID and SHARD_COUNT together, or neither")
        if self.shard_id is not None and self.shard_count and self.shard_id >= self.shard_count:
            raise ValueError("shard_id: SHARD_ID must be below SHARD_COUNT")
        return self

    @field_validator(
        "dev_guild_id", "montages_path", "discord_token", "shard_id", "shard_count", mode="before"
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        """Accept the plain URLs admins copy from docs and pick the async driver for them."""
        value = value.strip()
        for plain, driver in (
            ("sqlite://", "sqlite+aiosqlite://"),
            ("postgresql://", "postgresql+asyncpg://"),
            ("postgres://", "postgresql+asyncpg://"),
        ):
            if value.startswith(plain):
                return driver + value.removeprefix(plain)
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite:///path/to/file.db or postgresql://user@host/db")
        return value


def load_settings(env_file: Path | str | None = ".env") -> Settings:
    try:
        return Settings(_env_file=env_file)
    except ValidationError as exc:
        problems = [_problem(err) for err in exc.errors()]
        source = f" (from the environment or {env_file})" if env_file else ""
        raise SettingsError("invalid settings" + source + ":\n" + "\n".join(problems)) from None


def _problem(err: Any) -> str:
    """One line naming the variable; checks across settings name theirs first ("shard_id: ...")."""
    message = err["msg"].removeprefix("Value error, ")
    if err["loc"]:
        name = ".".join(str(part) for part in err["loc"])
        return f"  {name.upper()}: {message} (got {err.get('input')!r})"
    name, _, message = message.partition(": ")
    return f"  {name.upper()}: {message}"
