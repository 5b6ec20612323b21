"""Settings: the only reader of the environment and `.env`.

Built once at the entry point (`bot.__main__`) and passed down. Every field's
description says what is allowed; `describe_errors` turns a validation failure
into one line per bad variable.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

OFFICIAL_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DATABASE_URL = "sqlite:///data/newsbot.db"
MIN_KEEP_NEWS_DAYS = 3  # stories gather their articles over 3 days
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_PASSWORD = re.compile(r"(://[^/@:\s]*:)\S*@")  # user:PASSWORD@ in a URL


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
    )

    telegram_bot_token: SecretStr | None = Field(
        default=None, description="the token BotFather gave you"
    )
    telegram_api_base_url: str = Field(
        default=OFFICIAL_API_BASE_URL,
        description="an http(s) URL to which the token is appended, like " + OFFICIAL_API_BASE_URL,
    )
    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="an SQLAlchemy URL such as sqlite:///data/newsbot.db "
        "or postgresql+psycopg://user:pass@host/db",
    )
    sources_file: Path | None = Field(
        default=None, description="the path of an existing TOML file of sources"
    )
    topics_file: Path | None = Field(
        default=None, description="the path of an existing TOML file of topics"
    )
    allow_private_sources: bool = Field(default=False, description="true or false")
    poll_interval_seconds: int = Field(
        default=900, ge=10, description="a whole number of seconds, at least 10"
    )
    default_timezone: str = Field(
        default="UTC", description="an IANA time zone name such as Asia/Riyadh or UTC"
    )
    default_digest_time: Annotated[dt.time, NoDecode] = Field(
        default=dt.time(8, 0), description="a time of day as HH:MM, like 08:00"
    )
    default_language: Literal["ar", "en"] = Field(default="ar", description="ar or en")
    admin_ids: Annotated[tuple[int, ...], NoDecode] = Field(
        default=(), description="Telegram user ids separated by commas, like 1234,5678"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="DEBUG, INFO, WARNING or ERROR"
    )
    http_timeout_seconds: float = Field(
        default=20.0, gt=0, le=300, description="a number of seconds above 0, at most 300"
    )
    http_max_bytes: int = Field(
        default=5_000_000, ge=10_000, description="a whole number of bytes, at least 10000"
    )
    http_user_agent: str = Field(
        default="newsbot/0.1 (+https://github.com/newsbot)",
        min_length=1,
        description="a non-empty User-Agent header value",
    )

    telegram_timeout_seconds: float = Field(
        default=30.0, ge=1, le=300,
        description="seconds (1 to 300) to wait for Telegram to answer a request",
    )  # fmt: skip
    telegram_archive_chat: int | None = Field(
        default=None,
        description="empty, or the id of a private channel or group where the bot is an "
        "admin, like -1001234567890",
    )
    leader_lease_seconds: float = Field(
        default=30.0, ge=2, le=600,
        description="seconds (2 to 600) after which a standby newsbot takes over from one "
        "that stopped",
    )  # fmt: skip

    digest_grace_hours: float = Field(
        default=6.0, ge=0, le=48,
        description="hours (0 to 48) within which a digest missed while down still goes out",
    )  # fmt: skip
    keep_news_days: int = Field(
        default=90, ge=0, le=36500,
        description="0 (keep forever) or a number of days, at least 3, that articles, "
        "stories and sent messages are kept",
    )  # fmt: skip
    alert_min_sources: int = Field(
        default=3, ge=2, le=50,
        description="how many sources make a story breaking news, 2 to 50",
    )  # fmt: skip
    alert_within_minutes: int = Field(
        default=90, ge=5, le=1440,
        description="minutes (5 to 1440) in which those sources must pick it up",
    )  # fmt: skip
    alert_max_per_hour: int = Field(
        default=3, ge=1, le=20, description="alerts a chat gets at most in an hour, 1 to 20"
    )
    send_per_second: int = Field(
        default=30, ge=1, le=1000, description="messages a second to all chats, 1 to 1000"
    )
    send_private_per_second: int = Field(
        default=1, ge=1, le=100, description="messages a second to one private chat, 1 to 100"
    )
    send_group_per_minute: int = Field(
        default=20, ge=1, le=600, description="messages a minute to one group, 1 to 600"
    )
    embeddings: Literal["bundled", "endpoint", "off"] = Field(
        default="bundled",
        description="bundled (the model inside the package), endpoint (EMBEDDINGS_API_URL) or off",
    )
    embeddings_api_url: str | None = Field(
        default=None,
        description="empty, or the base URL of an OpenAI-compatible API, like "
        "http://localhost:11434/v1",
    )
    embeddings_api_key: SecretStr | None = Field(default=None, description="the API key, if any")
    embeddings_model: str = Field(
        default="text-embedding-3-small", min_length=1, description="a model name"
    )
    embeddings_timeout_seconds: float = Field(
        default=10.0, gt=0, le=120, description="a number of seconds above 0, at most 120"
    )
    summary_api_url: str | None = Field(
        default=None,
        description="empty (off), or the base URL of an OpenAI-compatible API, like "
        "https://api.openai.com/v1",
    )
    summary_api_key: SecretStr | None = Field(default=None, description="the API key, if any")
    summary_model: str = Field(default="gpt-4o-mini", min_length=1, description="a model name")
    summary_timeout_seconds: float = Field(
        default=15.0, gt=0, le=120, description="a number of seconds above 0, at most 120"
    )
    summary_max_chars: int = Field(
        default=400, ge=100, le=2000, description="a whole number from 100 to 2000"
    )

    @field_validator(
        "telegram_bot_token", "sources_file", "topics_file", "summary_api_url",
        "summary_api_key", "telegram_archive_chat", "embeddings_api_url", "embeddings_api_key",
        mode="before",
    )  # fmt: skip
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_api_base_url", "summary_api_url", "embeddings_api_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("not an http(s) URL")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        """An URL SQLAlchemy reads, of a kind it knows (`postgres://` is not one); whether
        its driver is installed and the database answers is storage.db's to say."""
        try:
            make_url(value).get_dialect()
        except (ArgumentError, NoSuchModuleError, ValueError):
            raise ValueError("not an SQLAlchemy URL of a known database") from None
        return value

    @field_validator("sources_file", "topics_file")
    @classmethod
    def _existing_file(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError("no such file")
        return value

    @field_validator("keep_news_days")
    @classmethod
    def _keeps_a_story_window(cls, value: int) -> int:
        if 0 < value < MIN_KEEP_NEWS_DAYS:
            raise ValueError(f"0 (keep forever) or at least {MIN_KEEP_NEWS_DAYS} days")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if not is_zone(value):
            raise ValueError("unknown time zone")
        return value

    @field_validator("default_digest_time", mode="before")
    @classmethod
    def _parse_hhmm(cls, value: object) -> object:
        if isinstance(value, str):
            match = _HHMM.match(value.strip())
            if not match:
                raise ValueError("not HH:MM")
            return dt.time(int(match[1]), int(match[2]))
        return value

    @model_validator(mode="after")
    def _endpoint_has_a_url(self) -> Settings:
        if self.embeddings == "endpoint" and self.embeddings_api_url is None:
            raise ValueError("EMBEDDINGS=endpoint needs EMBEDDINGS_API_URL")
        return self

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        if isinstance(value, int):
            return (value,)
        return value

    @property
    def sources_path(self) -> Path:
        return self.sources_file or _bundled("sources.toml")

    @property
    def topics_path(self) -> Path:
        return self.topics_file or _bundled("topics.toml")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.default_timezone)


def is_zone(name: object) -> bool:
    """Whether `name` is an IANA time zone this machine knows (Asia/Riyadh, UTC)."""
    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _bundled(name: str) -> Path:
    return Path(str(resources.files("bot") / "data" / name))


def describe_errors(error: ValidationError) -> list[str]:
    """One line per bad variable: its name, the value given and what is allowed."""
    lines = []
    for item in error.errors():
        if not item["loc"]:  # a rule across settings: its message names them, no values
            lines.append(str(item["msg"]).removeprefix("Value error, "))
            continue
        field = str(item["loc"][0])
        info = Settings.model_fields.get(field)
        allowed = info.description if info and info.description else item["msg"]
        given = item.get("input")
        secret = field in ("telegram_bot_token", "summary_api_key", "embeddings_api_key")
        if field == "database_url" and isinstance(given, str):
            given = _PASSWORD.sub(r"\1***@", given)
        shown = "" if secret else f"={given!r}"
        lines.append(f"{field.upper()}{shown} is not valid: expected {allowed}")
    return lines
