"""The tables. Plain SQL types only, so the same schema runs on SQLite and PostgreSQL.

Every datetime column is UTC-aware in Python (see `UTCDateTime`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    LargeBinary,
    UniqueConstraint,
)
from sqlalchemy.types import DateTime, TypeDecorator
from sqlmodel import Field, SQLModel


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def empty_list() -> list[Any]:
    """The default of a JSON list column. Not `list` itself: pydantic inspects a
    default factory's signature at every construction, 55 µs for `list`, 4 for this."""
    return []


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores UTC without a zone (SQLite keeps none) and hands back aware datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use UTC-aware datetimes")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


def _when(*, index: bool = False, nullable: bool = True) -> Any:
    return Field(default=None, sa_type=UTCDateTime, index=index, nullable=nullable)


class Source(SQLModel, table=True):
    """A feed or listing page, with the state of its fetching."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    url: str = Field(unique=True)
    homepage: str | None = None
    kind: str = "feed"  # feed | listing
    language: str = "ar"
    enabled: bool = True
    origin: str = "catalog"  # catalog | cli | chat
    verified: bool = False
    poll_interval_seconds: int | None = None
    link_selector: str | None = None
    body_selector: str | None = None
    # The IANA zone its pages write times in when they give no offset ("14:30").
    timezone: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    next_check_at: dt.datetime | None = _when(index=True)
    # The process polling it now (until next_check_at): see sources.claim_due().
    claimed_by: str | None = None
    last_checked_at: dt.datetime | None = _when()
    last_success_at: dt.datetime | None = _when()
    error_count: int = 0
    last_error: str | None = None
    failing_since: dt.datetime | None = _when()
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Story(SQLModel, table=True):
    """One event, told by one or more articles from any source."""

    id: int | None = Field(default=None, primary_key=True)
    headline: str
    first_seen_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    last_seen_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    article_count: int = 0
    source_count: int = 0
    terms: list[str] = Field(default_factory=empty_list, sa_type=JSON)  # its key words (stems)
    # What its articles mean: their vectors' mean, as float16 (bot/curation/embed.py).
    vector: bytes | None = Field(default=None, sa_type=LargeBinary)


class Article(SQLModel, table=True):
    __table_args__ = (Index("ix_article_source_guid", "source_id", "guid"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(
        sa_column=Column(ForeignKey("source.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    url: str  # canonical URL, the one to link to
    url_key: str = Field(unique=True)  # the URL without scheme and www.: what makes it the same
    guid: str | None = None
    content_hash: str | None = Field(default=None, index=True)
    title: str
    lead: str | None = None
    text: str = ""
    summary: str | None = None
    language: str | None = None
    author: str | None = None
    image_url: str | None = None
    tags: list[str] = Field(default_factory=empty_list, sa_type=JSON)
    search_terms: str = ""  # stems of headline, lead and text, for /search (storage/search.py)
    # What its headline and lead mean (float16), and what made it: vectors of one
    # embedder only are compared. None: not embedded (yet).
    vector: bytes | None = Field(default=None, sa_type=LargeBinary)
    vector_model: str | None = None
    related: list[dict[str, object]] = Field(default_factory=empty_list, sa_type=JSON)
    published_at: dt.datetime | None = _when(index=True)
    updated_at: dt.datetime | None = _when()
    fetched_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    story_id: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("story.id", ondelete="SET NULL"), nullable=True, index=True),
    )
    copy_of_id: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("article.id", ondelete="SET NULL"), nullable=True),
    )


class Topic(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True)
    name_ar: str
    name_en: str
    enabled: bool = True


class ArticleAlias(SQLModel, table=True):
    """Another address of a stored article (the same text reached under a second URL),
    so that the address is known and not fetched again at every poll."""

    __tablename__ = "article_alias"

    url_key: str = Field(primary_key=True)
    article_id: int = Field(
        sa_column=Column(ForeignKey("article.id", ondelete="CASCADE"), nullable=False, index=True)
    )


class ArticleTopic(SQLModel, table=True):
    __tablename__ = "article_topic"

    article_id: int = Field(
        sa_column=Column(ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    )
    topic_id: int = Field(
        sa_column=Column(ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True, index=True)
    )
    score: float = 0.0


class Chat(SQLModel, table=True):
    """A Telegram chat: private, group, supergroup or channel. Its id is Telegram's."""

    id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    kind: str  # private | group | supergroup | channel
    title: str | None = None
    language: str = "ar"
    timezone: str = "UTC"
    digest_time: str = "08:00"  # HH:MM in `timezone`
    next_digest_at: dt.datetime | None = _when(index=True)
    active: bool = True
    paused: bool = False  # the chat asked for no digests for now (/pause)
    alerts: bool = True  # breaking stories on its topics, sent at once (/alerts)
    quiet_start: str | None = None  # HH:MM local: no alerts from here ...
    quiet_end: str | None = None  # ... to here (/quiet)
    thread_id: int | None = None  # a forum topic the digest goes to
    muted: list[str] = Field(default_factory=empty_list, sa_type=JSON)  # source names (/mute)
    empty_line: bool = True  # when nothing is new: one short line (True) or nothing
    # The languages of the news it gets: "ar", "en" or "ar,en"; None: its `language`'s.
    news_languages: str | None = None
    pictures: bool = True  # the lead story's picture above a digest (/pictures)
    # A private chat managing a channel: its commands change the channel's settings.
    manages: int | None = Field(default=None, sa_type=BigInteger)
    last_message_id: int | None = None  # the newest message we know of there (ours or not)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Subscription(SQLModel, table=True):
    """A chat follows a topic or a free keyword (exactly one of the two)."""

    __table_args__ = (
        UniqueConstraint("chat_id", "topic_id"),
        UniqueConstraint("chat_id", "keyword"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(
        sa_column=Column(
            BigInteger, ForeignKey("chat.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    topic_id: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("topic.id", ondelete="CASCADE"), nullable=True),
    )
    keyword: str | None = None
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Outgoing(SQLModel, table=True):
    """A message planned for a chat, sent at most once, in order.

    pending -> sending (marked the instant before its first byte goes to Telegram)
    -> sent (Telegram answered with its id); or unconfirmed (its bytes went out and
    no answer came: a crash, or an answer later than the timeout; it counts as
    delivered and is never sent again, see bot/delivery/courier.py), gone (the chat
    blocked us) or failed (Telegram refused it for good). A run is planned once per
    chat: (chat, run, position) is unique, whatever processes plan it.
    """

    __table_args__ = (
        Index("ix_outgoing_status_chat", "status", "chat_id", "position"),
        UniqueConstraint("chat_id", "run", "position", name="uq_outgoing_chat_run_position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("chat.id", ondelete="CASCADE"), nullable=False)
    )
    kind: str = "digest"  # digest | alert | notice
    run: str = ""  # what planned it, e.g. "digest 2026-11-29T05:00Z"
    position: int = 0  # order within the run
    text: str
    status: str = "pending"
    attempts: int = 0
    # The newest message id known in the chat when this one was handed over: after a
    # crash, where to start reading the chat for it (bot/tg/witness.py).
    after_message_id: int | None = None
    message_ids: list[int] = Field(default_factory=empty_list, sa_type=JSON)
    # The page whose link preview (its picture) is drawn above the text: part of what
    # is sent, so a message planned, crashed and sent again keeps it. None: no preview.
    preview_url: str | None = None
    # A digest message's sections that offer more (bot/digest/more.py): each one's
    # button, where its stories end in `text`, the stories next then, and how many of
    # them the message shows now.
    sections: list[dict[str, Any]] = Field(default_factory=empty_list, sa_type=JSON)
    error: str | None = None
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: dt.datetime | None = _when()


class Delivery(SQLModel, table=True):
    """A story that went to a chat; at most once per (chat, story)."""

    __table_args__ = (
        UniqueConstraint("chat_id", "story_id"),
        Index("ix_delivery_sent_at", "sent_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("chat.id", ondelete="CASCADE"), nullable=False)
    )
    story_id: int = Field(
        sa_column=Column(ForeignKey("story.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    kind: str = "digest"  # digest | alert | news
    message_id: int | None = None
    outgoing_id: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("outgoing.id", ondelete="SET NULL"), nullable=True),
    )
    sent_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Lease(SQLModel, table=True):
    """Work that one process at a time does, held until `expires_at` unless renewed:
    "telegram" (getUpdates and sending) goes to one `newsbot run` of several."""

    name: str = Field(primary_key=True)
    holder: str  # host:pid:nonce of the process
    acquired_at: dt.datetime = Field(sa_type=UTCDateTime)
    expires_at: dt.datetime = Field(sa_type=UTCDateTime)
