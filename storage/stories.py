"""Queries on stories. Functions take `*, session` and never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import case, literal, update
from sqlalchemy import select as columns
from sqlmodel import Session, col

from storage.models import Article, Story


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


def start(headline: str, *, when: dt.datetime, session: Session) -> Story:
    story = Story(headline=headline, first_seen_at=when, last_seen_at=when)
    session.add(story)
    session.flush()
    return story


def attach(
    story_id: int, *, when: dt.datetime, new_source: bool, headline: str | None,
    terms: list[str], session: Session,
) -> None:  # fmt: skip
    """One more article in the story: its counts (and sources, if `new_source`), last
    seen time, key terms and, if given, a better headline; one statement, no read."""
    last_seen = Story.__table__.c.last_seen_at  # type: ignore[attr-defined]
    values: dict[str, object] = {
        "article_count": col(Story.article_count) + 1,
        "source_count": col(Story.source_count) + (1 if new_source else 0),
        "last_seen_at": case((last_seen < when, literal(when, last_seen.type)), else_=last_seen),
        "terms": terms,
    }
    if headline:
        values["headline"] = headline
    session.exec(
        update(Story).where(col(Story.id) == story_id).values(values)
        .execution_options(synchronize_session=False)
    )  # fmt: skip


def recent_articles(since: dt.datetime, *, session: Session) -> Iterator[RecentArticle]:
    """Articles placed in a story since `since`, oldest first: what the story index holds.
    Read a thousand at a time while the caller goes through them (three days of news
    is too much text to hold at once); consume it inside the session."""
    query = (
        columns(
            col(Article.id), col(Article.story_id), col(Article.source_id), col(Article.title),
            col(Article.lead), col(Article.text), col(Article.fetched_at), col(Story.headline),
        )
        .join(Story, col(Story.id) == col(Article.story_id))
        .where(col(Article.fetched_at) >= since)
        .order_by(col(Article.fetched_at), col(Article.id))
        .execution_options(yield_per=1000)
    )  # fmt: skip
    for row in session.execute(query):
        yield RecentArticle(*row)


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
