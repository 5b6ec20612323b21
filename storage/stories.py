"""Queries on stories. Functions take `*, session` and never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import BigInteger, Integer, Table, bindparam, case, false, func, insert, update
from sqlalchemy import select as columns
from sqlmodel import Session, col

from storage.db import insert_one
from storage.models import Article, Story

_STORIES: Table = Story.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class RecentArticle:
    id: int
    story_id: int
    source_id: int
    title: str
    lead: str | None
    text: str
    fetched_at: dt.datetime
    headline: str  # its story's
    language: str | None
    vector: bytes | None
    vector_model: str | None


def start(
    headline: str, *, when: dt.datetime, terms: list[str], vector: bytes | None = None,
    session: Session,
) -> int:  # fmt: skip
    """A new story with its first article (of one source); returns its id. One
    statement, outside the ORM's unit of work (see storage.articles.add)."""
    values = {"headline": headline, "first_seen_at": when, "last_seen_at": when,
              "article_count": 1, "source_count": 1, "terms": terms,
              "vector": vector}  # fmt: skip
    return insert_one(session, _START, values)


def attach(
    story_id: int, *, when: dt.datetime, new_source: bool, headline: str | None,
    terms: list[str], vector: bytes | None = None, session: Session,
) -> None:  # fmt: skip
    """One more article in the story: its counts (and sources, if `new_source`), last
    seen time, key terms, and, if given, a better headline and what the story now
    means; one statement, no read."""
    values: dict[str, object] = {"story": story_id, "when": when,
                                 "sources": 1 if new_source else 0, "terms": terms}  # fmt: skip
    if headline:
        values["new"] = headline
    if vector is not None:
        values["meaning"] = vector
    session.connection().execute(_ATTACHES[bool(headline), vector is not None], values)


# Built once, with parameters: a statement made for each article costs more than
# the database's work.
_START = insert(_STORIES)
_LAST_SEEN = _STORIES.c.last_seen_at
_WHEN = bindparam("when", type_=_LAST_SEEN.type)
_ATTACH = (
    update(_STORIES)
    .where(_STORIES.c.id == bindparam("story"))
    .values(
        article_count=_STORIES.c.article_count + 1,
        source_count=_STORIES.c.source_count + bindparam("sources"),
        last_seen_at=case((_WHEN > _LAST_SEEN, _WHEN), else_=_LAST_SEEN),
        terms=bindparam("terms", type_=_STORIES.c.terms.type),
    )
)  # fmt: skip
PLACING_LOCK = 0x6E657773  # "news": the advisory lock's key on PostgreSQL
_TAKE_WRITE_LOCK = update(_STORIES).where(false()).values(id=_STORIES.c.id)
_ADVISORY_LOCK = columns(func.pg_advisory_xact_lock(bindparam("key", type_=BigInteger)))
_ARTICLE_ID = col(Article.id)
_AFTER = bindparam("after", type_=Integer)
_LAST_PLACED = columns(func.max(_ARTICLE_ID)).where(
    _ARTICLE_ID > _AFTER, col(Article.story_id).is_not(None)
)
_ATTACHES = {
    (False, False): _ATTACH,
    (True, False): _ATTACH.values(headline=bindparam("new")),
    (False, True): _ATTACH.values(vector=bindparam("meaning")),
    (True, True): _ATTACH.values(headline=bindparam("new"), vector=bindparam("meaning")),
}


def recent_articles(
    since: dt.datetime, *, after: int | None = None, session: Session
) -> Iterator[RecentArticle]:
    """Articles placed in a story since `since` (those with an id above `after` only, if
    given), oldest first: what the story index holds. Read a thousand at a time while
    the caller goes through them (three days of news is too much text to hold at
    once); consume it inside the session."""
    query = (
        columns(
            col(Article.id), col(Article.story_id), col(Article.source_id), col(Article.title),
            col(Article.lead), col(Article.text), col(Article.fetched_at), col(Story.headline),
            col(Article.language), col(Article.vector), col(Article.vector_model),
        )
        .join(Story, col(Story.id) == col(Article.story_id))
        .where(col(Article.fetched_at) >= since)
        .order_by(col(Article.fetched_at), col(Article.id))
        .execution_options(yield_per=1000)
    )  # fmt: skip
    if after is not None:
        query = query.where(col(Article.id) > after)
    for row in session.execute(query):
        yield RecentArticle(*row)


def last_placed(*, after: int, session: Session) -> int | None:
    """The highest id above `after` of an article placed in a story, None for none: has
    this or another process on the database placed one since that id? Asked before
    each article is placed: a statement built once, on the connection (see _ATTACH)."""
    found = session.connection().execute(_LAST_PLACED, {"after": after}).scalar()
    return None if found is None else int(found)


def lock_placing(*, session: Session) -> None:
    """Waits for, and holds until the unit of work ends, the right to place an article
    in a story: one process places at a time, so that two reports of one event stored
    at once by two processes do not each start a story, each unseen by the other.
    SQLite: its write lock, by a write that changes nothing (the article's INSERT takes
    it a moment later anyway); PostgreSQL: an advisory lock of the transaction."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.execute(_TAKE_WRITE_LOCK)
    elif connection.dialect.name == "postgresql":
        connection.execute(_ADVISORY_LOCK, {"key": PLACING_LOCK})


def highest_article(*, session: Session) -> int:
    """The highest article id stored, 0 for none."""
    return session.execute(columns(func.max(col(Article.id)))).scalar() or 0


def sources_of_recent(since: dt.datetime, *, session: Session) -> Iterator[tuple[int, int]]:
    """(story, source) for every source of the stories that have an article since
    `since`, older articles included: which sources a recent story already has."""
    recent = columns(col(Article.story_id)).where(col(Article.fetched_at) >= since)
    query = (
        columns(col(Article.story_id), col(Article.source_id))
        .where(col(Article.story_id).in_(recent))
        .distinct()
    )
    for story_id, source_id in session.execute(query):
        yield int(story_id), int(source_id)


_SET_MEANING = (
    update(_STORIES).where(_STORIES.c.id == bindparam("story")).values(vector=bindparam("v"))
)


def set_vectors(vectors: dict[int, bytes], *, session: Session) -> None:
    """What these stories now mean (story id -> float16 bytes)."""
    if vectors:
        session.connection().execute(
            _SET_MEANING, [{"story": s, "v": v} for s, v in vectors.items()]
        )
