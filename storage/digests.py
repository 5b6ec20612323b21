"""What digests are made of: recent stories with their lead article, sources and topics.
Functions take `*, session` and never commit."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, update
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from storage.models import (
    Article,
    ArticleTopic,
    Chat,
    Outgoing,
    Source,
    Story,
    Subscription,
    Topic,
)  # fmt: skip


@dataclass
class StoryRow:
    story_id: int
    headline: str
    last_seen: dt.datetime
    source_count: int
    terms: list[str]
    url: str = ""
    summary: str = ""
    sources: list[str] = field(default_factory=list)
    topics: dict[str, float] = field(default_factory=dict)
    # The same story's headlines from its other sources: (title, url, source name).
    others: list[tuple[str, str, str]] = field(default_factory=list)
    words: set[str] = field(default_factory=set)  # its articles' search terms (stems)
    # Links on its first article's page that curation marked on topic: (title, url, source).
    page_links: list[tuple[str, str, str]] = field(default_factory=list)
    # What a digest shows under it, (title, url, source): filled once by the selection.
    related: list[tuple[str, str, str]] | None = None
    vector: bytes | None = None  # what the story means (bot/curation/embed.py), if known


def recent_stories(since: dt.datetime, *, session: Session, words: bool = True) -> list[StoryRow]:
    """Stories seen since `since`, each with its first article's link and summary, its
    source names (in order of arrival) and its best score per topic; with `words`, the
    stems of all its articles too (only keyword matching needs them, and they are
    most of what this reads)."""
    seen_since = col(Story.last_seen_at) >= since
    stories = {
        s.id: StoryRow(
            s.id, s.headline, s.last_seen_at, s.source_count, list(s.terms), vector=s.vector
        )
        for s in session.exec(select(Story).where(seen_since))
        if s.id is not None
    }
    if not stories:
        return []
    names = {s.id: s.name for s in session.exec(select(Source))}
    # Subqueries, not lists of ids: a day of news is more ids than SQLite takes as
    # parameters of one statement.
    in_window = col(Article.story_id).in_(columns(col(Story.id)).where(seen_since))
    articles = session.execute(
        columns(
            col(Article.id), col(Article.story_id), col(Article.source_id), col(Article.url),
            col(Article.title),
        )
        .where(in_window)
        .order_by(col(Article.id))
    ).all()  # fmt: skip
    story_of: dict[int, int] = {}
    firsts: dict[int, str] = {}  # first article of each story -> its source's name
    # Each statement may see a story that became recent after the first one (on
    # databases that read committed rows per statement): those are left out.
    for article_id, story_id, source_id, url, title in articles:
        row = stories.get(story_id or 0)
        if row is None:
            continue
        story_of[article_id or 0] = row.story_id
        name = names.get(source_id, "")
        if not row.url:
            row.url = url
            firsts[article_id or 0] = name
        elif name and name not in row.sources:
            row.others.append((title, url, name))
        if name and name not in row.sources:
            row.sources.append(name)
    # Summary and page links come from the first article only: read them for those.
    first_ids = list(firsts)
    for start in range(0, len(first_ids), 500):
        chunk = first_ids[start : start + 500]
        query = columns(col(Article.id), col(Article.summary), col(Article.related))
        for article_id, summary, page in session.execute(query.where(col(Article.id).in_(chunk))):
            row, name = stories[story_of[article_id]], firsts[article_id]
            row.summary = summary or ""
            row.page_links = [
                (str(link["title"]), str(link["url"]), name)
                for link in page or ()
                if link.get("on_topic") and link.get("title") and link.get("url")
            ]
    if words:
        terms = columns(col(Article.story_id), col(Article.search_terms)).where(in_window)
        for story_id, stems in session.execute(terms):
            if (row := stories.get(story_id or 0)) is not None:
                row.words.update(stems.split())
    links = session.exec(
        select(ArticleTopic.article_id, Topic.slug, ArticleTopic.score)
        .join(Topic, col(Topic.id) == col(ArticleTopic.topic_id))
        .where(col(ArticleTopic.article_id).in_(columns(col(Article.id)).where(in_window)))
    ).all()
    for article_id, slug, score in links:
        if article_id not in story_of:
            continue
        row = stories[story_of[article_id]]
        row.topics[slug] = max(score, row.topics.get(slug, 0.0))
    return list(stories.values())


def followed_topics(*, session: Session) -> dict[int, set[str]]:
    """Every chat's followed topic slugs."""
    followed: dict[int, set[str]] = defaultdict(set)
    query = select(Subscription.chat_id, Topic.slug).join(
        Topic, col(Topic.id) == col(Subscription.topic_id)
    )
    for chat_id, slug in session.exec(query):
        followed[chat_id].add(slug)
    return followed


def followed_keywords(*, session: Session) -> dict[int, list[str]]:
    """Every chat's free keywords."""
    followed: dict[int, list[str]] = defaultdict(list)
    query = select(Subscription.chat_id, Subscription.keyword).where(
        col(Subscription.keyword).is_not(None)
    )
    for chat_id, keyword in session.exec(query):
        if keyword:
            followed[chat_id].append(keyword)
    return followed


def due_chats(now: dt.datetime, *, session: Session, limit: int = 5000) -> list[Chat]:
    """Active chats whose digest time has come, the longest waiting first."""
    query = (
        select(Chat)
        .where(col(Chat.active), col(Chat.paused).is_(False), col(Chat.next_digest_at).is_not(None))
        .where(col(Chat.next_digest_at) <= now)
        .order_by(col(Chat.next_digest_at))
        .limit(limit)
    )
    return list(session.exec(query))


def reschedule(next_times: list[tuple[int, dt.datetime]], *, session: Session) -> None:
    """Sets the next digest time of many chats at once."""
    if next_times:
        session.execute(
            update(Chat),
            [{"id": chat_id, "next_digest_at": when} for chat_id, when in next_times],
        )


def alert_chats(*, session: Session) -> list[Chat]:
    """Active chats that take alerts now (not paused)."""
    query = select(Chat).where(col(Chat.active), col(Chat.alerts), col(Chat.paused).is_(False))
    return list(session.exec(query))


def alerts_since(since: dt.datetime, *, session: Session) -> dict[int, int]:
    """How many alerts each chat was sent (or has planned) since `since`."""
    query = (
        select(Outgoing.chat_id, func.count())
        .where(Outgoing.kind == "alert", col(Outgoing.created_at) >= since)
        .group_by(col(Outgoing.chat_id))
    )
    return dict(session.exec(query).all())
