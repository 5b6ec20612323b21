"""Queries on stories. Functions take `*, session` and never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from storage.models import Article, Story


@dataclass(frozen=True)
class RecentArticle:
    id: int
    story_id: int
    title: str
    lead: str | None
    text: str
    fetched_at: dt.datetime


def start(headline: str, *, when: dt.datetime, session: Session) -> Story:
    story = Story(headline=headline, first_seen_at=when, last_seen_at=when)
    session.add(story)
    session.flush()
    return story


def attach(
    story: Story, article: Article, *, when: dt.datetime, headline: str | None, session: Session
) -> None:
    """Puts `article` in `story`: its counts, last seen time and, if given, a better headline."""
    same_source = session.exec(
        select(Article.id)
        .where(Article.story_id == story.id, Article.source_id == article.source_id)
        .limit(1)
    ).first()
    article.story_id = story.id
    session.add(article)
    story.article_count += 1
    if same_source is None:
        story.source_count += 1
    story.last_seen_at = max(story.last_seen_at, when)
    if headline:
        story.headline = headline
    session.add(story)


def recent_articles(since: dt.datetime, *, session: Session) -> Iterator[RecentArticle]:
    """Articles placed in a story since `since`, oldest first: what the story index holds.
    Read a thousand at a time while the caller goes through them (three days of news
    is too much text to hold at once); consume it inside the session."""
    query = (
        columns(
            col(Article.id), col(Article.story_id), col(Article.title), col(Article.lead),
            col(Article.text), col(Article.fetched_at),
        )
        .where(col(Article.fetched_at) >= since, col(Article.story_id).is_not(None))
        .order_by(col(Article.fetched_at), col(Article.id))
        .execution_options(yield_per=1000)
    )  # fmt: skip
    for article_id, story_id, title, lead, text, fetched_at in session.execute(query):
        yield RecentArticle(article_id, story_id, title, lead, text, fetched_at)
