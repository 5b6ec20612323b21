"""Queries on stories. Functions take `*, session` and never commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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


def recent_articles(since: dt.datetime, *, session: Session) -> list[RecentArticle]:
    """Articles placed in a story since `since`, oldest first: what the story index holds."""
    query = (
        select(Article)
        .where(col(Article.fetched_at) >= since, col(Article.story_id).is_not(None))
        .order_by(col(Article.fetched_at), col(Article.id))
    )
    return [
        RecentArticle(a.id, a.story_id, a.title, a.lead, a.text, a.fetched_at)
        for a in session.exec(query)
        if a.id is not None and a.story_id is not None
    ]
